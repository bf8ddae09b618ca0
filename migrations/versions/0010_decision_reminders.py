"""Reminders before a recognition lapses, recorded so the scheduled job sends each once.

Revision ID: 0010_decision_reminders
Revises: 0009_study_field_widths
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_decision_reminders'
down_revision = '0009_study_field_widths'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'decision_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('months_before', sa.Integer(), nullable=False),
        sa.Column('sent', sa.Boolean(), nullable=False),
        sa.Column('handled_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['decision_id'], ['evidence_decisions.id'],
            name=op.f('fk_decision_reminders_decision_id_evidence_decisions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_reminders')),
        sa.UniqueConstraint('decision_id', 'months_before', name=op.f('uq_reminder_point')),
    )
    op.create_index(op.f('ix_decision_reminders_decision_id'), 'decision_reminders',
                    ['decision_id'])


def downgrade():
    op.drop_index(op.f('ix_decision_reminders_decision_id'), 'decision_reminders')
    op.drop_table('decision_reminders')
