"""Wider volume, issue and pages: real exports exceed 40 characters ("Suppl. 2 (Special
issue: ...)", article numbers with ranges); a value beyond even these is dropped with a
warning by the import (importers/validate.py FORGIVEN_FIELDS).

Revision ID: 0009_study_field_widths
Revises: 0008_submission_answer
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_study_field_widths'
down_revision = '0008_submission_answer'
branch_labels = None
depends_on = None

FIELDS = ('volume', 'issue', 'pages')


def upgrade():
    with op.batch_alter_table('studies') as batch_op:
        for name in FIELDS:
            batch_op.alter_column(name, type_=sa.String(100), existing_type=sa.String(40),
                                  existing_nullable=True)


def downgrade():
    # Values longer than 40 characters are cut, so the narrower columns can hold them.
    for name in FIELDS:
        op.execute(f"UPDATE studies SET {name} = SUBSTR({name}, 1, 40) "  # noqa: S608
                   f"WHERE LENGTH({name}) > 40")
    with op.batch_alter_table('studies') as batch_op:
        for name in FIELDS:
            batch_op.alter_column(name, type_=sa.String(40), existing_type=sa.String(100),
                                  existing_nullable=True)
