"""statistics: index of items by kind, so the drill cards are found without scanning every item

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_items_kind', 'items', ['kind', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_items_kind', table_name='items')
