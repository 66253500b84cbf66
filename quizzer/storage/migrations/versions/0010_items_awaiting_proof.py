"""items: awaiting_proof, set by the automatic sync at start for drills whose text has no proof
yet; such drills stay out of the queue until the grading service has proven them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: rebuilding ``items`` (batch mode) would trip the cards' foreign key.
    op.add_column('items', sa.Column('awaiting_proof', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.drop_column('awaiting_proof')
