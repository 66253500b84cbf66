"""decks: desired_retention, learning_steps, relearning_steps, FSRS's options per deck (NULL: the
parent deck's, up to the configured default)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('decks', sa.Column('desired_retention', sa.Float(), nullable=True))
    op.add_column('decks', sa.Column('learning_steps', sa.String(length=200), nullable=True))
    op.add_column('decks', sa.Column('relearning_steps', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decks') as batch:
        batch.drop_column('relearning_steps')
        batch.drop_column('learning_steps')
        batch.drop_column('desired_retention')
