"""cards: a flag (Anki's colours 1–7); items: their texts and tags as plain lower-case text,
for the browser's search (the JSON body stores Chinese escaped)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from quizzer.storage.models import searchable_text, tags_text

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _backfill() -> None:
    """Items imported before this revision get their texts now (unchanged items are not re-imported)."""
    items = sa.table(
        'items', sa.column('id', sa.String), sa.column('body', sa.JSON), sa.column('tags', sa.JSON),
        sa.column('search_text', sa.Text), sa.column('tags_text', sa.String),
    )
    conn = op.get_bind()
    values = [
        {"iid": iid, "text": searchable_text(body), "tag_words": tags_text(tags)}
        for iid, body, tags in conn.execute(sa.select(items.c.id, items.c.body, items.c.tags))
    ]
    if values:
        conn.execute(
            items.update().where(items.c.id == sa.bindparam('iid')).values(
                search_text=sa.bindparam('text'), tags_text=sa.bindparam('tag_words')
            ),
            values,
        )


def upgrade() -> None:
    with op.batch_alter_table('cards') as batch:
        batch.add_column(sa.Column('flag', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('items') as batch:
        batch.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('tags_text', sa.String(length=500), nullable=False, server_default=' '))
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.drop_column('tags_text')
        batch.drop_column('search_text')
    with op.batch_alter_table('cards') as batch:
        batch.drop_column('flag')
