"""Two editors saving the same guide at the same moment, each in its own transaction on
the real database: versions are numbered one after the other (no 500 from the unique
version number), and an editor whose form showed an older version is refused."""

from __future__ import annotations

from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Guide, GuideVersion, User
from registry.services import guides
from tests.functional.test_procedure_concurrency import race_held, real_app  # noqa: F401
from tests.unit.procedure.support import make_user

VALUES = {"title": "Werkwijzer intake", "phase": "intake", "body": "Eerste tekst.",
          "facets": [], "intervention_ids": []}


def _guide(app) -> tuple[int, int]:
    with app.app_context():
        editor = make_user("secretary")
        guide = guides.save_guide(editor, VALUES)
        db.session.commit()
        return guide.id, editor.id


def _save(app, guide_id, editor_id, body, based_on=None):
    def action():
        guides.save_guide(db.session.get(User, editor_id), {**VALUES, "body": body},
                          db.session.get(Guide, guide_id), based_on)
    return action


def _numbers(app, guide_id) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(GuideVersion.number).where(
            GuideVersion.guide_id == guide_id).order_by(GuideVersion.number)))


def test_two_saves_at_once_become_two_versions(real_app):  # noqa: F811
    guide_id, editor_id = _guide(real_app)
    outcomes = race_held(real_app, _save(real_app, guide_id, editor_id, "A"),
                         _save(real_app, guide_id, editor_id, "B"))
    numbers = _numbers(real_app, guide_id)
    # SQLite lets one writer in at a time: the second waits, or loses with a conflict.
    assert (outcomes, numbers) in ((["ok", "ok"], [1, 2, 3]), (["conflict", "ok"], [1, 2]))


def test_two_saves_from_the_same_form_let_one_through(real_app):  # noqa: F811
    guide_id, editor_id = _guide(real_app)
    outcomes = race_held(real_app, _save(real_app, guide_id, editor_id, "A", based_on=1),
                         _save(real_app, guide_id, editor_id, "B", based_on=1))
    with real_app.app_context():
        versions = db.session.scalar(select(func.count()).select_from(GuideVersion))
    assert (outcomes, versions) == (["conflict", "ok"], 2)
