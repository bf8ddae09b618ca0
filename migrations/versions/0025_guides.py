"""Werkwijzers: practice guides in Markdown, every save a version, linked to facet values
and interventions.

Revision ID: 0025_guides
Revises: 0024_saved_profiles
"""
import sqlalchemy as sa
from alembic import op

revision = '0025_guides'
down_revision = '0024_saved_profiles'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'guides',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guides')),
        sa.UniqueConstraint('slug', name=op.f('uq_guides_slug')),
    )
    op.create_table(
        'guide_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('guide_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('phase', sa.String(length=60), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('facets', sa.JSON(), nullable=False),
        sa.Column('intervention_ids', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['guide_id'], ['guides.id'],
                                name=op.f('fk_guide_versions_guide_id_guides'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_guide_versions_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guide_versions')),
        sa.UniqueConstraint('guide_id', 'number', name=op.f('uq_guide_versions_guide_id')),
    )
    op.create_index(op.f('ix_guide_versions_guide_id'), 'guide_versions', ['guide_id'])


def downgrade():
    op.drop_index(op.f('ix_guide_versions_guide_id'), table_name='guide_versions')
    op.drop_table('guide_versions')
    op.drop_table('guides')
