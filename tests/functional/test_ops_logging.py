"""One JSON log line per request, a request id on every record, and nothing secret."""

from __future__ import annotations

import json
import logging
import re
import smtplib

import pytest

from tests.conftest import make_test_app
from tests.unit.procedure.support import PASSWORD, login, make_user


@pytest.fixture(autouse=True)
def restore_root_logger():
    # create_app configures the root logger; leave it as the next test expects it.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def json_app(database_url, tmp_path):
    return make_test_app(database_url, tmp_path, LOG_FORMAT="json")


def json_lines(capsys) -> list[dict]:
    """What the app wrote to stderr, as JSON objects (lines of other handlers skipped)."""
    lines = capsys.readouterr().err.splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def request_lines(capsys) -> list[dict]:
    return [line for line in json_lines(capsys) if line["logger"] == "registry.request"]


def test_one_line_per_request_with_its_fields(json_app, capsys):
    json_app.test_client().get("/interventies?q=geheim", headers={"X-Request-ID": "abc-123"})
    (line,) = request_lines(capsys)
    assert {k: line[k] for k in ("request_id", "method", "path", "status", "route", "user_id")} == {
        "request_id": "abc-123", "method": "GET", "path": "/interventies", "status": 200,
        "route": "/interventies", "user_id": None,
    }
    assert line["duration_ms"] >= 0


def test_the_query_string_is_never_logged(json_app, capsys):
    json_app.test_client().get("/interventies?q=geheim-zoekwoord")
    assert "geheim-zoekwoord" not in json.dumps(json_lines(capsys))


def test_a_sign_in_logs_neither_password_nor_email(json_app, capsys):
    user = make_user("professional")
    capsys.readouterr()
    client = json_app.test_client()
    login(client, user, "niet-het-wachtwoord")  # a failed attempt
    login(client, user)  # and a successful one
    lines = json_lines(capsys)
    written = json.dumps(lines)
    assert [line["status"] for line in lines if line["logger"] == "registry.request"] == [401, 302]
    assert PASSWORD not in written
    assert "niet-het-wachtwoord" not in written
    assert user.email not in written


def test_a_signed_in_request_logs_the_user_id(json_app, capsys):
    user = make_user("professional")
    client = json_app.test_client()
    login(client, user)
    capsys.readouterr()
    client.get("/mijn/")
    (line,) = request_lines(capsys)
    assert line["user_id"] == user.id


def test_an_unknown_route_is_logged_as_unmatched(json_app, capsys):
    json_app.test_client().get("/bestaat/niet")
    (line,) = request_lines(capsys)
    assert (line["status"], line["route"]) == (404, "unmatched")


def test_a_sane_incoming_request_id_is_returned(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb.4f2a-77_b"})
    assert response.headers["X-Request-ID"] == "lb.4f2a-77_b"


@pytest.mark.parametrize("incoming", ["", "a" * 65, "id met spaties", "a;b=c", "<script>"])
def test_an_unfit_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_every_record_in_a_request_carries_its_id(json_app, capsys):
    # No index in this app's folder: /readyz logs a warning while answering.
    json_app.test_client().get("/readyz", headers={"X-Request-ID": "probe-1"})
    warnings = [line for line in json_lines(capsys) if line["level"] == "WARNING"]
    assert warnings
    assert {line.get("request_id") for line in warnings} == {"probe-1"}


def test_plain_text_by_default_outside_production(database_url, tmp_path, capsys):
    app = make_test_app(database_url, tmp_path)
    app.test_client().get("/healthz", headers={"X-Request-ID": "plain-1"})
    err = capsys.readouterr().err
    assert "INFO registry.request [plain-1] GET /healthz 200" in err
    assert not any(line.startswith("{") for line in err.splitlines())


def test_an_unknown_log_format_is_refused(database_url, tmp_path):
    with pytest.raises(ValueError, match="REGISTRY_LOG_FORMAT"):
        make_test_app(database_url, tmp_path, LOG_FORMAT="xml")


def test_an_e_mail_notice_without_mail_server_logs_no_address(json_app, capsys):
    from registry.services.notices import send_email

    with json_app.test_request_context("/"):
        send_email("klant.manager@gemeente.example", "Er is een dossier ingediend.", "/mijn/")

    written = " ".join(line["message"] for line in json_lines(capsys))
    assert "dossier ingediend" in written and "klant.manager" not in written


@pytest.mark.parametrize("error", [
    smtplib.SMTPRecipientsRefused({"klant.manager@gemeente.example": (550, b"no such user")}),
    smtplib.SMTPSenderRefused(553, b"rejected", "klant.manager@gemeente.example"),
    ConnectionRefusedError(111, "Connection refused"),
])
def test_a_refused_e_mail_notice_logs_no_address(json_app, capsys, monkeypatch, error):
    """A mail server's refusal names the addresses; the log keeps its kind and codes."""
    from registry.extensions import db
    from registry.services import notices

    def refuse(*args):
        raise error

    monkeypatch.setattr(notices, "send_email", refuse)
    with json_app.test_request_context("/"):
        user = make_user("secretary")
        address = user.email
        notices.notify([user], "decision", "Er is een besluit.", "/mijn/")
        db.session.commit()

    lines = json_lines(capsys)
    written = json.dumps(lines)
    assert any("Could not send an e-mail notice" in line["message"] for line in lines)
    assert "klant.manager" not in written and address not in written


def test_a_database_error_in_the_log_shows_no_statement_parameters(json_app):
    """hide_parameters: the error's text (what the log prints) omits the values."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from registry.extensions import db

    with json_app.app_context():
        with pytest.raises(SQLAlchemyError) as failed:
            db.session.execute(text("SELECT * FROM no_such_table WHERE email = :email"),
                               {"email": "klant.manager@gemeente.example"})
        db.session.rollback()
    assert "klant.manager" not in str(failed.value)


def test_a_line_break_in_the_path_cannot_forge_a_log_line(database_url, tmp_path, capsys):
    app = make_test_app(database_url, tmp_path)
    forged = "2026-12-07 06:00:00,000 INFO registry.request [admin] POST /beheer 200 1.0ms"
    app.test_client().get("/nope%0a" + forged.replace(" ", "%20"),
                          headers={"X-Request-ID": "forge-1"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "registry.request" in line]

    assert len(lines) == 1 and lines[0].startswith(tuple("0123456789"))
    assert "[forge-1] GET /nope\\n2026-12-07" in lines[0]
