"""Every route of the application × every role (and anonymous), with the expected status.
The round is in review: the owner's intervention, with reviewer (declared, on the panel)
and an outsider reviewer not on it; one other intervention and one study are public."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.models import User
from registry.opendata.package import publish
from registry.search import sync
from registry.services.accounts import create_api_token
from tests.conftest import session_on
from tests.factories import StudyFactory, make_intervention
from tests.unit.procedure.support import (
    drive,
    login,
    make_cast,
    make_user,
)

ROLES = ("anonymous", "professional", "owner", "researcher", "reviewer", "outsider", "adviser",
         "secretary", "admin")
SIGNED_IN = ROLES[1:]
AREAS = ("auth.", "admin.", "dashboard.", "procedure.", "api.", "imports.", "pages.", "i18n.",
         "ops.", "interchange.")

RND, ITV, USR = "{round}", "{intervention}", "{user}"
BAT, PEN, LNK = "{batch}", "{pending}", "{link}"  # ids that do not exist: 404 once allowed
PUB, STU = "{public}", "{study}"  # a published intervention and a study anyone may read
# (method, url, {role: status}, status for every other signed-in role, anonymous status)
ROUTES = [
    ("GET", "/", {}, 200, 200),
    ("GET", "/interventies", {}, 200, 200),
    ("GET", f"/interventies/{PUB}", {}, 200, 200),
    ("GET", f"/interventies/{PUB}/factsheet", {}, 200, 200),
    ("GET", "/bewijskaart", {}, 200, 200),
    ("GET", "/bewijskaart.csv", {}, 200, 200),
    ("GET", "/open-data", {}, 200, 200),
    ("GET", "/open-data/interventies-naar-werk-open-data.zip", {}, 200, 200),
    ("GET", "/open-data/catalog.jsonld", {}, 200, 200),
    ("GET", "/feeds/besluiten.atom", {}, 200, 200),
    ("GET", "/zoeken.atom", {}, 200, 200),
    ("GET", "/zoeken/export.csv", {}, 200, 200),
    ("GET", f"/procedure/interventies/{ITV}/elders-beoordeeld", {"secretary": 200, "admin": 200},
     403, 302),
    ("POST", f"/procedure/interventies/{ITV}/elders-beoordeeld",
     {"secretary": 422, "admin": 422}, 403, 302),
    ("POST", f"/procedure/interventies/{ITV}/elders-beoordeeld/999999/verwijderen",
     {"secretary": 404, "admin": 404}, 403, 302),
    ("GET", "/zoeken/profiel/export.json?rung=2", {}, 200, 200),
    ("GET", "/studies", {}, 200, 200),
    ("GET", f"/studies/{STU}", {}, 200, 200),
    ("GET", "/erkenning", {}, 200, 200),
    ("GET", "/zoeken", {}, 200, 200),
    ("GET", "/zoeken/profiel", {}, 200, 200),
    ("GET", "/zoeken/diagnose", {}, 200, 200),
    ("GET", "/werkwijzers", {}, 200, 200),
    ("GET", "/werkwijzers/bestaat-niet", {}, 404, 404),
    ("GET", "/werkwijzers/bestaat-niet/versies", {}, 404, 404),
    ("GET", "/werkwijzers/nieuw", {"secretary": 200, "admin": 200}, 403, 302),
    ("POST", "/werkwijzers/nieuw", {"secretary": 422, "admin": 422}, 403, 302),
    ("GET", "/werkwijzers/bestaat-niet/bewerken", {"secretary": 404, "admin": 404}, 403, 302),
    ("POST", "/werkwijzers/bestaat-niet/bewerken", {"secretary": 404, "admin": 404}, 403,
     302),
    ("GET", "/zoeken/profiel/bewaren?barrier=debt", {"professional": 200}, 403, 302),
    ("POST", "/zoeken/profiel/bewaren", {"professional": 422}, 403, 302),
    ("GET", "/mijn/profielen", {"professional": 200}, 403, 302),
    ("GET", f"/interventies/{PUB}/ervaring-delen", {"professional": 200}, 403, 302),
    ("POST", f"/interventies/{PUB}/ervaring-delen", {"professional": 422}, 403, 302),
    ("GET", "/mijn/ervaringen", {"professional": 200}, 403, 302),
    ("GET", "/beheer/ervaringen", {"secretary": 200, "admin": 200}, 403, 302),
    ("GET", "/beheer/ervaringen/999999", {"secretary": 404, "admin": 404}, 403, 302),
    ("POST", "/beheer/ervaringen/999999", {"secretary": 404, "admin": 404}, 403, 302),
    ("GET", f"/api/v1/interventions/{PUB}/experiences", {}, 200, 200),
    ("GET", "/mijn/profielen/999999", {"professional": 404}, 403, 302),
    ("POST", "/mijn/profielen/999999/verwijderen", {"professional": 404}, 403, 302),
    ("POST", "/mijn/profielen/melding", {"professional": 302}, 403, 302),
    # The signed link in a digest: no sign-in; a forged token is not found for anyone.
    ("GET", "/profielen/afmelden/vervalst", {}, 404, 404),
    ("POST", "/profielen/afmelden/vervalst", {}, 404, 404),
    ("GET", f"/vergelijken?i={PUB}", {}, 200, 200),
    ("GET", "/taal/en", {}, 302, 302),
    ("GET", "/healthz", {}, 200, 200),
    ("GET", "/readyz", {}, 200, 200),
    ("GET", "/metrics", {}, 200, 200),  # the test client is local (127.0.0.1)
    ("GET", "/api/v1/interventions", {}, 200, 200),
    ("GET", "/api/v1/evidence-map", {}, 200, 200),
    ("GET", f"/api/v1/interventions/{PUB}", {}, 200, 200),
    ("GET", f"/api/v1/interventions/{PUB}/evidence", {}, 200, 200),
    ("GET", "/api/v1/studies", {}, 200, 200),
    ("GET", f"/api/v1/studies/{STU}", {}, 200, 200),
    ("GET", "/api/v1/vocabularies", {}, 200, 200),
    ("GET", "/api/v1/vocabularies/barrier", {}, 200, 200),
    ("GET", "/api/v1/openapi.json", {}, 200, 200),
    ("GET", "/api/v1/search", {}, 200, 200),
    ("GET", "/api/v1/search/profile", {}, 200, 200),
    ("POST", "/api/v1/imports/studies", {"researcher": 422}, 403, 401),
    ("GET", "/inloggen", {}, 200, 200),
    ("POST", "/inloggen", {}, 422, 422),
    ("POST", "/uitloggen", {}, 302, 302),
    ("GET", "/account/wachtwoord", {}, 200, 302),
    ("POST", "/account/wachtwoord", {}, 422, 302),
    ("GET", "/account/tokens", {}, 200, 302),
    ("POST", "/account/tokens", {}, 422, 302),
    ("GET", "/account/tokens/999999/intrekken", {}, 404, 302),
    ("POST", "/account/tokens/999999/intrekken", {}, 404, 302),
    ("GET", "/mijn/", {}, 200, 302),
    ("POST", "/mijn/meldingen/999999/gelezen", {}, 302, 302),
    ("GET", "/voordragen", {}, 200, 302),
    ("POST", "/voordragen", {}, 422, 302),
    ("GET", "/procedure/voordrachten", {"secretary": 200}, 403, 302),
    ("POST", "/procedure/voordrachten/999999", {"secretary": 404}, 403, 302),
    ("POST", "/mijn/belangen", {"reviewer": 422, "outsider": 422}, 403, 302),
    ("POST", "/mijn/belangen/999999", {"reviewer": 404, "outsider": 404}, 403, 302),
    ("POST", "/mijn/belangen/999999/intrekken", {"reviewer": 404, "outsider": 404}, 403, 302),
    ("GET", "/beheer/gebruikers", {"admin": 200}, 403, 302),
    ("GET", "/beheer/gebruikers/nieuw", {"admin": 200}, 403, 302),
    ("POST", "/beheer/gebruikers/nieuw", {"admin": 422}, 403, 302),
    ("GET", f"/beheer/gebruikers/{USR}", {"admin": 200}, 403, 302),
    ("POST", f"/beheer/gebruikers/{USR}", {"admin": 302}, 403, 302),
    ("GET", "/procedure/nieuw", {"owner": 200}, 403, 302),
    ("POST", "/procedure/nieuw", {"owner": 422}, 403, 302),
    ("GET", "/procedure/overzicht", {"secretary": 200}, 403, 302),
    ("GET", "/procedure/belangen", {"secretary": 200}, 403, 302),
    ("GET", "/procedure/belangen.csv", {"secretary": 200}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}", {"owner": 200, "reviewer": 200, "secretary": 200}, 403,
     302),
    ("GET", f"/procedure/rondes/{RND}/quickscan",
     {"owner": 200, "secretary": 200, "adviser": 200}, 403, 302),
    # The public study is not linked to the round's intervention: 404 once allowed.
    ("GET", f"/procedure/rondes/{RND}/studies/{STU}/coderen", {"reviewer": 404}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/studies/{STU}/coderen", {"reviewer": 404}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/studies/{STU}/verschillen",
     {"reviewer": 404, "secretary": 404}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/studies/{STU}/verschillen",
     {"reviewer": 404, "secretary": 404}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/advies/vragen", {"owner": 409}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/advies", {"secretary": 409, "adviser": 409}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/beschrijving", {}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/beschrijving", {}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/indienen", {"owner": 200}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/indienen", {"owner": 409}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/intrekken", {"owner": 200}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/intrekken", {"owner": 302}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/bezwaar", {"owner": 422}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/screening/starten", {"secretary": 409}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/screening", {"secretary": 200}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/screening", {"secretary": 422}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/panel", {"secretary": 200}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/panel", {"secretary": 422}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/panel/{USR}/verwijderen", {"secretary": 404}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/verklaring", {"reviewer": 302}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/beoordeling", {"reviewer": 200}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/beoordeling", {"reviewer": 302}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/bespreking", {"secretary": 409}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/reacties", {"reviewer": 422, "secretary": 422}, 403, 302),
    # The round is in review: the decision form opens in the discussion only.
    ("GET", f"/procedure/rondes/{RND}/besluit", {"secretary": 409}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/besluit", {"secretary": 409}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/bevestigen", {"reviewer": 409}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/heropenen", {"secretary": 422}, 403, 302),
    ("GET", f"/procedure/rondes/{RND}/publiceren", {"secretary": 200}, 403, 302),
    ("POST", f"/procedure/rondes/{RND}/publiceren", {"secretary": 409}, 403, 302),
    ("GET", f"/procedure/interventies/{ITV}/geschiedenis",
     {"owner": 200, "secretary": 200, "admin": 200}, 403, 302),
    ("GET", f"/procedure/interventies/{ITV}/versies",
     {"owner": 200, "secretary": 200, "admin": 200}, 403, 302),
    ("GET", f"/procedure/interventies/{ITV}/herbeoordeling", {"owner": 200, "secretary": 200},
     403, 302),
    ("POST", f"/procedure/interventies/{ITV}/herbeoordeling", {"owner": 409, "secretary": 409},
     403, 302),
    ("GET", f"/api/v1/procedure/rounds/{RND}", {"owner": 200, "reviewer": 200, "secretary": 200},
     403, 401),
    ("GET", f"/api/v1/procedure/rounds/{RND}/assessments",
     {"owner": 200, "reviewer": 200, "secretary": 200}, 403, 401),
    ("PUT", f"/api/v1/procedure/rounds/{RND}/description", {}, 403, 401),
    ("POST", f"/api/v1/procedure/rounds/{RND}/submit", {"owner": 409}, 403, 401),
    ("PUT", f"/api/v1/procedure/rounds/{RND}/assessment", {"reviewer": 200}, 403, 401),
    ("POST", f"/api/v1/procedure/rounds/{RND}/decision", {"secretary": 422}, 403, 401),
    ("GET", "/import/", {"researcher": 200}, 403, 302),
    ("POST", "/import/", {"researcher": 422}, 403, 302),
    ("POST", "/import/bevestigen", {"researcher": 409}, 403, 302),
    ("POST", "/import/annuleren", {"researcher": 302}, 403, 302),
    ("POST", "/import/kolommen", {"researcher": 409}, 403, 302),
    ("GET", "/import/bevindingen", {"researcher": 200}, 403, 302),
    ("POST", "/import/bevindingen", {"researcher": 422}, 403, 302),
    ("POST", "/import/bevindingen/bevestigen", {"researcher": 409}, 403, 302),
    ("GET", "/import/sjabloon.csv", {"researcher": 200}, 403, 302),
    ("GET", "/import/batches", {"researcher": 200}, 403, 302),
    ("GET", f"/import/batches/{BAT}", {"researcher": 404}, 403, 302),
    ("GET", f"/import/batches/{BAT}/ongedaan-maken", {"researcher": 404}, 403, 302),
    ("POST", f"/import/batches/{BAT}/ongedaan-maken", {"researcher": 404}, 403, 302),
    ("GET", "/import/dubbelen", {"researcher": 200}, 403, 302),
    ("POST", f"/import/dubbelen/{PEN}", {"researcher": 404}, 403, 302),
    ("GET", "/import/koppelingen", {"researcher": 200}, 403, 302),
    ("POST", "/import/koppelingen", {"researcher": 422}, 403, 302),
    ("POST", f"/import/koppelingen/{LNK}/verwijderen", {"researcher": 404}, 403, 302),
    ("GET", "/beheer/gebruik", {"admin": 200}, 403, 302),
    ("GET", "/beheer/interventies/import", {"admin": 200}, 403, 302),
    ("POST", "/beheer/interventies/import", {"admin": 422}, 403, 302),
    ("GET", "/beheer/interventies/exporteren", {"admin": 200}, 403, 302),
    ("GET", "/beheer/interventies/import/sjabloon.csv", {"admin": 200}, 403, 302),
    ("POST", "/beheer/interventies/import/bevestigen", {"admin": 409}, 403, 302),
    ("POST", "/beheer/interventies/import/annuleren", {"admin": 302}, 403, 302),
    ("GET", f"/beheer/interventies/imports/{BAT}", {"admin": 404}, 403, 302),
    ("POST", f"/beheer/interventies/imports/{BAT}/ongedaan-maken", {"admin": 404}, 403, 302),
]

CASES = [
    pytest.param(method, url, role, (allowed.get(role, other) if role != "anonymous" else anon),
                 id=f"{method} {url} {role}")
    for method, url, allowed, other, anon in ROUTES
    for role in ROLES
]

@pytest.fixture(scope="module", autouse=True)
def search_index(app):
    # An index (empty is enough) so the search routes answer for each role, not with 503.
    with app.app_context():
        sync.rebuild_all(db.engine, Path(app.config["INDEX_DIR"]))


@pytest.fixture(scope="module", autouse=True)
def open_data_zip(app):
    # The download exists (as the timer writes it), so its route answers for each role.
    with app.app_context(), db.engine.connect() as connection:
        publish(connection, Path(app.config["OPENDATA_DIR"]), force=True)


@dataclass(frozen=True)
class World:
    """Ids of the records the routes are asked about (the objects live in one test's
    session only)."""

    round_id: int
    intervention_id: int
    user_ids: dict[str, int]
    public_slug: str
    study_id: int


@pytest.fixture(scope="module")
def module_connection(app, search_index, open_data_zip) -> Iterator[sa.Connection]:
    # One transaction for the module, rolled back at its end: the world below is built
    # once (it took three quarters of each test's time), and each test runs in a
    # savepoint of it that is rolled back (db_session below).
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()
            connection.close()


@pytest.fixture(scope="module")
def world(app, module_connection) -> World:
    with app.app_context(), session_on(module_connection) as session:
        public, study = make_intervention(slug="openbaar"), StudyFactory()
        cast = make_cast()
        round_ = drive(cast, "in_review")
        users = {
            "owner": cast.owner, "reviewer": cast.reviewer_a, "secretary": cast.secretary,
            "outsider": make_user("reviewer"), "professional": make_user("professional"),
            "researcher": make_user("researcher"), "admin": make_user("admin"),
            "adviser": make_user("adviser"),
        }
        session.commit()
        return World(round_.id, round_.intervention_id,
                     {role: user.id for role, user in users.items()}, public.slug, study.id)


@pytest.fixture(autouse=True)
def db_session(app, module_connection, world) -> Iterator:
    """Each test in a savepoint of the module's transaction, rolled back after it."""
    with app.app_context():
        savepoint = module_connection.begin_nested()
        try:
            with session_on(module_connection) as session:
                yield session
        finally:
            if savepoint.is_active:
                savepoint.rollback()


def request_as(client, world: World, method, url, role):
    url = url.format(round=world.round_id, intervention=world.intervention_id,
                     user=world.user_ids["owner"], batch=999999, pending=999999, link=999999,
                     public=world.public_slug, study=world.study_id)
    headers = {}
    if role != "anonymous":
        user = db.session.get(User, world.user_ids[role])
        if url.startswith("/api/"):
            headers["Authorization"] = f"Bearer {create_api_token(user, 't')[1]}"
            db.session.commit()
        else:
            assert login(client, user).status_code == 302
    json = {} if method == "PUT" or url.endswith("/decision") else None
    return client.open(url, method=method, headers=headers, json=json)


@pytest.mark.parametrize(("method", "url", "role", "expected"), CASES)
def test_route_answers_each_role(client, world, method, url, role, expected):
    with request_as(client, world, method, url, role) as response:  # closes a sent file
        assert response.status_code == expected


def test_the_matrix_covers_every_route_of_these_areas(app):
    covered = {(method, url.replace(RND, "<int:round_id>").replace(ITV, "<int:intervention_id>")
                .replace(USR, "<int:user_id>").replace("999999", "<int:token_id>", 1))
               for method, url, *_ in ROUTES}
    covered = {(m, u.replace("meldingen/<int:token_id>", "meldingen/<int:notice_id>")
                .replace("belangen/<int:token_id>", "belangen/<int:declaration_id>")
                .replace("voordrachten/<int:token_id>", "voordrachten/<int:nomination_id>")
                .replace("beoordeeld/<int:token_id>", "beoordeeld/<int:rating_id>")
                .replace("profielen/<int:token_id>", "profielen/<int:profile_id>")
                .replace("ervaringen/<int:token_id>", "ervaringen/<int:experience_id>")
                .replace("afmelden/vervalst", "afmelden/<token>")
                .replace("werkwijzers/bestaat-niet", "werkwijzers/<slug>")
                .replace(BAT, "<int:batch_id>").replace(PEN, "<int:pending_id>")
                .replace(LNK, "<int:link_id>").replace(PUB, "<slug>").replace(STU, "<int:study_id>")
                .replace("/taal/en", "/taal/<code>").replace("/barrier", "/<name>")
                .replace("export.csv", "export.<any(csv, json):kind>")
                .replace("export.json", "export.<any(csv, json):kind>")
                .split("?")[0])
               for m, u in covered}
    registered = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith(AREAS)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert registered - covered == set()
