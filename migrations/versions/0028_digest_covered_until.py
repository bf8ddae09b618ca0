"""The weekly digest: up to when the news was delivered, apart from the claim. A sending
that fails (or a run that dies after its claim) no longer moves the start of the next
digest, so no news is lost. Existing rows count their last sending as delivered.

Revision ID: 0028_digest_covered_until
Revises: 0027_redundant_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = '0028_digest_covered_until'
down_revision = '0027_redundant_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profile_digests') as batch:
        batch.add_column(sa.Column('covered_until', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE profile_digests SET covered_until = last_sent_at')


def downgrade():
    with op.batch_alter_table('profile_digests') as batch:
        batch.drop_column('covered_until')
