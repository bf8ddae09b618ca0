"""Nominations (an intervention put forward for assessment, a study recommended for an
intervention) and registered trials still running (registration, expected end).

Revision ID: 0014_nominations
Revises: 0013_panel_rules
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_nominations'
down_revision = '0013_panel_rules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'nominations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('nominator_id', sa.Integer(), nullable=True),
        sa.Column('intervention_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=300), nullable=True),
        sa.Column('doi', sa.String(length=255), nullable=True),
        sa.Column('pmid', sa.String(length=20), nullable=True),
        sa.Column('study_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reply', sa.Text(), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('intervention', 'study')", name=op.f('ck_nominations_kind')),
        sa.CheckConstraint("status IN ('new', 'in_progress', 'accepted', 'declined')",
                           name=op.f('ck_nominations_status')),
        sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'],
                                name=op.f('fk_nominations_handled_by_id_users')),
        sa.ForeignKeyConstraint(['intervention_id'], ['interventions.id'], ondelete='SET NULL',
                                name=op.f('fk_nominations_intervention_id_interventions')),
        sa.ForeignKeyConstraint(['nominator_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_nominations_nominator_id_users')),
        sa.ForeignKeyConstraint(['study_id'], ['studies.id'], ondelete='SET NULL',
                                name=op.f('fk_nominations_study_id_studies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations')),
    )
    with op.batch_alter_table('nominations') as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_nominator_id'), ['nominator_id'])
    with op.batch_alter_table('studies') as batch_op:
        batch_op.add_column(sa.Column('trial_registration', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('expected_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ongoing', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('studies') as batch_op:
        batch_op.drop_column('ongoing')
        batch_op.drop_column('expected_end')
        batch_op.drop_column('trial_registration')
    op.drop_table('nominations')
