"""The international crosswalk: other clearinghouses' ratings of an intervention (their
label on their own scale, date, URL), one per clearinghouse.

Revision ID: 0021_external_ratings
Revises: 0020_coded_finding_numbers
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_external_ratings'
down_revision = '0020_coded_finding_numbers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'external_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('intervention_id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('rated_on', sa.Date(), nullable=True),
        sa.Column('url', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['intervention_id'], ['interventions.id'],
                                name=op.f('fk_external_ratings_intervention_id_interventions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['source_id'], ['vocabulary_terms.id'],
                                name=op.f('fk_external_ratings_source_id_vocabulary_terms')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_external_ratings')),
        sa.UniqueConstraint('intervention_id', 'source_id',
                            name=op.f('uq_external_ratings_intervention_id')),
    )
    op.create_index(op.f('ix_external_ratings_intervention_id'), 'external_ratings',
                    ['intervention_id'])


def downgrade():
    op.drop_index(op.f('ix_external_ratings_intervention_id'), table_name='external_ratings')
    op.drop_table('external_ratings')
