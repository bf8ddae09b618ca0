"""Migrations create the whole schema on an empty database and match the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from registry.extensions import db
from registry.models import AuditEvent
from tests.conftest import make_test_app


def test_models_and_migrations_do_not_drift(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_then_downgrade_on_an_empty_database(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path)
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert {"interventions", "studies", "audit_events", "vocabulary_terms"} <= tables
    assert left == set()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET action = 'vervalst'", "DELETE FROM audit_events"],
)
def test_database_refuses_to_change_audit_rows(db_session, statement):
    db_session.add(AuditEvent(action="test", entity_type="intervention", entity_id=1))
    db_session.flush()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), db_session.begin_nested():
        db_session.execute(sa.text(statement))


def _leading_columns(table: sa.Table) -> list[tuple[str, tuple[str, ...]]]:
    """(name, columns) of each index and unique or primary key constraint of a table."""
    keys = [(index.name, tuple(c.name for c in index.columns)) for index in table.indexes]
    keys += [(c.name or "primary key", tuple(col.name for col in c.columns))
             for c in table.constraints
             if isinstance(c, sa.UniqueConstraint | sa.PrimaryKeyConstraint)]
    return keys


def test_no_index_repeats_the_start_of_another_key():
    """An index on (a) beside a unique constraint on (a, b) is written on every insert and
    answers nothing the constraint's own index does not."""
    redundant = []
    for table in db.metadata.sorted_tables:
        keys = _leading_columns(table)
        for name, columns in keys:
            if not name.startswith("ix_"):
                continue
            redundant += [(table.name, name, other) for other, wider in keys
                          if other != name and wider[:len(columns)] == columns]
    assert redundant == []
