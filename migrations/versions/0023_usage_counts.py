"""Adoption figures: anonymous counts per month (searches and profile searches per facet
value, views and fact-sheet downloads per status), never per person.

Revision ID: 0023_usage_counts
Revises: 0022_intervention_import_items
"""
import sqlalchemy as sa
from alembic import op

revision = '0023_usage_counts'
down_revision = '0022_intervention_import_items'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'usage_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('metric', sa.String(length=30), nullable=False),
        sa.Column('dimension', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=80), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_counts')),
        sa.UniqueConstraint('month', 'metric', 'dimension', 'value',
                            name=op.f('uq_usage_counts_month')),
    )
    op.create_index(op.f('ix_usage_counts_month'), 'usage_counts', ['month'])


def downgrade():
    op.drop_index(op.f('ix_usage_counts_month'), table_name='usage_counts')
    op.drop_table('usage_counts')
