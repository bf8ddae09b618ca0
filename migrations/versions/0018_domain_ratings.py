"""The panel's rating per outcome domain and follow-up horizon in a decision, beside the
rating the findings proposed, with a reason where they differ.

Revision ID: 0018_domain_ratings
Revises: 0017_finding_sds
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_domain_ratings'
down_revision = '0017_finding_sds'
branch_labels = None
depends_on = None

RATINGS = ("'positive', 'potentially_positive', 'mixed', 'no_effect', "
           "'potentially_negative', 'negative', 'insufficient'")


def upgrade():
    op.create_table(
        'domain_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('outcome_domain_id', sa.Integer(), nullable=False),
        sa.Column('horizon', sa.String(length=10), nullable=False),
        sa.Column('proposed', sa.String(length=25), nullable=False),
        sa.Column('decided', sa.String(length=25), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.CheckConstraint(f"proposed IN ({RATINGS})", name=op.f('ck_domain_ratings_proposed')),
        sa.CheckConstraint(f"decided IN ({RATINGS})", name=op.f('ck_domain_ratings_decided')),
        sa.CheckConstraint("horizon IN ('short', 'medium', 'long', 'unknown')",
                           name=op.f('ck_domain_ratings_horizon')),
        sa.ForeignKeyConstraint(['decision_id'], ['evidence_decisions.id'],
                                name=op.f('fk_domain_ratings_decision_id_evidence_decisions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['outcome_domain_id'], ['vocabulary_terms.id'],
                                name=op.f('fk_domain_ratings_outcome_domain_id_vocabulary_terms')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_ratings')),
        sa.UniqueConstraint('decision_id', 'outcome_domain_id', 'horizon',
                            name=op.f('uq_domain_ratings_decision_id')),
    )
    op.create_index(op.f('ix_domain_ratings_decision_id'), 'domain_ratings', ['decision_id'])


def downgrade():
    op.drop_index(op.f('ix_domain_ratings_decision_id'), table_name='domain_ratings')
    op.drop_table('domain_ratings')
