"""Panels by level: the level an owner applies for on each round, and each reviewer's
expertise, which the panel rules per level ask for.

Revision ID: 0013_panel_rules
Revises: 0012_round_advice
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_panel_rules'
down_revision = '0012_round_advice'
branch_labels = None
depends_on = None

LEVELS = ("'well_described', 'well_founded', 'effective_first', 'effective_good', "
          "'effective_strong'")


def upgrade():
    with op.batch_alter_table('assessment_rounds') as batch_op:
        batch_op.add_column(sa.Column('level_sought', sa.String(length=30), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_assessment_rounds_level_sought'), f"level_sought IN ({LEVELS})")
    op.create_table(
        'user_expertise',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "code IN ('methodology', 'practice', 'content', 'lived_experience')",
            name=op.f('ck_user_expertise_code')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_user_expertise_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_expertise')),
        sa.UniqueConstraint('user_id', 'code', name=op.f('uq_user_expertise_user_id')),
    )
    with op.batch_alter_table('user_expertise') as batch_op:
        batch_op.create_index(batch_op.f('ix_user_expertise_user_id'), ['user_id'])


def downgrade():
    op.drop_table('user_expertise')
    with op.batch_alter_table('assessment_rounds') as batch_op:
        batch_op.drop_constraint(op.f('ck_assessment_rounds_level_sought'), type_='check')
        batch_op.drop_column('level_sought')
