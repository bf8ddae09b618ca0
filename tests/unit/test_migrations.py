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


def test_dedup_keys_of_studies_in_other_scripts_are_recomputed(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'keys.sqlite'}", tmp_path)
    with app.app_context():
        upgrade(revision="0028_digest_covered_until")
        with db.engine.begin() as connection:
            for study_id, title, author, old_key in (
                    (1, "Исследование COVID-19", "Иванов", "covid 19"),
                    (2, "Effecten van werk", "Jansen", "effecten van werk")):
                connection.execute(sa.text(
                    "INSERT INTO studies (id, title, title_key, first_author_key, keywords, "
                    "ongoing, created_at, updated_at) VALUES (:id, :title, :key, :author, '[]', "
                    "0, '2026-01-01', '2026-01-01')"), {"id": study_id, "title": title,
                                                      "key": old_key, "author": ""
                                                      if study_id == 1 else "jansen"})
                connection.execute(sa.text(
                    "INSERT INTO study_authors (study_id, position, family_name) "
                    "VALUES (:id, 1, :author)"), {"id": study_id, "author": author})
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(sa.text(
                "SELECT title_key, first_author_key FROM studies ORDER BY id")).all()
        db.engine.dispose()
    assert [tuple(k) for k in keys] == [("исследование covid 19", "иванов"),
                                        ("effecten van werk", "jansen")]
