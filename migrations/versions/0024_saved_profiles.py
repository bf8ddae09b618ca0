"""Saved client profiles: a professional's label and the profile's characteristics (no
personal data), with the last visit, for "new or re-rated since"; and the opt-in to the
weekly e-mail digest.

Revision ID: 0024_saved_profiles
Revises: 0023_usage_counts
"""
import sqlalchemy as sa
from alembic import op

revision = '0024_saved_profiles'
down_revision = '0023_usage_counts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_profiles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=80), nullable=False),
        sa.Column('query', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_visited_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_saved_profiles_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_profiles')),
    )
    op.create_index(op.f('ix_saved_profiles_user_id'), 'saved_profiles', ['user_id'])
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


def downgrade():
    op.drop_table('profile_digests')
    op.drop_index(op.f('ix_saved_profiles_user_id'), table_name='saved_profiles')
    op.drop_table('saved_profiles')
