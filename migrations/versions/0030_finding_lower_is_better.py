"""Findings say which way their measure is good: lower_is_better for an outcome where
less is the better result (benefit dependence, days of sick leave). A finding coded
"no difference" then still points the right way on the common scale; before, only a
favourable or unfavourable finding's sign was set by its direction.

Revision ID: 0030_finding_lower_is_better
Revises: 0029_unicode_dedup_keys
"""
import sqlalchemy as sa
from alembic import op

revision = '0030_finding_lower_is_better'
down_revision = '0029_unicode_dedup_keys'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('findings', 'coded_findings'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('lower_is_better', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade():
    for table in ('findings', 'coded_findings'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('lower_is_better')
