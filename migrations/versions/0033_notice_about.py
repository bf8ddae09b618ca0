"""Notices say what they are about: the intervention's title beside the message, so a
secretary with four submissions waiting sees four different notices, and a reminder's
e-mail names the recognition that lapses.

Revision ID: 0033_notice_about
Revises: 0032_renormalised_dois
"""
import sqlalchemy as sa
from alembic import op

revision = '0033_notice_about'
down_revision = '0032_renormalised_dois'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notices') as batch:
        batch.add_column(sa.Column('about', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('notices') as batch:
        batch.drop_column('about')
