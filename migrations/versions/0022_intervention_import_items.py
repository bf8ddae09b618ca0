"""Intervention imports: a batch item can name the intervention it added or updated, so
the batch can be undone like a study import.

Revision ID: 0022_intervention_import_items
Revises: 0021_external_ratings
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_intervention_import_items'
down_revision = '0021_external_ratings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_batch_items') as batch:
        batch.add_column(sa.Column('intervention_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_import_batch_items_intervention_id_interventions'), 'interventions',
            ['intervention_id'], ['id'], ondelete='SET NULL')
        batch.create_index(op.f('ix_import_batch_items_intervention_id'), ['intervention_id'])


def downgrade():
    with op.batch_alter_table('import_batch_items') as batch:
        batch.drop_index(op.f('ix_import_batch_items_intervention_id'))
        batch.drop_constraint(op.f('fk_import_batch_items_intervention_id_interventions'),
                              type_='foreignkey')
        batch.drop_column('intervention_id')
