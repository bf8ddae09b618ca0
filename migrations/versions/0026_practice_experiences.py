"""Practice experiences (a municipality's local implementation of an intervention,
moderated by the secretary) and the broader term of a vocabulary term (a
municipality's province).

Revision ID: 0026_practice_experiences
Revises: 0025_guides
"""
import sqlalchemy as sa
from alembic import op

revision = '0026_practice_experiences'
down_revision = '0025_guides'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vocabulary_terms') as batch:
        batch.add_column(sa.Column('broader_code', sa.String(length=60), nullable=True))
    op.create_table(
        'practice_experiences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('intervention_id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('participants', sa.Integer(), nullable=True),
        sa.Column('target_group', sa.String(length=300), nullable=False),
        sa.Column('adaptations', sa.Text(), nullable=True),
        sa.Column('observations', sa.Text(), nullable=False),
        sa.Column('lessons', sa.Text(), nullable=True),
        sa.Column('contact_name', sa.String(length=200), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('moderated_by_id', sa.Integer(), nullable=True),
        sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('moderation_note', sa.String(length=1000), nullable=True),
        sa.CheckConstraint("status IN ('submitted', 'published', 'rejected')",
                           name=op.f('ck_practice_experiences_status')),
        sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on',
                           name=op.f('ck_practice_experiences_period')),
        sa.CheckConstraint('participants IS NULL OR participants > 0',
                           name=op.f('ck_practice_experiences_participants')),
        sa.ForeignKeyConstraint(['intervention_id'], ['interventions.id'],
                                name=op.f('fk_practice_experiences_intervention_id_interventions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['municipality_id'], ['vocabulary_terms.id'],
                                name=op.f('fk_practice_experiences_municipality_id_vocabulary_terms')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'],
                                name=op.f('fk_practice_experiences_submitted_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'],
                                name=op.f('fk_practice_experiences_moderated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_experiences')),
    )
    op.create_index(op.f('ix_practice_experiences_intervention_id'), 'practice_experiences',
                    ['intervention_id'])
    op.create_index(op.f('ix_practice_experiences_status'), 'practice_experiences', ['status'])
    op.create_index(op.f('ix_practice_experiences_submitted_by_id'), 'practice_experiences',
                    ['submitted_by_id'])


def downgrade():
    op.drop_index(op.f('ix_practice_experiences_submitted_by_id'),
                  table_name='practice_experiences')
    op.drop_index(op.f('ix_practice_experiences_status'), table_name='practice_experiences')
    op.drop_index(op.f('ix_practice_experiences_intervention_id'),
                  table_name='practice_experiences')
    op.drop_table('practice_experiences')
    with op.batch_alter_table('vocabulary_terms') as batch:
        batch.drop_column('broader_code')
