"""Owners' side of the procedure: drafts, saving with optimistic locking, submission,
withdrawal, and the differences between two versions."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions as perm
from registry.errors import NotFound, ValidationFailed
from registry.extensions import db
from registry.i18n import N_
from registry.models import (
    AssessmentRound,
    Intervention,
    InterventionVersion,
    Submission,
    User,
)
from registry.models.base import utcnow
from registry.models.intervention import REQUIRED_TO_SUBMIT, VERSION_FIELDS
from registry.services.accounts import active_secretaries
from registry.services.audit_trail import record_event
from registry.services.description import (
    apply_tags_and_providers,
    provider_slugs_of,
    relation_lines,
    tag_codes_of,
)
from registry.services.notices import notify
from registry.services.panel_rules import LEVELS_SOUGHT
from registry.services.procedure import apply_transition, check_lock_version, flush_or_conflict


def _slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:150] or "interventie"
    candidate, n = slug, 1
    while db.session.scalar(select(Intervention.id).filter_by(slug=candidate)) is not None:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def create_intervention(owner: User, data: dict[str, Any]) -> AssessmentRound:
    """A new intervention of the owner's organisation with a draft version and a round.

    Raises PermissionDenied for a user who is not an owner with an organisation.
    """
    perm.authorize(perm.can_create_intervention(owner))
    intervention = Intervention(
        slug=_slugify(data["title"]), owner_organisation_id=owner.organisation_id
    )
    version = InterventionVersion(intervention=intervention, number=1, status="draft")
    _apply_fields(version, data)
    apply_tags_and_providers(version, data)
    db.session.add_all([intervention, version])
    db.session.flush()
    round_ = AssessmentRound(intervention_id=intervention.id, version=version, state="draft")
    db.session.add(round_)
    db.session.flush()
    record_event(owner, "create_draft", round_, intervention_id=intervention.id, to_state="draft")
    return round_


def _apply_fields(version: InterventionVersion, data: dict[str, Any]) -> None:
    for name in VERSION_FIELDS:
        if name in data:
            # A draft may leave what a submission needs empty; the columns hold text.
            empty = "" if name in REQUIRED_TO_SUBMIT else None
            setattr(version, name, data[name] if data[name] is not None else empty)


def version_fields(version: InterventionVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def form_values(version: InterventionVersion) -> dict[str, Any]:
    """Everything the description form shows: the fields, tag codes and provider slugs."""
    return {**version_fields(version), "tags": tag_codes_of(version),
            "providers": provider_slugs_of(version)}


def save_draft(round_: AssessmentRound, owner: User, data: dict[str, Any]) -> InterventionVersion:
    """Save the owner's description. A returned round gets a new draft version (the
    submitted one stays frozen). Raises PermissionDenied, Conflict (stale lock_version)."""
    perm.authorize(perm.can_edit_draft(owner, round_))
    version = round_.version
    check_lock_version(version, data.get("lock_version"))
    if version.status != "draft":
        version = new_draft_from(version)
        round_.version = version
    before = form_values(version)
    _apply_fields(version, data)
    apply_tags_and_providers(version, data)
    flush_or_conflict()
    changed = {k: v for k, v in form_values(version).items() if before.get(k) != v}
    record_event(owner, "save_draft", version, intervention_id=round_.intervention_id,
                 after={"fields": sorted(changed)})
    return version


def new_draft_from(version: InterventionVersion) -> InterventionVersion:
    """A new draft version copying this one (for a returned round or a reassessment)."""
    intervention = version.intervention
    number = max(v.number for v in intervention.versions) + 1
    tags, providers = list(version.tags), list(version.providers)
    draft = InterventionVersion(number=number, status="draft", tags=tags, providers=providers)
    _apply_fields(draft, version_fields(version))
    db.session.add(draft)
    draft.intervention = intervention
    db.session.flush()
    return draft


def submit(round_: AssessmentRound, owner: User, answer: str | None = None,
           level_sought: str | None = None) -> Submission:
    """Submit (or resubmit, with a written answer to the screening remarks) the round's
    version, for the level sought (None: not chosen); it is frozen from now on, and the
    secretaries are told. Raises ValidationFailed (unknown level), PermissionDenied,
    InvalidTransition, Conflict."""
    answer = (answer or "").strip()[:20000] or None
    if level_sought is not None and level_sought not in LEVELS_SOUGHT:
        message = _("Kies een van de niveaus.")
        raise ValidationFailed(message, [{"field": "level_sought", "messages": [message]}])
    apply_transition(round_, "submit", owner, note=answer)
    round_.level_sought = level_sought
    version = round_.version
    version.status = "submitted"
    version.submitted_at = utcnow()
    submission = Submission(round=round_, version_id=version.id, submitted_by_id=owner.id,
                            answer=answer)
    db.session.add(submission)
    db.session.flush()
    notify(active_secretaries(), "submitted",
           N_("Er is een interventie ingediend die op screening wacht."),
           f"/procedure/rondes/{round_.id}", about=version.title)
    return submission


def withdraw(round_: AssessmentRound, owner: User, note: str | None = None) -> None:
    """The owner withdraws the intervention from the procedure, or, when the round is
    published, from the registry: no published version and no current decision any
    more (the public page, search, feeds and open data leave it out; the history keeps
    the decision). Submitting again later starts a new round."""
    apply_transition(round_, "withdraw", owner, note=note)
    version = round_.version
    intervention = version.intervention
    if version.status in ("draft", "submitted"):
        version.status = "withdrawn"
    elif intervention.published_version_id == version.id:  # what the public sees now
        version.status = "withdrawn"
        intervention.published_version = None
        intervention.current_decision = None
    db.session.flush()


def get_version(intervention: Intervention, number: int) -> InterventionVersion:
    """Version `number` of an intervention. Raises NotFound."""
    version = next((v for v in intervention.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("Versie %(number)s bestaat niet.", number=number))
    return version


def _as_lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value).splitlines()


def diff_versions(
    old: InterventionVersion, new: InterventionVersion, locale: str = "nl"
) -> list[dict[str, Any]]:
    """Per changed field, a line diff (difflib.ndiff) from old to new; tags (per
    vocabulary, "tags.<vocabulary>") and providers compare by their names in `locale`."""
    pairs = [(n, _as_lines(getattr(old, n)), _as_lines(getattr(new, n))) for n in VERSION_FIELDS]
    old_relations, new_relations = relation_lines(old, locale), relation_lines(new, locale)
    pairs += [(n, old_relations[n], new_relations[n]) for n in old_relations]
    changes = []
    for name, a, b in pairs:
        if a != b:
            lines = [line for line in difflib.ndiff(a, b) if not line.startswith("?")]
            changes.append({"field": name, "lines": lines})
    return changes
