"""The panel's appraisal of effect studies: each reviewer's answers and rating inside
the blind assessment, and the agreed rating per study in the decision.

Revision ID: 0019_study_appraisals
Revises: 0018_domain_ratings
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_study_appraisals'
down_revision = '0018_domain_ratings'
branch_labels = None
depends_on = None

RATINGS = "'meets_without_reservations', 'meets_with_reservations', 'does_not_meet'"
CHOICES = {
    'design': "'rct', 'quasi_experimental', 'pre_post', 'other'",
    'group_formation': "'random', 'matched', 'existing_groups', 'self_selected'",
    'confounding': "'none', 'present'",
    'outcome_measures': "'valid_reliable', 'doubtful'",
    'analysis': "'appropriate', 'flawed'",
    'proposed': RATINGS,
    'rating': RATINGS,
}


def _one_of(table, column, values):
    return sa.CheckConstraint(f"{column} IS NULL OR {column} IN ({values})",
                              name=op.f(f'ck_{table}_{column}'))


def _study_appraisals():
    op.create_table(
        'study_appraisals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('design', sa.String(length=20), nullable=True),
        sa.Column('group_formation', sa.String(length=20), nullable=True),
        sa.Column('overall_attrition', sa.Float(), nullable=True),
        sa.Column('differential_attrition', sa.Float(), nullable=True),
        sa.Column('baseline_difference', sa.Float(), nullable=True),
        sa.Column('baseline_adjusted', sa.Boolean(), nullable=False),
        sa.Column('confounding', sa.String(length=10), nullable=True),
        sa.Column('outcome_measures', sa.String(length=20), nullable=True),
        sa.Column('analysis', sa.String(length=20), nullable=True),
        sa.Column('proposed', sa.String(length=30), nullable=True),
        sa.Column('rating', sa.String(length=30), nullable=True),
        sa.Column('override_reason', sa.Text(), nullable=True),
        *(_one_of('study_appraisals', column, values) for column, values in CHOICES.items()),
        sa.CheckConstraint('overall_attrition BETWEEN 0 AND 100',
                           name=op.f('ck_study_appraisals_overall_attrition')),
        sa.CheckConstraint('differential_attrition BETWEEN 0 AND 100',
                           name=op.f('ck_study_appraisals_differential_attrition')),
        sa.CheckConstraint('baseline_difference >= 0',
                           name=op.f('ck_study_appraisals_baseline_difference')),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                                name=op.f('fk_study_appraisals_assessment_id_assessments'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['study_id'], ['studies.id'],
                                name=op.f('fk_study_appraisals_study_id_studies'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_study_appraisals')),
        sa.UniqueConstraint('assessment_id', 'study_id',
                            name=op.f('uq_study_appraisals_assessment_id')),
    )
    op.create_index(op.f('ix_study_appraisals_assessment_id'), 'study_appraisals',
                    ['assessment_id'])
    op.create_index(op.f('ix_study_appraisals_study_id'), 'study_appraisals', ['study_id'])


def _agreed_appraisals():
    op.create_table(
        'agreed_appraisals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.String(length=30), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        _one_of('agreed_appraisals', 'rating', RATINGS),
        sa.ForeignKeyConstraint(['decision_id'], ['evidence_decisions.id'],
                                name=op.f('fk_agreed_appraisals_decision_id_evidence_decisions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['study_id'], ['studies.id'],
                                name=op.f('fk_agreed_appraisals_study_id_studies'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreed_appraisals')),
        sa.UniqueConstraint('decision_id', 'study_id',
                            name=op.f('uq_agreed_appraisals_decision_id')),
    )
    op.create_index(op.f('ix_agreed_appraisals_decision_id'), 'agreed_appraisals',
                    ['decision_id'])
    op.create_index(op.f('ix_agreed_appraisals_study_id'), 'agreed_appraisals', ['study_id'])


def upgrade():
    _study_appraisals()
    _agreed_appraisals()


def downgrade():
    op.drop_table('agreed_appraisals')
    op.drop_table('study_appraisals')
