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


def _at(url: str, tmp_path, revision: str):
    """An app context on a database of its own (SQLite, or PostgreSQL when the tests run
    on it) migrated up to `revision`."""
    app = make_test_app(url, tmp_path)
    context = app.app_context()
    context.push()
    upgrade(revision=revision)
    return context


@pytest.mark.parametrize(("late_table", "from_revision"), [
    ("profile_digests", "0027_redundant_indexes"),  # 0024 gained it after its release
    ("search_replica_applied", "0030_finding_lower_is_better"),  # 0005 likewise
])
def test_a_database_upgraded_by_an_early_release_reaches_head_whole(
        own_database_url, tmp_path, late_table, from_revision):
    context = _at(own_database_url, tmp_path, from_revision)
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"DROP TABLE {late_table}"))
        upgrade()
        with db.engine.connect() as connection:
            migration = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(migration, db.metadata)
    finally:
        db.engine.dispose()
        context.pop()
    assert differences == []


def test_existing_findings_learn_which_way_their_measure_is_good(own_database_url, tmp_path):
    context = _at(own_database_url, tmp_path, "0030_finding_lower_is_better")
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO studies (id, title, title_key, first_author_key, keywords, ongoing, "
                "created_at, updated_at) VALUES (1, 'Werk', 'werk', '', '[]', false, "
                "'2026-01-01', '2026-01-01')"))
            connection.execute(sa.text(
                "INSERT INTO vocabulary_terms (id, vocabulary, code, label_nl, label_en, "
                "position, is_active) VALUES (1, 'outcome_domain', 'work', 'Werk', 'Work', 1, "
                "true)"))
            for finding_id, measure, direction, treated, compared in (
                    (1, "Uitkeringsduur in maanden", "favourable", 7.0, 9.0),  # lower better
                    (2, "uitkeringsduur  in MAANDEN", "null", 8.0, 8.2),  # same measure
                    (3, "Betaald werk (%)", "favourable", 40.0, 30.0),  # higher better
                    (4, "Betaald werk (%)", "null", 31.0, 30.0),
                    (5, "Welbevinden", "null", 5.0, 5.1),  # nothing tells
                    (6, "Dagen verzuim", "unfavourable", 12.0, 10.0)):  # more is worse
                connection.execute(sa.text(
                    "INSERT INTO findings (id, study_id, outcome_domain_id, measure, direction, "
                    "value_intervention, value_comparison, counts_towards_rating) VALUES "
                    "(:id, 1, 1, :measure, :direction, :treated, :compared, true)"),
                    {"id": finding_id, "measure": measure, "direction": direction,
                     "treated": treated, "compared": compared})
        upgrade()
        with db.engine.connect() as connection:
            flags = dict(connection.execute(sa.text(
                "SELECT id, lower_is_better FROM findings ORDER BY id")).all())
    finally:
        db.engine.dispose()
        context.pop()
    assert {i: bool(v) for i, v in flags.items()} == {
        1: True, 2: True, 3: False, 4: False, 5: False, 6: True}


def test_offline_sql_is_refused_where_a_revision_needs_the_data(tmp_path, monkeypatch):
    import flask_migrate

    said: list[str] = []
    monkeypatch.setattr(flask_migrate.log, "error", said.append)
    context = _at(f"sqlite:///{tmp_path / 'offline.sqlite'}", tmp_path,
                  "0030_finding_lower_is_better")
    try:
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
            upgrade(revision="0030_finding_lower_is_better:head", sql=True)
        assert any("run flask db upgrade without --sql" in message for message in said)
    finally:
        db.engine.dispose()
        context.pop()


def test_stored_dois_take_the_normalisers_present_form(own_database_url, tmp_path):
    context = _at(own_database_url, tmp_path, "0031_repairs_and_lower_is_better")
    try:
        with db.engine.begin() as connection:
            for study_id, doi in ((1, "10.1000/abc)"), (2, "10.1000/xyz"), (3, "10.1000/dup."),
                                  (4, "10.1000/dup"), (5, "10.1000/a(b)")):
                connection.execute(sa.text(
                    "INSERT INTO studies (id, title, title_key, first_author_key, keywords, "
                    "ongoing, doi, created_at, updated_at) VALUES (:id, 'Werk', 'werk', '', "
                    "'[]', false, :doi, '2026-01-01', '2026-01-01')"),
                    {"id": study_id, "doi": doi})
        upgrade()
        with db.engine.connect() as connection:
            dois = dict(connection.execute(sa.text("SELECT id, doi FROM studies")).all())
    finally:
        db.engine.dispose()
        context.pop()
    assert dois == {1: "10.1000/abc", 2: "10.1000/xyz", 3: "10.1000/dup.",  # 4 holds it
                    4: "10.1000/dup", 5: "10.1000/a(b)"}
