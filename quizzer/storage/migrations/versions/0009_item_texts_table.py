"""item_texts: the searchable texts and tags move to a narrow table of their own, since a
search scanning the items table read every JSON body on the way (ten times the bytes)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_texts',
    sa.Column('item_id', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], onupdate='CASCADE'),
    sa.PrimaryKeyConstraint('item_id')
    )
    op.execute("INSERT INTO item_texts (item_id, text, tags) SELECT id, search_text, tags_text FROM items")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of items would be refused by
    # the foreign keys that point at it.
    op.drop_column('items', 'tags_text')
    op.drop_column('items', 'search_text')


def downgrade() -> None:
    op.add_column('items', sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    op.add_column('items', sa.Column('tags_text', sa.String(length=500), nullable=False, server_default=' '))
    op.execute(
        "UPDATE items SET search_text = (SELECT text FROM item_texts WHERE item_texts.item_id = items.id),"
        " tags_text = (SELECT tags FROM item_texts WHERE item_texts.item_id = items.id)"
        " WHERE id IN (SELECT item_id FROM item_texts)"
    )
    op.drop_table('item_texts')
