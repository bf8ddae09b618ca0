"""Independent, blind assessments: each reviewer scores the criteria, proposes a level
and motivates it. Nobody sees another's assessment before submitting their own."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from registry import permissions as perm
from registry.errors import InvalidTransition, ValidationFailed
from registry.models import Assessment, AssessmentRound, AssessmentScore, User
from registry.models.base import utcnow
from registry.services import appraisal
from registry.services.audit_trail import record_event
from registry.services.procedure import check_lock_version, flush_or_conflict


def assessment_items(round_: AssessmentRound) -> list[tuple[str, str]]:
    """The criteria of this round: description, theory, each linked study's quality,
    and the effects per outcome domain found in those studies."""
    locale = str(get_locale())
    items = [("description", _("Beschrijving")), ("theory", _("Veranderingstheorie"))]
    domains: dict[str, str] = {}
    for link in round_.version.intervention.study_links:
        study = link.study
        items.append((f"study:{study.id}",
                      _("Kwaliteit van studie: %(title)s", title=study.title)))
        for finding in study.findings:
            domains[finding.outcome_domain.code] = finding.outcome_domain.label(locale)
    items.extend((f"outcome:{code}", _("Effecten op %(domain)s", domain=label))
                 for code, label in domains.items())
    return items


def own_assessment(round_: AssessmentRound, reviewer: User) -> Assessment | None:
    return next((a for a in round_.assessments if a.reviewer_id == reviewer.id), None)


def save_assessment(round_: AssessmentRound, reviewer: User, data: dict[str, Any]) -> Assessment:
    """Save (and with data['submit'] submit) the reviewer's assessment.

    Raises PermissionDenied (not a declared panel member), InvalidTransition (round not
    in review, or already submitted), ValidationFailed (unknown criterion, or incomplete
    on submission), Conflict (stale form).
    """
    perm.authorize(perm.can_assess(reviewer, round_))
    if round_.state != "in_review":
        raise InvalidTransition(_("Beoordelen kan alleen als de ronde in beoordeling is."))
    assessment = own_assessment(round_, reviewer)
    if assessment is None:
        assessment = Assessment(reviewer_id=reviewer.id)
        round_.assessments.append(assessment)
    elif assessment.submitted_at is not None:
        raise InvalidTransition(_("U heeft uw beoordeling al ingediend."))
    else:
        check_lock_version(assessment, data.get("lock_version"))
    _apply(assessment, round_, data)
    if data.get("submit"):
        _check_complete(assessment, round_)
        assessment.submitted_at = utcnow()
    flush_or_conflict()
    if data.get("submit"):
        record_event(reviewer, "submit_assessment", assessment,
                     intervention_id=round_.intervention_id)
    return assessment


def _apply(assessment: Assessment, round_: AssessmentRound, data: dict[str, Any]) -> None:
    known = {key for key, _label in assessment_items(round_)}
    unknown = sorted(set(data.get("scores", {})) - known)
    if unknown:
        raise ValidationFailed(_("Onbekend criterium."),
                               [{"field": "scores", "messages": unknown}])
    existing = {s.item: s for s in assessment.scores}
    for item, score in data.get("scores", {}).items():
        if item in existing:
            existing[item].score = score
        else:
            assessment.scores.append(AssessmentScore(item=item, score=score))
    assessment.proposed_level = data.get("proposed_level")
    assessment.motivation = data.get("motivation")
    appraisal.save_appraisals(assessment, round_, data.get("appraisals") or {})


def _check_complete(assessment: Assessment, round_: AssessmentRound) -> None:
    scored = {s.item for s in assessment.scores}
    details = [
        {"field": f"scores.{key}", "messages": [_("Geef een score.")]}
        for key, _label in assessment_items(round_)
        if key not in scored
    ]
    details.extend(appraisal.incomplete_appraisals(assessment, round_))
    if not assessment.proposed_level:
        details.append({"field": "proposed_level", "messages": [_("Stel een niveau voor.")]})
    if not (assessment.motivation or "").strip():
        details.append({"field": "motivation", "messages": [_("Motiveer uw voorstel.")]})
    if details:
        raise ValidationFailed(_("De beoordeling is nog niet compleet."), details)


def visible_assessments(round_: AssessmentRound, viewer: User) -> list[Assessment]:
    """The assessments this viewer may see (the blinding rule is can_view_assessment)."""
    return [a for a in round_.assessments if perm.can_view_assessment(viewer, a)]


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """A plain dict of one assessment, for the API and for pages."""
    return {
        "id": assessment.id,
        "reviewer": assessment.reviewer.name,
        "reviewer_id": assessment.reviewer_id,
        "scores": assessment.score_map(),
        "proposed_level": assessment.proposed_level,
        "motivation": assessment.motivation,
        "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
        "lock_version": assessment.lock_version,
        "appraisals": [appraisal_summary(a) for a in assessment.appraisals],
    }


def appraisal_summary(item) -> dict[str, Any]:
    """A plain dict of one reviewer's appraisal of one study."""
    names = ("study_id", *appraisal.QUESTIONS, *appraisal.NUMBERS, "baseline_adjusted",
             "proposed", "rating", "override_reason")
    return {name: getattr(item, name) for name in names}
