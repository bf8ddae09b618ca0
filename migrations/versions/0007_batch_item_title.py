"""Import batch items keep the title of a study that undo removed.

Revision ID: 0007_batch_item_title
Revises: 0006_session_version
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_batch_item_title'
down_revision = '0006_session_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_batch_items') as batch_op:
        batch_op.add_column(sa.Column('study_title', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('import_batch_items') as batch_op:
        batch_op.drop_column('study_title')
