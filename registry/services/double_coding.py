"""Double coding of a study's findings during a round's review.

Two panel members code the findings of a linked study independently, blind to each
other as with assessments: a coder sees the other coding only after submitting their
own. Rows are compared by outcome domain and time point (the KEY); for each key the
differences are listed field by field (CODED_FIELDS). An adjudicator — the secretary or
a panel member who coded neither side — resolves each key once, choosing per differing
field whose value stands; that makes the study's finding, counted towards the rating.
Nothing else of a double-coded study counts: its findings are the adjudicated ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from registry import permissions as perm
from registry.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    AssessmentRound,
    CodedFinding,
    Finding,
    FindingAdjudication,
    FindingCoding,
    InterventionStudy,
    Study,
    User,
)
from registry.models.base import utcnow
from registry.models.coding import NO_TIME_POINT
from registry.schemas.coding import CodedFindingSchema
from registry.services.audit_trail import record_event
from registry.services.vocabularies import terms_by_code

CODED_FIELDS = ("measure", "effect_size_type", "effect_size", "ci_lower", "ci_upper",
                "n_intervention", "n_comparison", "value_intervention", "value_comparison",
                "sd_intervention", "sd_comparison", "direction", "lower_is_better")
CODING_STATES = ("in_review",)
MAX_ROWS = 40

Key = tuple[int, int]  # (outcome domain term id, time point or NO_TIME_POINT)


def key_of(row) -> Key:
    time_point = row.time_point_months
    return (row.outcome_domain_id, NO_TIME_POINT if time_point is None else time_point)


def linked_study(round_: AssessmentRound, study_id: int) -> Study:
    """A study linked to the round's intervention. Raises NotFound."""
    link = db.session.scalars(select(InterventionStudy).filter_by(
        intervention_id=round_.intervention_id, study_id=study_id)).first()
    if link is None:
        raise NotFound(_("Deze studie hoort niet bij deze interventie."))
    return link.study


def coding_of(round_: AssessmentRound, study: Study, coder: User) -> FindingCoding | None:
    return db.session.scalars(select(FindingCoding).filter_by(
        round_id=round_.id, study_id=study.id, coder_id=coder.id)).first()


def submitted_codings(round_: AssessmentRound, study: Study) -> list[FindingCoding]:
    """The submitted codings of the study in this round, first submitted first."""
    stmt = (select(FindingCoding)
            .filter_by(round_id=round_.id, study_id=study.id)
            .where(FindingCoding.submitted_at.is_not(None))
            .order_by(FindingCoding.submitted_at, FindingCoding.id))
    return list(db.session.scalars(stmt))


def save_coding(round_: AssessmentRound, study: Study, coder: User, rows: list[dict],
                submit: bool) -> FindingCoding:
    """Replace the coder's rows (form values per row) and submit when asked. Raises
    PermissionDenied, InvalidTransition (not in review), Conflict (already submitted, or
    two coders have submitted already), ValidationFailed (per row and field)."""
    perm.authorize(perm.can_code_findings_of(coder, round_))
    _check_open(round_)
    coding = coding_of(round_, study, coder)
    if coding is not None and coding.submitted_at is not None:
        raise Conflict(_("Uw codering is al ingediend en ligt vast."))
    # Two codings are compared; a third (say, a draft begun before two were submitted)
    # would be ignored without a word, so it is refused, also at submitting.
    others = [c for c in submitted_codings(round_, study) if c.coder_id != coder.id]
    if len(others) >= 2 and (coding is None or submit):
        raise Conflict(_("Deze studie is al door twee beoordelaars gecodeerd."))
    loaded = _load_rows(rows)
    if submit and not loaded:
        message = _("Codeer minstens één bevinding voordat u indient.")
        raise ValidationFailed(message, [{"field": "rows", "messages": [message]}])
    if coding is None:
        coding = FindingCoding(round_id=round_.id, study_id=study.id, coder_id=coder.id)
        db.session.add(coding)
    coding.rows = [CodedFinding(position=i, **values) for i, values in enumerate(loaded, 1)]
    coding.updated_at = utcnow()
    if submit:
        coding.submitted_at = utcnow()
        record_event(coder, "findings_coded", round_, intervention_id=round_.intervention_id,
                     after={"study_id": study.id, "rows": len(loaded)})
    db.session.flush()
    return coding


def _check_open(round_: AssessmentRound) -> None:
    if round_.state not in CODING_STATES:
        raise InvalidTransition(_("Bevindingen worden gecodeerd terwijl de ronde in "
                                  "beoordeling is."))


def _load_rows(rows: list[dict]) -> list[dict]:
    """Each non-empty form row through CodedFindingSchema, with the outcome domain code
    turned into its term; errors keyed "row-<n>-<field>"."""
    domains = terms_by_code("outcome_domain")
    rows = [_cleaned(row) for row in rows]
    filled = [(n, row) for n, row in enumerate(rows, 1) if any(v for v in row.values())]
    errors: dict[str, list[str]] = {}
    if len(filled) > MAX_ROWS:
        errors["rows"] = [_("Ten hoogste %(n)s bevindingen per studie.", n=MAX_ROWS)]
    loaded, seen = [], {}
    for number, row in filled[:MAX_ROWS]:
        try:
            values = CodedFindingSchema().load(row)
        except ValidationError as error:
            for name, messages in error.normalized_messages().items():
                errors[f"row-{number}-{name}"] = list(messages)
            continue
        term = domains.get(values.pop("outcome_domain"))
        if term is None:
            errors[f"row-{number}-outcome_domain"] = [_("Kies een uitkomstdomein.")]
            continue
        values["outcome_domain_id"] = term.id
        key = (term.id, values.get("time_point_months"))
        if key in seen:
            errors[f"row-{number}-time_point_months"] = [
                _("Rij %(other)s heeft hetzelfde domein en meetmoment.", other=seen[key])]
            continue
        seen[key] = number
        loaded.append(values)
    if errors:
        raise ValidationFailed(_("De codering is niet opgeslagen."),
                               [{"field": k, "messages": v} for k, v in errors.items()])
    return loaded


_NUMBERS = ("effect_size", "ci_lower", "ci_upper", "value_intervention", "value_comparison",
            "sd_intervention", "sd_comparison")


def _cleaned(row: dict) -> dict:
    """Blank values absent; a decimal comma (0,35) read as a point."""
    cleaned = {}
    for name, value in row.items():
        value = (value or "").strip()
        if value:
            cleaned[name] = value.replace(",", ".") if name in _NUMBERS else value
    return cleaned


def visible_to(round_: AssessmentRound, study: Study, user: User) -> list[FindingCoding]:
    """The submitted codings this user may see: none for a coder who has not submitted
    (blind), all for the secretary and for those who have."""
    codings = submitted_codings(round_, study)
    if perm.can_adjudicate(user, round_) and not _is_coder(round_, study, user):
        return codings
    own = coding_of(round_, study, user)
    return codings if own is not None and own.submitted_at is not None else []


def _is_coder(round_: AssessmentRound, study: Study, user: User) -> bool:
    return coding_of(round_, study, user) is not None


@dataclass(frozen=True)
class FieldDifference:
    name: str
    a: Any
    b: Any

    @property
    def same(self) -> bool:
        return _same(self.a, self.b)


@dataclass(frozen=True)
class KeyDifference:
    key: Key
    a: CodedFinding | None
    b: CodedFinding | None
    fields: list[FieldDifference]
    adjudication: FindingAdjudication | None

    @property
    def agreed(self) -> bool:
        return self.a is not None and self.b is not None and all(f.same for f in self.fields)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().casefold() == b.strip().casefold()
    return a == b


def differences(round_: AssessmentRound, study: Study) -> list[KeyDifference]:
    """Every key either coder coded, with each field side by side; empty until two
    codings are submitted."""
    codings = submitted_codings(round_, study)[:2]
    if len(codings) < 2:
        return []
    a_rows = {key_of(r): r for r in codings[0].rows}
    b_rows = {key_of(r): r for r in codings[1].rows}
    done = {(a.outcome_domain_id, a.time_point_key): a for a in db.session.scalars(
        select(FindingAdjudication).filter_by(round_id=round_.id, study_id=study.id))}
    result = []
    for key in sorted(set(a_rows) | set(b_rows), key=lambda k: (k[0], k[1])):
        a, b = a_rows.get(key), b_rows.get(key)
        fields = [FieldDifference(name, getattr(a, name, None), getattr(b, name, None))
                  for name in CODED_FIELDS]
        result.append(KeyDifference(key, a, b, fields, done.get(key)))
    return result


def adjudicate(round_: AssessmentRound, study: Study, adjudicator: User, key: Key,
               choices: dict[str, str]) -> Finding:
    """Resolve one key: per differing field "a" or "b" (agreed fields need no choice).
    Makes the study's finding. Raises PermissionDenied (a coder of this study, or not
    allowed), InvalidTransition, NotFound (no such key), Conflict (already adjudicated),
    ValidationFailed (a differing field without a choice, or a side that has no row)."""
    perm.authorize(perm.can_adjudicate(adjudicator, round_)
                   and not _is_coder(round_, study, adjudicator))
    _check_open(round_)
    found = next((d for d in differences(round_, study) if d.key == key), None)
    if found is None:
        raise NotFound(_("Deze bevinding is niet gecodeerd."))
    if found.adjudication is not None:
        raise Conflict(_("Over deze bevinding is al beslist."))
    values, errors = {}, {}
    for field in found.fields:
        choice = "a" if field.same else choices.get(field.name)
        side = {"a": found.a, "b": found.b}.get(choice or "")
        if side is None:
            errors[field.name] = [_("Kies welke codering geldt.") if not choice
                                  else _("Deze codering heeft deze bevinding niet.")]
            continue
        values[field.name] = getattr(side, field.name)
    if errors:
        raise ValidationFailed(_("De beslissing is niet opgeslagen."),
                               [{"field": k, "messages": v} for k, v in errors.items()])
    domain_id, time_point = key
    finding = Finding(study_id=study.id, outcome_domain_id=domain_id,
                      time_point_months=None if time_point == NO_TIME_POINT else time_point,
                      counts_towards_rating=True, **values)
    db.session.add(finding)
    db.session.flush()
    db.session.add(FindingAdjudication(
        round_id=round_.id, study_id=study.id, outcome_domain_id=domain_id,
        time_point_key=time_point, finding_id=finding.id, adjudicator_id=adjudicator.id,
        choices={f.name: ("same" if f.same else choices[f.name]) for f in found.fields}))
    record_event(adjudicator, "finding_adjudicated", round_,
                 intervention_id=round_.intervention_id,
                 after={"study_id": study.id, "finding_id": finding.id})
    db.session.flush()
    return finding


@dataclass(frozen=True)
class FieldAgreement:
    name: str
    compared: int
    agreed: int

    @property
    def share(self) -> float | None:
        return self.agreed / self.compared if self.compared else None


def field_agreement() -> list[FieldAgreement]:
    """Per coded field: on how many keys both coders of a study coded, and how often they
    gave the same value (over every double-coded study and round)."""
    compared = dict.fromkeys(CODED_FIELDS, 0)
    agreed = dict.fromkeys(CODED_FIELDS, 0)
    pairs = db.session.execute(
        select(FindingCoding.round_id, FindingCoding.study_id)
        .where(FindingCoding.submitted_at.is_not(None))
        .group_by(FindingCoding.round_id, FindingCoding.study_id)).all()
    for round_id, study_id in pairs:
        round_, study = db.session.get(AssessmentRound, round_id), db.session.get(Study, study_id)
        for diff in differences(round_, study):
            if diff.a is None or diff.b is None:
                continue
            for field in diff.fields:
                compared[field.name] += 1
                agreed[field.name] += field.same
    return [FieldAgreement(name, compared[name], agreed[name]) for name in CODED_FIELDS]
