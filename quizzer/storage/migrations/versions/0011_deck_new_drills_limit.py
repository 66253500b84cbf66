"""decks: new_drills_per_day, how many of a deck's new cards a day may be drills; the row with
path "" holds the collection's own options (the limits of "Review all")

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('decks', sa.Column('new_drills_per_day', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decks') as batch:
        batch.drop_column('new_drills_per_day')
