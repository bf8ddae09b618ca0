"""Standard deviations of the groups' means in a finding, so a mean difference goes on
the common scale (Hedges' g) exactly.

Revision ID: 0017_finding_sds
Revises: 0016_adviser_role
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_finding_sds'
down_revision = '0016_adviser_role'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('findings') as batch_op:
        for column in ('sd_intervention', 'sd_comparison'):
            batch_op.add_column(sa.Column(column, sa.Float(), nullable=True))
            batch_op.create_check_constraint(
                op.f(f'ck_findings_{column}'), f"{column} IS NULL OR {column} > 0")


def downgrade():
    with op.batch_alter_table('findings') as batch_op:
        for column in ('sd_intervention', 'sd_comparison'):
            batch_op.drop_constraint(op.f(f'ck_findings_{column}'), type_='check')
            batch_op.drop_column(column)
