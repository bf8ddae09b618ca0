"""The numbers a coder gives for a finding besides its effect size: group sizes, means
or proportions, and SDs, so a finding coded in the procedure goes on the common scale
(Hedges' g) as one imported with them does.

Revision ID: 0020_coded_finding_numbers
Revises: 0019_study_appraisals
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_coded_finding_numbers'
down_revision = '0019_study_appraisals'
branch_labels = None
depends_on = None

COLUMNS = (('n_intervention', sa.Integer()), ('n_comparison', sa.Integer()),
           ('value_intervention', sa.Float()), ('value_comparison', sa.Float()),
           ('sd_intervention', sa.Float()), ('sd_comparison', sa.Float()))
CHECKS = (('n_intervention', 'n_intervention IS NULL OR n_intervention >= 0'),
          ('n_comparison', 'n_comparison IS NULL OR n_comparison >= 0'),
          ('sd_intervention', 'sd_intervention IS NULL OR sd_intervention > 0'),
          ('sd_comparison', 'sd_comparison IS NULL OR sd_comparison > 0'))


def upgrade():
    with op.batch_alter_table('coded_findings') as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
        for name, condition in CHECKS:
            batch.create_check_constraint(op.f(f'ck_coded_findings_{name}'), condition)


def downgrade():
    with op.batch_alter_table('coded_findings') as batch:
        for name, _condition in CHECKS:
            batch.drop_constraint(op.f(f'ck_coded_findings_{name}'), type_='check')
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
