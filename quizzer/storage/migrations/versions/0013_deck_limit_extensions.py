"""decks: extra_new, extra_reviews, extended_until: custom study's raise of a deck's limits for
one study day

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from quizzer.storage.models import UTCDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('decks', sa.Column('extra_new', sa.Integer(), nullable=True))
    op.add_column('decks', sa.Column('extra_reviews', sa.Integer(), nullable=True))
    op.add_column('decks', sa.Column('extended_until', UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decks') as batch:
        batch.drop_column('extended_until')
        batch.drop_column('extra_reviews')
        batch.drop_column('extra_new')
