"""The adviser role: comments on owners' drafts in the advisory round, as the secretary
does, without a decision.

Revision ID: 0016_adviser_role
Revises: 0015_double_coding
"""
from alembic import op

revision = '0016_adviser_role'
down_revision = '0015_double_coding'
branch_labels = None
depends_on = None

BEFORE = "'professional', 'owner', 'researcher', 'reviewer', 'secretary', 'admin'"
AFTER = "'professional', 'owner', 'researcher', 'reviewer', 'secretary', 'adviser', 'admin'"


def _roles(allowed: str) -> None:
    with op.batch_alter_table('user_roles') as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_roles_role'), f"role IN ({allowed})")


def upgrade():
    _roles(AFTER)


def downgrade():
    op.execute("DELETE FROM user_roles WHERE role = 'adviser'")
    _roles(BEFORE)
