"""Two requests that take the same step at the same moment — a double-clicked button, two
tabs, two secretaries — on real, separate connections: the step is taken once, the
other request is refused (409) or finds it done, and nothing is written, audited or
notified twice. Each request is held at a barrier at the service call, so both have read
before either writes. Needs a database of its own: the writes are committed."""

from __future__ import annotations

import contextlib
import functools
import io
import threading
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import (
    ApiToken,
    AuditEvent,
    ImportBatch,
    Nomination,
    Notice,
    PendingDuplicate,
    PracticeExperience,
    SavedProfile,
    Study,
)
from registry.services import accounts, experiences, nominations, profile_digest, saved_profiles
from registry.views.imports import pages
from tests.factories import StudyFactory, make_intervention, term
from tests.unit.procedure.support import login, make_user

SAMPLES = Path(__file__).resolve().parents[1] / "unit/importers/samples"


@pytest.fixture
def real_app(threaded_app):
    return threaded_app


def _hold_at_barrier(monkeypatch, owner, name: str) -> None:
    """Make owner.name wait until both requests have called it."""
    barrier = threading.Barrier(2, timeout=10)
    original = getattr(owner, name)

    @functools.wraps(original)
    def held(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)


def _together(*calls) -> list:
    """Each call in a thread of its own; their responses, in order."""
    results: list = [None] * len(calls)

    def run(index, call):
        results[index] = call()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(result is not None for result in results), "a request raised"
    return results


def _statuses(*calls) -> list[int]:
    return sorted(response.status_code for response in _together(*calls))


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _scalar(app, stmt):
    with app.app_context():
        try:
            return db.session.scalar(stmt)
        finally:
            db.session.remove()


def _count(app, model, *where) -> int:
    return _scalar(app, select(func.count()).select_from(model).where(*where))


def _made(app, *roles: str):
    """Users with these roles, committed; each as (id, what login() needs)."""
    with app.app_context():
        users = [make_user(role) for role in roles]
        db.session.commit()
        return [(user.id, SimpleNamespace(email=user.email)) for user in users]


# --- study imports -----------------------------------------------------------------------

NO_DOI = b"""TY  - RPRT
AU  - de Vries, P.
TI  - Schuldhulp eerst: een procesevaluatie in Rotterdam
PY  - 2021///
ER  -

TY  - RPRT
AU  - Bakker, M.
TI  - Werkfit in Tilburg: een evaluatie
PY  - 2022///
ER  -
""".replace(b"ER  -\n", b"ER  - \n")  # as exports end a record


def _researcher(app, candidate: bool = False):
    with app.app_context():
        make_intervention(slug="ips-bijstand")
        if candidate:
            StudyFactory(title="Schuldhulp eerst: een proces-evaluatie in Rotterdam",
                         year=2021, doi=None, authors=[("Vries", "de", "P.")])
        db.session.commit()
    return _made(app, "researcher")[0][1]


def _two_tabs_of_one_upload(app, user, content: bytes):
    """Two clients with one browser session holding one uploaded file (a double click)."""
    first = _client(app, user)
    first.post("/import/", data={"file": (io.BytesIO(content), "export.ris")},
               content_type="multipart/form-data")
    with first.session_transaction() as session:
        kept = dict(session)
    second = app.test_client()
    with second.session_transaction() as session:
        session.update(kept)
    return first, second, kept["import_upload"]["token"]


@pytest.mark.parametrize("content", [(SAMPLES / "studies.ris").read_bytes(), NO_DOI],
                         ids=["with-dois", "without-dois"])
def test_a_double_clicked_confirm_imports_the_file_once(real_app, monkeypatch, content):
    user = _researcher(real_app)
    first, second, token = _two_tabs_of_one_upload(real_app, user, content)
    _hold_at_barrier(monkeypatch, pages, "claim_upload")
    statuses = _statuses(lambda: first.post("/import/bevestigen", data={"token": token}),
                         lambda: second.post("/import/bevestigen", data={"token": token}))
    assert statuses == [302, 409]
    assert _count(real_app, ImportBatch) == 1
    assert _count(real_app, Study, Study.title.like("Schuldhulp eerst%")) == 1


def test_a_double_clicked_decision_on_a_probable_duplicate_is_taken_once(real_app,
                                                                         monkeypatch):
    user = _researcher(real_app, candidate=True)
    first, _second, token = _two_tabs_of_one_upload(
        real_app, user, (SAMPLES / "studies.ris").read_bytes())
    first.post("/import/bevestigen", data={"token": token})
    pending_id = _scalar(real_app, select(PendingDuplicate.id))
    assert pending_id is not None
    second = _client(real_app, user)
    before = _count(real_app, Study)
    _hold_at_barrier(monkeypatch, pages, "decide_pending")
    url = f"/import/dubbelen/{pending_id}"
    statuses = _statuses(lambda: first.post(url, data={"decision": "add"}),
                         lambda: second.post(url, data={"decision": "add"}))
    assert statuses == [302, 409]
    assert _count(real_app, Study) == before + 1


def test_a_double_clicked_undo_is_applied_once(real_app, monkeypatch):
    user = _researcher(real_app)
    first, _second, token = _two_tabs_of_one_upload(
        real_app, user, (SAMPLES / "studies.ris").read_bytes())
    first.post("/import/bevestigen", data={"token": token})
    batch_id = _scalar(real_app, select(ImportBatch.id))
    second = _client(real_app, user)
    _hold_at_barrier(monkeypatch, pages, "undo_batch")
    url = f"/import/batches/{batch_id}/ongedaan-maken"
    assert _statuses(lambda: first.post(url), lambda: second.post(url)) == [302, 409]
    assert _count(real_app, AuditEvent, AuditEvent.action.like("%undo%")) <= 1


def test_two_api_imports_of_one_file_at_once_add_its_studies_once(real_app, monkeypatch):
    """On PostgreSQL neither import sees the other's studies when it looks for
    duplicates; the second to write meets the first's DOIs in the unique index: a 409,
    not a server error. (On SQLite the first write holds the database until the commit:
    the barrier gives up, the second import waits and finds the first's studies.)"""
    from importers import store

    researchers = _made(real_app, "researcher", "researcher")
    with real_app.app_context():  # a token each: a token's use is written on its row
        secrets = [accounts.create_api_token(db.session.get(accounts.User, user_id), "t")[1]
                   for user_id, _user in researchers]
        db.session.commit()
    barrier, waited = threading.Barrier(2, timeout=3), threading.local()
    original = store.insert_with_ids

    def held(*args, **kwargs):  # the studies are the first rows each import writes
        if not getattr(waited, "done", False):
            waited.done = True
            # On SQLite the other import waits for this one's lock: the barrier breaks.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "insert_with_ids", held)
    content = (SAMPLES / "studies.ris").read_bytes()

    def post(secret):
        return real_app.test_client().post(
            "/api/v1/imports/studies", headers={"Authorization": f"Bearer {secret}"},
            data={"file": (io.BytesIO(content), "export.ris")},
            content_type="multipart/form-data")

    responses = _together(*(functools.partial(post, secret) for secret in secrets))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == ([200, 409] if real_app.config["SQLALCHEMY_DATABASE_URI"].startswith(
        "postgresql") else [200, 200])
    added = sum(r.get_json()["new"] for r in responses if r.status_code == 200)
    assert _count(real_app, Study) == added


# --- the secretary's queues --------------------------------------------------------------


def _waiting_experience(app) -> tuple[int, int]:
    with app.app_context():
        intervention = make_intervention(title="Schulden eerst")
        professional = make_user("professional")
        experience = PracticeExperience(
            intervention_id=intervention.id, municipality=term("municipality", "GM0268"),
            submitted_by=professional, status="submitted", started_on=date(2023, 1, 1),
            target_group="Bijstand", observations="Minder uitval.", contact_name="Team",
            contact_email="team@voorbeeld.example")
        db.session.add(experience)
        db.session.commit()
        return experience.id, professional.id


@pytest.mark.parametrize("other", [
    {"decision": "publish", "status_shown": "submitted"},
    {"decision": "reject", "note": "Te weinig details.", "status_shown": "submitted"},
], ids=["double-click", "publish-and-refuse-in-two-tabs"])
def test_an_experience_is_moderated_once(real_app, monkeypatch, other):
    experience_id, professional_id = _waiting_experience(real_app)
    (_id, secretary), = _made(real_app, "secretary")
    first, second = _client(real_app, secretary), _client(real_app, secretary)
    _hold_at_barrier(monkeypatch, experiences, "moderate_experience")
    url = f"/beheer/ervaringen/{experience_id}"
    statuses = _statuses(
        lambda: first.post(url, data={"decision": "publish", "status_shown": "submitted"}),
        lambda: second.post(url, data=other))
    assert statuses == [302, 409]
    moderated = _count(real_app, AuditEvent, AuditEvent.action.in_(
        ("publish_experience", "reject_experience")))
    told = _count(real_app, Notice, Notice.user_id == professional_id,
                  Notice.kind == "experience")
    assert (moderated, told) == (1, 1)


def test_two_secretaries_handling_one_nomination_do_not_overwrite_each_other(real_app,
                                                                            monkeypatch):
    (nominator_id, _), (_a, one), (_b, other) = _made(
        real_app, "professional", "secretary", "secretary")
    with real_app.app_context():
        nomination = Nomination(kind="intervention", nominator_id=nominator_id,
                                name="Werk eerst", reason="Een veelbelovende aanpak.")
        db.session.add(nomination)
        db.session.commit()
        nomination_id = nomination.id
    first, second = _client(real_app, one), _client(real_app, other)
    _hold_at_barrier(monkeypatch, nominations, "handle")
    url = f"/procedure/voordrachten/{nomination_id}"
    statuses = _statuses(
        lambda: first.post(url, data={"status": "accepted", "reply": "We nemen haar op.",
                                      "status_shown": "new"}),
        lambda: second.post(url, data={"status": "declined", "status_shown": "new",
                                       "reply": "Valt buiten de scope."}))
    assert statuses == [302, 409]
    assert _count(real_app, AuditEvent, AuditEvent.action == "nomination_handled") == 1
    assert _count(real_app, Notice, Notice.user_id == nominator_id) == 1


# --- a user's own things -----------------------------------------------------------------


def test_two_saves_at_once_stay_within_the_cap_on_saved_profiles(real_app, monkeypatch):
    (user_id, user), = _made(real_app, "professional")
    with real_app.app_context():
        for number in range(saved_profiles.MAX_PER_USER - 1):
            db.session.add(SavedProfile(user_id=user_id, label=f"Profiel {number}",
                                        query={"rung": ["2"]}))
        db.session.commit()
    first, second = _client(real_app, user), _client(real_app, user)
    _hold_at_barrier(monkeypatch, saved_profiles, "save_profile")
    statuses = _statuses(
        lambda: first.post("/zoeken/profiel/bewaren", data={"label": "Tab een", "rung": "2"}),
        lambda: second.post("/zoeken/profiel/bewaren", data={"label": "Tab twee", "rung": "3"}))
    assert statuses == [302, 422]
    assert _count(real_app, SavedProfile, SavedProfile.user_id == user_id) == \
        saved_profiles.MAX_PER_USER


def test_a_double_clicked_digest_opt_in_is_no_error(real_app, monkeypatch):
    (_id, user), = _made(real_app, "professional")
    first, second = _client(real_app, user), _client(real_app, user)
    _hold_at_barrier(monkeypatch, profile_digest, "subscribe")
    statuses = _statuses(lambda: first.post("/mijn/profielen/melding", data={"aan": "1"}),
                         lambda: second.post("/mijn/profielen/melding", data={"aan": "1"}))
    assert statuses == [302, 302]


def test_a_double_clicked_token_button_makes_one_token(real_app, monkeypatch):
    (user_id, user), = _made(real_app, "professional")
    first, second = _client(real_app, user), _client(real_app, user)
    _hold_at_barrier(monkeypatch, accounts, "create_token")
    statuses = _statuses(lambda: first.post("/account/tokens", data={"name": "script"}),
                         lambda: second.post("/account/tokens", data={"name": "script"}))
    assert statuses == [201, 422]
    assert _count(real_app, ApiToken, ApiToken.user_id == user_id) == 1
