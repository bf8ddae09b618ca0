"""Session versions: raising users.session_version ends every session of that user.

Revision ID: 0006_session_version
Revises: 0005_search_replicas
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_session_version'
down_revision = '0005_search_replicas'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='1', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_version')
