"""The browser's search, fast at 10,000 cards: cards get an index in content order (the first
rows of a search are read by walking it and stopping at the limit, not by sorting every match);
the items' deck index holds their ids (a deck's items are found without reading the items);
item_texts is rebuilt with an integer key and its tags before the long text, and the tags get a
covering index (a tag search read every text on the way); on SQLite, a trigram full-text index over the texts (FTS5), kept
up to date by triggers, so free text of three characters or more is looked up, not scanned

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

FTS_TRIGGERS = {
    "item_texts_fts_insert": "AFTER INSERT ON item_texts BEGIN"
    " INSERT INTO item_texts_fts (rowid, text) VALUES (new.id, new.text); END",
    "item_texts_fts_delete": "AFTER DELETE ON item_texts BEGIN"
    " INSERT INTO item_texts_fts (item_texts_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "item_texts_fts_update": "AFTER UPDATE ON item_texts BEGIN"
    " INSERT INTO item_texts_fts (item_texts_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO item_texts_fts (rowid, text) VALUES (new.id, new.text); END",
}


def trigram_available() -> bool:
    """SQLite with FTS5 and its trigram tokenizer (3.34+); elsewhere the search scans with LIKE."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    version = tuple(int(part) for part in bind.exec_driver_sql("SELECT sqlite_version()").scalar_one().split("."))
    return version >= (3, 34) and bool(bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar_one())


def rebuild_texts(*schema: SchemaItem) -> None:
    """item_texts again as ``schema`` says (the data copied over; a new table, then the rename)."""
    op.create_table('item_texts_new', *schema)
    op.execute("INSERT INTO item_texts_new (item_id, tags, text) SELECT item_id, tags, text FROM item_texts")
    op.drop_table('item_texts')
    op.rename_table('item_texts_new', 'item_texts')


def upgrade() -> None:
    op.create_index('ix_cards_content_order', 'cards', ['position', 'ordinal'])
    op.drop_index('ix_items_deck', table_name='items')
    op.create_index('ix_items_deck', 'items', ['deck', 'id'])
    rebuild_texts(
        sa.Column('id', sa.Integer(), nullable=False), sa.Column('item_id', sa.String(length=200), nullable=False),
        sa.Column('tags', sa.Text(), nullable=False), sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], onupdate='CASCADE'), sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_item_texts_item_id', 'item_texts', ['item_id'], unique=True)
    op.create_index('ix_item_texts_tags', 'item_texts', ['tags', 'item_id'])
    if trigram_available():
        op.execute("CREATE VIRTUAL TABLE item_texts_fts USING fts5(text, content='item_texts', content_rowid='id', tokenize='trigram')")
        op.execute("INSERT INTO item_texts_fts (item_texts_fts) VALUES ('rebuild')")
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS item_texts_fts")
    op.drop_index('ix_item_texts_tags', table_name='item_texts')
    op.drop_index('ix_item_texts_item_id', table_name='item_texts')
    rebuild_texts(
        sa.Column('item_id', sa.String(length=200), nullable=False), sa.Column('text', sa.Text(), nullable=False),
        sa.Column('tags', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], onupdate='CASCADE'), sa.PrimaryKeyConstraint('item_id'),
    )
    op.drop_index('ix_items_deck', table_name='items')
    op.create_index('ix_items_deck', 'items', ['deck'])
    op.drop_index('ix_cards_content_order', table_name='cards')
