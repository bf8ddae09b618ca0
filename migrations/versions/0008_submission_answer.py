"""Submissions keep the owner's written answer to the screening remarks.

Revision ID: 0008_submission_answer
Revises: 0007_batch_item_title
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_submission_answer'
down_revision = '0007_batch_item_title'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions') as batch_op:
        batch_op.add_column(sa.Column('answer', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('submissions') as batch_op:
        batch_op.drop_column('answer')
