"""Search replicas: every index folder keeps its own position in the change log, so
several hosts can each keep an index; change rows carry their transaction id
(PostgreSQL) and SQLite ids are never reused.

Revision ID: 0005_search_replicas
Revises: 0004_imports
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_search_replicas'
down_revision = '0004_imports'
branch_labels = None
depends_on = None


def _recreate_on_sqlite() -> str:
    # Only SQLite needs the table rebuilt (to gain AUTOINCREMENT); elsewhere alter it.
    return 'always' if op.get_bind().dialect.name == 'sqlite' else 'auto'


def upgrade():
    with op.batch_alter_table(
        'search_changes', recreate=_recreate_on_sqlite(),
        table_kwargs={'sqlite_autoincrement': True},
    ) as batch_op:
        batch_op.add_column(sa.Column('txid', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_search_changes_txid'), ['txid'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_search_changes_recorded_at'), ['recorded_at'], unique=False
        )
    if op.get_bind().dialect.name == 'postgresql':
        # Rows written before replicas existed are pending for whoever reads them.
        op.execute('UPDATE search_changes SET txid = 0 WHERE txid IS NULL')
    op.create_table(
        'search_replicas',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('position', sa.BigInteger(), nullable=False),
        sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_replicas')),
    )
    op.create_table(
        'search_replica_applied',
        sa.Column('replica_id', sa.String(length=64), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['change_id'], ['search_changes.id'],
            name=op.f('fk_search_replica_applied_change_id_search_changes'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['replica_id'], ['search_replicas.id'],
            name=op.f('fk_search_replica_applied_replica_id_search_replicas'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('replica_id', 'change_id', name=op.f('pk_search_replica_applied')),
    )


def downgrade():
    op.drop_table('search_replica_applied')
    op.drop_table('search_replicas')
    with op.batch_alter_table('search_changes', recreate=_recreate_on_sqlite()) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_changes_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_search_changes_txid'))
        batch_op.drop_column('txid')
