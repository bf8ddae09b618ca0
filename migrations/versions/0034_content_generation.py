"""A content generation: one counter that every commit changing shown content moves on,
so each process can keep rendered intervention pages and know, with one read of a row
all hosts share, whether they still hold (registry/page_cache.py).

Revision ID: 0034_content_generation
Revises: 0033_notice_about
"""
import sqlalchemy as sa
from alembic import op

revision = '0034_content_generation'
down_revision = '0033_notice_about'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_generation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'generation': 0}])


def downgrade():
    op.drop_table('content_generation')
