"""drill drafts (saved as the learner types) and graded attempts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from quizzer.storage.models import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drill_drafts',
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('hints_shown', sa.Integer(), nullable=False),
    sa.Column('started_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], ),
    sa.PrimaryKeyConstraint('card_id')
    )
    op.create_table('drill_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('submission', sa.Text(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('cause', sa.String(length=32), nullable=True),
    sa.Column('hints_shown', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_drill_attempts_attempted_at', 'drill_attempts', ['attempted_at'], unique=False)
    op.create_index('ix_drill_attempts_card_id', 'drill_attempts', ['card_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_drill_attempts_card_id', table_name='drill_attempts')
    op.drop_index('ix_drill_attempts_attempted_at', table_name='drill_attempts')
    op.drop_table('drill_attempts')
    op.drop_table('drill_drafts')
