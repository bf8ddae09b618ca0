"""The advisory round: an owner's question about a draft and the secretary's advice,
without a decision.

Revision ID: 0012_round_advice
Revises: 0011_conflict_withdrawn
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_round_advice'
down_revision = '0011_conflict_withdrawn'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'round_advice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('question', 'advice')", name=op.f('ck_round_advice_kind')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('fk_round_advice_author_id_users')),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id'], ondelete='CASCADE',
                                name=op.f('fk_round_advice_round_id_assessment_rounds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_advice')),
    )
    with op.batch_alter_table('round_advice') as batch_op:
        batch_op.create_index(batch_op.f('ix_round_advice_round_id'), ['round_id'])


def downgrade():
    op.drop_table('round_advice')
