"""The conflict-of-interest register: every declaration a reviewer made, for the secretary,
and a reviewer's changes to their own standing declarations.

Three kinds of entry: a standing conflict with an organisation (declared on /mijn/,
withdrawable, never deleted), a conflict with one intervention (declared when invited to
a panel; the reviewer then left it), and a declaration of no conflict for a round. Each
change is an audit event, so the register shows its history.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry import permissions as perm
from registry.csv_cells import neutralise
from registry.errors import InvalidTransition, NotFound
from registry.extensions import db
from registry.models import AssessmentRound, ConflictDeclaration, PanelMember, User
from registry.models.base import as_utc, utcnow
from registry.services.audit_trail import record_event

MAX_NOTE_CHARS = 500


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the register."""

    reviewer: str
    reviewer_id: int
    kind: str  # organisation | intervention | no_conflict
    target: str
    organisation_id: int | None
    note: str
    declared_at: datetime
    withdrawn_at: datetime | None = None


def register(reviewer_id: int | None = None, organisation_id: int | None = None
             ) -> list[RegisterEntry]:
    """Every declaration, newest first; optionally of one reviewer or one organisation
    (a conflict with an intervention counts for the organisation that owns it)."""
    entries = _declarations() + _no_conflicts()
    if reviewer_id is not None:
        entries = [e for e in entries if e.reviewer_id == reviewer_id]
    if organisation_id is not None:
        entries = [e for e in entries if e.organisation_id == organisation_id]
    return sorted(entries, key=lambda e: e.declared_at, reverse=True)


def _declarations() -> list[RegisterEntry]:
    stmt = select(ConflictDeclaration).options(
        selectinload(ConflictDeclaration.user), selectinload(ConflictDeclaration.organisation),
        selectinload(ConflictDeclaration.intervention))
    entries = []
    for d in db.session.scalars(stmt):
        if d.organisation is not None:
            kind, target, owner = "organisation", d.organisation.name, d.organisation_id
        else:
            intervention = d.intervention
            kind, owner = "intervention", intervention.owner_organisation_id
            target = _title(intervention)
        entries.append(RegisterEntry(d.user.name, d.user_id, kind, target, owner,
                                     d.note or "", as_utc(d.declared_at),
                                     as_utc(d.withdrawn_at)))
    return entries


def _no_conflicts() -> list[RegisterEntry]:
    stmt = (
        select(PanelMember, AssessmentRound, User)
        .join(AssessmentRound, AssessmentRound.id == PanelMember.round_id)
        .join(User, User.id == PanelMember.user_id)
        .where(PanelMember.no_conflict_declared_at.is_not(None))
    )
    entries = []
    for member, round_, user in db.session.execute(stmt):
        intervention = round_.version.intervention
        entries.append(RegisterEntry(
            user.name, user.id, "no_conflict", _title(intervention),
            intervention.owner_organisation_id, "", as_utc(member.no_conflict_declared_at)))
    return entries


def _title(intervention) -> str:
    version = intervention.published_version or intervention.versions[-1]
    return version.title


KIND_LABELS = {
    "organisation": _l("Belang bij organisatie"),
    "intervention": _l("Belang bij interventie"),
    "no_conflict": _l("Geen belangenconflict verklaard"),
}


def register_csv(entries: list[RegisterEntry]) -> str:
    """The register as CSV (UTF-8, comma, one header row), for the secretary's records:
    column names and the kind as codes (stable for programs), and the kind in words in
    the reader's language beside it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["reviewer", "kind", "kind_label", "target", "note", "declared_at",
                     "withdrawn_at"])
    for e in entries:
        writer.writerow([neutralise(e.reviewer), e.kind, str(KIND_LABELS.get(e.kind, e.kind)),
                         neutralise(e.target), neutralise(e.note), e.declared_at.isoformat(),
                         e.withdrawn_at.isoformat() if e.withdrawn_at else ""])
    return buffer.getvalue()


def _own_standing(reviewer: User, declaration_id: int) -> ConflictDeclaration:
    declaration = db.session.get(ConflictDeclaration, declaration_id)
    if (declaration is None or declaration.user_id != reviewer.id
            or declaration.organisation_id is None):
        raise NotFound(_("Deze melding bestaat niet."))
    if declaration.withdrawn_at is not None:
        raise InvalidTransition(_("Deze melding is al ingetrokken."))
    return declaration


def change_note(reviewer: User, declaration_id: int, note: str | None) -> ConflictDeclaration:
    """The reviewer rewrites the explanation of one of their standing declarations.
    Raises PermissionDenied, NotFound, InvalidTransition (withdrawn)."""
    perm.authorize(perm.can_declare_conflicts(reviewer))
    declaration = _own_standing(reviewer, declaration_id)
    before = declaration.note
    declaration.note = (note or "").strip()[:MAX_NOTE_CHARS] or None
    db.session.flush()
    record_event(reviewer, "change_conflict", declaration, intervention_id=None,
                 before={"note": before}, after={"note": declaration.note})
    return declaration


def withdraw(reviewer: User, declaration_id: int) -> ConflictDeclaration:
    """The reviewer withdraws a standing conflict: kept in the register, no longer in
    the way of assignments. Raises PermissionDenied, NotFound, InvalidTransition."""
    perm.authorize(perm.can_declare_conflicts(reviewer))
    declaration = _own_standing(reviewer, declaration_id)
    declaration.withdrawn_at = utcnow()
    db.session.flush()
    record_event(reviewer, "withdraw_conflict", declaration, intervention_id=None,
                 after={"organisation_id": declaration.organisation_id})
    return declaration
