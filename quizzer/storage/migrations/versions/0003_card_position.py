"""cards carry their item's position, so the new-card queue is one index walk

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cards', sa.Column('position', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE cards SET position = (SELECT items.position FROM items WHERE items.id = cards.item_id)")
    op.create_index('ix_cards_queue_new', 'cards', ['state', 'position', 'ordinal'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_cards_queue_new', table_name='cards')
    with op.batch_alter_table('cards') as batch:
        batch.drop_column('position')
