"""Schemathesis against /api/v1/openapi.json: every documented operation, anonymous and
with a token of each role, answers without a server error and as the document says
(documented status code, content type and response schema), and refuses what the
document calls invalid.

The catalogue holds published interventions, studies and procedure rounds in several
states, and generated ids and slugs are sometimes swapped for ones that exist, so
operations are exercised past their 404s.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select

from registry import create_app
from registry.extensions import db
from registry.models import AssessmentRound, Intervention, Study, User
from registry.models.vocabulary import VOCABULARIES
from registry.search import sync
from registry.services.accounts import create_api_token
from registry.views.converters import MAX_ID
from search_index import searchers
from tests.factories import FindingFactory, link, make_intervention
from tests.unit.procedure.support import drive, make_cast, make_user

pytestmark = pytest.mark.slow

TOKEN_ROLES = ("professional", "owner", "researcher", "reviewer", "secretary", "admin")
# Operations that read the token; the others never look at it.
TOKEN_PATHS = r"^/api/v1/(procedure|imports)/"
# With the coverage phase below, small enough that the file runs in well under a minute.
MAX_EXAMPLES = 8

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    # Invalid input (as the document defines it) is refused, and other methods get 405.
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.unsupported_method,
]


def _config(**extra: Any) -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": 2026,
        # Imports are sent as dry runs only: a committed import writes studies and a
        # batch (later examples would trip over them as duplicates); a dry run goes
        # through the same parsing, validation and report without writing.
        "parameters": {"query.dry_run": "true"},
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            # Reproducible runs, and no example database written into the working tree.
            "deterministic": True,
            "database": "none",
        },
        **extra,
    })


def _load_schema(config: schemathesis.Config) -> schemathesis.BaseSchema:
    # The document depends on code and configuration only: an app without a database
    # serves it at collection time. Each test calls the test app, with its own data.
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


# The coverage phase (every boundary of every parameter) runs once per operation where
# the input is read: public operations anonymously (a token changes nothing there),
# operations that read the token with it, for every role. Anonymous requests to those
# are refused (401) before any input is looked at.
anonymous_schema = _load_schema(_config(operations=[
    {"include-path-regex": TOKEN_PATHS, "phases": {"coverage": {"enabled": False}}},
]))
token_schema = _load_schema(_config(operations=[
    {"exclude-path-regex": TOKEN_PATHS, "phases": {"coverage": {"enabled": False}}},
]))

# Path parameters that name something, and the values that exist.
KNOWN_VALUES = {
    "study_id": lambda: db.session.scalars(select(Study.id).order_by(Study.id)).all(),
    "round_id": lambda: db.session.scalars(
        select(AssessmentRound.id).order_by(AssessmentRound.id)).all(),
    "slug": lambda: db.session.scalars(select(Intervention.slug).order_by(Intervention.slug)).all(),
    "name": lambda: list(VOCABULARIES),
}


def _is_valid(value: object) -> bool:
    # Swapping one valid value for another keeps a case valid, and leaves a negative
    # case (an id out of range, a value of the wrong type) as negative as it was.
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 <= value <= MAX_ID
    return isinstance(value, str)


def flatmap_path_parameters(context, path_parameters):
    """A random id or slug almost never exists: sometimes take one that does instead."""
    choices = [path_parameters]
    for name, value in (path_parameters or {}).items():
        if name in KNOWN_VALUES and _is_valid(value):
            choices += [{**path_parameters, name: known} for known in KNOWN_VALUES[name]()]
    return st.sampled_from(choices)


for _schema in (anonymous_schema, token_schema):
    _schema.hook(flatmap_path_parameters)


@pytest.fixture
def catalogue(request, app, db_session, tmp_path, monkeypatch) -> Iterator[dict[str, User]]:
    """Published interventions with a decision and a study, procedure rounds in three
    states, and for the search operations an index; yields the procedure's users by role."""
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "index"))
    published = make_intervention(slug="ips", outcome="effective_good",
                                  tags={"barrier": ["debt"]})
    # Naive, as SQLite hands every timestamp back: the API must still write an offset.
    published.current_decision.published_at = datetime(2024, 5, 1, 9, 30)
    published.published_version.published_at = datetime(2024, 5, 1, 9, 30)
    make_intervention(slug="taaltraject", tags={"barrier": ["language"]})
    link(published, FindingFactory().study)
    cast = make_cast()
    for state in ("draft", "in_review", "in_discussion"):
        drive(cast, state)
    db.session.flush()
    if any(path in request.node.name
           for path in ("/api/v1/search", "/api/v1/studies]", "/api/v1/evidence-map")):
        sync.rebuild_all(db_session.connection(), tmp_path / "index")
    yield {"owner": cast.owner, "reviewer": cast.reviewer_a, "secretary": cast.secretary}
    searchers.release_all()


@pytest.fixture
def headers(catalogue, role) -> dict[str, str]:
    """The Authorization header of a user with this role (none when anonymous)."""
    if role == "anonymous":
        return {}
    user = catalogue.get(role) or make_user(role)
    return {"Authorization": f"Bearer {create_api_token(user, 'schemathesis')[1]}"}


# Each test's catalogue is shared by its examples on purpose: what they write stays
# inside the test's transaction and is rolled back with it.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@anonymous_schema.parametrize()
@pytest.mark.parametrize("role", ["anonymous"])
@SHARED_FIXTURES
def test_api_answers_anonymous_requests_as_documented(app, headers, case, role):
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)


@token_schema.parametrize()
@pytest.mark.parametrize("role", TOKEN_ROLES)
@SHARED_FIXTURES
def test_api_answers_each_role_as_documented(app, headers, case, role):
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
