"""Procedure pages for owners, the secretary and reviewers (HTML, works without JS)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.errors import Conflict
from registry.services.procedure import check_lock_version, get_round

bp = Blueprint("procedure", __name__, url_prefix="/procedure")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def load_round(round_id: int, check=perm.can_view_round):
    """The round, after checking `check(current_user, round)`; raises NotFound/403."""
    round_ = get_round(round_id)
    perm.authorize(check(current_user, round_))
    return round_


def check_form_lock(round_, required: bool = False) -> None:
    """A form posted from an older page of this round is refused (409), not applied.
    `required`: one that does not say which page it came from is refused too (409): a
    confirmation or publication without it counted for a decision recorded after the
    page, one its sender never saw."""
    submitted = request.form.get("lock_version") or None
    if required and submitted is None:
        raise Conflict(_("Het formulier zegt niet van welke pagina het komt. Laad de "
                         "pagina opnieuw en kijk welk besluit er nu ligt."))
    check_lock_version(round_, submitted)


def dossier(round_) -> dict:
    """What templates/procedure/_dossier.html shows besides the round's frozen version."""
    from registry.services.catalogue import load_linked_studies
    from registry.services.vocabularies import terms_by_code

    load_linked_studies(round_.version.intervention)
    links = list(round_.version.intervention.study_links)
    return {
        "study_links": links,
        "findings": [finding for link in links for finding in link.study.findings],
        "rungs": terms_by_code("ladder_rung"),
    }


def load_intervention(intervention_id: int):
    """The intervention of a procedure page. Raises NotFound."""
    from flask_babel import gettext as _

    from registry.errors import NotFound
    from registry.extensions import db
    from registry.models import Intervention

    intervention = db.session.get(Intervention, intervention_id)
    if intervention is None:
        raise NotFound(_("Deze interventie bestaat niet."))
    return intervention


def back_to_round(round_id: int, message: str):
    flash(message)
    return redirect(url_for("procedure.round_page", round_id=round_id))


from registry.views.procedure import (  # noqa: E402,F401
    advisory,
    coding,
    crosswalk,
    nominations,
    overview,
    owner,
    reviewer,
    round,
    secretary,
)
