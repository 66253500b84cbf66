"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import quizzer.storage.models

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('items',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('deck', sa.String(length=200), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_file', sa.String(length=300), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('retired_at', quizzer.storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_deck'), ['deck'], unique=False)

    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=200), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=True),
    sa.Column('stability', sa.Float(), nullable=True),
    sa.Column('difficulty', sa.Float(), nullable=True),
    sa.Column('due', quizzer.storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_review', quizzer.storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.Column('buried_until', quizzer.storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], onupdate='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_cards_item_ordinal', ['item_id', 'ordinal'], unique=True)
        batch_op.create_index('ix_cards_queue_due', ['state', 'due'], unique=False)

    op.create_table('review_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', quizzer.storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('before_state', sa.Integer(), nullable=False),
    sa.Column('before_step', sa.Integer(), nullable=True),
    sa.Column('before_stability', sa.Float(), nullable=True),
    sa.Column('before_difficulty', sa.Float(), nullable=True),
    sa.Column('before_due', quizzer.storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('before_last_review', quizzer.storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('after_state', sa.Integer(), nullable=False),
    sa.Column('after_step', sa.Integer(), nullable=True),
    sa.Column('after_stability', sa.Float(), nullable=True),
    sa.Column('after_difficulty', sa.Float(), nullable=True),
    sa.Column('after_due', quizzer.storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_logs_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_logs_reviewed_at'), ['reviewed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_logs_reviewed_at'))
        batch_op.drop_index(batch_op.f('ix_review_logs_card_id'))

    op.drop_table('review_logs')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('ix_cards_queue_due')
        batch_op.drop_index('ix_cards_item_ordinal')
        batch_op.drop_index(batch_op.f('ix_cards_item_id'))

    op.drop_table('cards')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_deck'))

    op.drop_table('items')
