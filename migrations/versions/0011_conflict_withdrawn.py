"""A reviewer may withdraw a standing conflict of interest; the declaration is kept, with
the moment it was withdrawn, for the secretary's register.

Revision ID: 0011_conflict_withdrawn
Revises: 0010_decision_reminders
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_conflict_withdrawn'
down_revision = '0010_decision_reminders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conflict_declarations') as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('conflict_declarations') as batch_op:
        batch_op.drop_column('withdrawn_at')
