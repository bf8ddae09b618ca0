"""Search change log: rows written with each change, applied to the index after commit.

Revision ID: 0002_search_changes
Revises: 0001_initial
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_search_changes'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entity_type', sa.String(length=30), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_changes')),
    )


def downgrade():
    op.drop_table('search_changes')
