"""statistics: retrievability logged with each answer, covering indexes, imported review history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from quizzer.storage.models import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

DEFAULT_DECAY = -0.1542
"""FSRS 6's default decay: every answer before this revision was scheduled with the default parameters."""
FACTOR = 0.9 ** (1 / DEFAULT_DECAY) - 1


def _backfill_retrievability() -> None:
    """What FSRS predicted at each past answer, computed as fsrs does (whole days elapsed)."""
    logs = sa.table(
        'review_logs', sa.column('id', sa.Integer), sa.column('reviewed_at', UTCDateTime()),
        sa.column('before_last_review', UTCDateTime()), sa.column('before_stability', sa.Float),
        sa.column('before_retrievability', sa.Float),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(logs.c.id, logs.c.reviewed_at, logs.c.before_last_review, logs.c.before_stability).where(
            logs.c.before_last_review.is_not(None), logs.c.before_stability > 0
        )
    ).all()
    values = [
        {"rid": rid, "r": (1 + FACTOR * max(0, (at - last).days) / stability) ** DEFAULT_DECAY}
        for rid, at, last, stability in rows
    ]
    if values:
        conn.execute(
            logs.update().where(logs.c.id == sa.bindparam('rid')).values(before_retrievability=sa.bindparam('r')), values
        )


def upgrade() -> None:
    op.add_column('review_logs', sa.Column('before_retrievability', sa.Float(), nullable=True))
    _backfill_retrievability()
    op.create_index('ix_review_logs_days', 'review_logs', ['reviewed_at', 'before_state', 'rating', 'duration_ms', 'card_id'], unique=False)
    op.create_index('ix_review_logs_calibration', 'review_logs', ['before_state', 'before_retrievability', 'rating', 'card_id'], unique=False)
    op.create_index('ix_review_logs_lapses', 'review_logs', ['before_state', 'rating', 'card_id'], unique=False)
    op.create_table('imported_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_key', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('state', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_imported_reviews_card_time', 'imported_reviews', ['card_key', 'reviewed_at'], unique=True)
    op.create_index('ix_imported_reviews_days', 'imported_reviews', ['reviewed_at', 'rating', 'state', 'duration_ms'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_imported_reviews_days', table_name='imported_reviews')
    op.drop_index('ix_imported_reviews_card_time', table_name='imported_reviews')
    op.drop_table('imported_reviews')
    op.drop_index('ix_review_logs_lapses', table_name='review_logs')
    op.drop_index('ix_review_logs_calibration', table_name='review_logs')
    op.drop_index('ix_review_logs_days', table_name='review_logs')
    with op.batch_alter_table('review_logs') as batch:
        batch.drop_column('before_retrievability')
