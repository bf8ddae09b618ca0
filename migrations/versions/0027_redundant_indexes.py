"""Drop the single-column indexes that repeat the first column of a unique constraint on
the same table (study_authors.study_id beside unique (study_id, position), and 19 more):
the constraint's index answers the same lookups, and every insert paid for both (a bulk
import writes tens of thousands of author rows).

Revision ID: 0027_redundant_indexes
Revises: 0026_practice_experiences
"""
from alembic import op

revision = '0027_redundant_indexes'
down_revision = '0026_practice_experiences'
branch_labels = None
depends_on = None

# (table, column): each had the index ix_<table>_<column>.
INDEXED = [
    ('usage_counts', 'month'),
    ('vocabulary_terms', 'vocabulary'),
    ('external_ratings', 'intervention_id'),
    ('guide_versions', 'guide_id'),
    ('intervention_versions', 'intervention_id'),
    ('user_expertise', 'user_id'),
    ('user_roles', 'user_id'),
    ('intervention_studies', 'intervention_id'),
    ('study_authors', 'study_id'),
    ('assessments', 'round_id'),
    ('finding_adjudications', 'round_id'),
    ('finding_codings', 'round_id'),
    ('panel_members', 'round_id'),
    ('agreed_appraisals', 'decision_id'),
    ('assessment_scores', 'assessment_id'),
    ('decision_reminders', 'decision_id'),
    ('decision_votes', 'decision_id'),
    ('domain_ratings', 'decision_id'),
    ('outcome_ratings', 'decision_id'),
    ('study_appraisals', 'assessment_id'),
]


def upgrade():
    for table, column in INDEXED:
        op.drop_index(f'ix_{table}_{column}', table_name=table)


def downgrade():
    for table, column in INDEXED:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)
