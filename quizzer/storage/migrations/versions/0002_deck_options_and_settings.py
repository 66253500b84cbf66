"""deck options and learner settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decks',
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('new_per_day', sa.Integer(), nullable=True),
    sa.Column('reviews_per_day', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('path')
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('settings')
    op.drop_table('decks')
