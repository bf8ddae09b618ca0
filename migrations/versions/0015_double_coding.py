"""Double coding of findings: each coder's findings of a study in a round, and the
adjudication of every outcome and time point on which they are compared.

Revision ID: 0015_double_coding
Revises: 0014_nominations
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_double_coding'
down_revision = '0014_nominations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'finding_codings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('coder_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['coder_id'], ['users.id'],
                                name=op.f('fk_finding_codings_coder_id_users')),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id'], ondelete='CASCADE',
                                name=op.f('fk_finding_codings_round_id_assessment_rounds')),
        sa.ForeignKeyConstraint(['study_id'], ['studies.id'], ondelete='CASCADE',
                                name=op.f('fk_finding_codings_study_id_studies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_codings')),
        sa.UniqueConstraint('round_id', 'study_id', 'coder_id',
                            name=op.f('uq_finding_codings_round_id')),
    )
    with op.batch_alter_table('finding_codings') as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_codings_round_id'), ['round_id'])
    op.create_table(
        'coded_findings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coding_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('outcome_domain_id', sa.Integer(), nullable=False),
        sa.Column('time_point_months', sa.Integer(), nullable=True),
        sa.Column('measure', sa.String(length=300), nullable=False),
        sa.Column('effect_size_type', sa.String(length=30), nullable=True),
        sa.Column('effect_size', sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column('ci_lower', sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column('ci_upper', sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column('direction', sa.String(length=15), nullable=False),
        sa.CheckConstraint("direction IN ('favourable', 'null', 'unfavourable')",
                           name=op.f('ck_coded_findings_direction')),
        sa.CheckConstraint('ci_lower IS NULL OR ci_upper IS NULL OR ci_lower <= ci_upper',
                           name=op.f('ck_coded_findings_ci')),
        sa.ForeignKeyConstraint(['coding_id'], ['finding_codings.id'], ondelete='CASCADE',
                                name=op.f('fk_coded_findings_coding_id_finding_codings')),
        sa.ForeignKeyConstraint(['outcome_domain_id'], ['vocabulary_terms.id'],
                                name=op.f('fk_coded_findings_outcome_domain_id_vocabulary_terms')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coded_findings')),
    )
    with op.batch_alter_table('coded_findings') as batch_op:
        batch_op.create_index(batch_op.f('ix_coded_findings_coding_id'), ['coding_id'])
    op.create_table(
        'finding_adjudications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('outcome_domain_id', sa.Integer(), nullable=False),
        sa.Column('time_point_key', sa.Integer(), nullable=False),
        sa.Column('finding_id', sa.Integer(), nullable=True),
        sa.Column('adjudicator_id', sa.Integer(), nullable=True),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('adjudicated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['adjudicator_id'], ['users.id'],
                                name=op.f('fk_finding_adjudications_adjudicator_id_users')),
        sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ondelete='SET NULL',
                                name=op.f('fk_finding_adjudications_finding_id_findings')),
        sa.ForeignKeyConstraint(
            ['outcome_domain_id'], ['vocabulary_terms.id'],
            name=op.f('fk_finding_adjudications_outcome_domain_id_vocabulary_terms')),
        sa.ForeignKeyConstraint(
            ['round_id'], ['assessment_rounds.id'], ondelete='CASCADE',
            name=op.f('fk_finding_adjudications_round_id_assessment_rounds')),
        sa.ForeignKeyConstraint(['study_id'], ['studies.id'], ondelete='CASCADE',
                                name=op.f('fk_finding_adjudications_study_id_studies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_adjudications')),
        sa.UniqueConstraint('round_id', 'study_id', 'outcome_domain_id', 'time_point_key',
                            name=op.f('uq_finding_adjudications_round_id')),
    )
    with op.batch_alter_table('finding_adjudications') as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_adjudications_round_id'), ['round_id'])


def downgrade():
    op.drop_table('finding_adjudications')
    op.drop_table('coded_findings')
    op.drop_table('finding_codings')
