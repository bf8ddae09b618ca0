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
    if not op.get_context().as_sql and not sa.inspect(op.get_bind()).has_table(
            'profile_digests'):
        # 0024 gained this table after its first release: a database upgraded by that
        # first 0024 lacks it. Made here as 0024 makes it, before it is changed.
        op.create_table(
            'profile_digests',
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column('subscribed_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                    name=op.f('fk_profile_digests_user_id_users'),
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profile_digests')),
        )
    with op.batch_alter_table('profile_digests') as batch:
        batch.add_column(sa.Column('covered_until', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE profile_digests SET covered_until = last_sent_at')


def downgrade():
    with op.batch_alter_table('profile_digests') as batch:
        batch.drop_column('covered_until')
