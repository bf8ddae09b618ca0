"""The panel's appraisal of effect studies. Each reviewer appraises every effect study of
the round inside the blind assessment (registry/services/assessment.py saves it); the
decision holds the panel's agreed rating per study; publishing it makes that rating the
study's quality on record, which decides whether its findings count."""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from flask_babel import gettext as _

from registry.effects.appraisal import QUALITY_OF_RATING, RATINGS, Answers, appraise
from registry.errors import ValidationFailed
from registry.models import AgreedAppraisal, Assessment, AssessmentRound, StudyAppraisal
from registry.schemas.common import whole_number
from registry.services.effects import effect_studies

# The answers a complete appraisal has (the SDs and attrition may be "not reported").
QUESTIONS = ("design", "group_formation", "confounding", "outcome_measures", "analysis")
NUMBERS = ("overall_attrition", "differential_attrition", "baseline_difference")
MIN_REASON_CHARS = 20


def appraised_studies(round_: AssessmentRound) -> list:
    """The studies a reviewer appraises in this round: its finished effect studies."""
    return effect_studies(round_.version.intervention)


def save_appraisals(assessment: Assessment, round_: AssessmentRound,
                    appraisals: dict[int, dict[str, Any]]) -> None:
    """Store the reviewer's answers per study (a draft may be incomplete) and the rating
    they propose. Raises ValidationFailed for a study that is not appraised here."""
    known = {study.id for study in appraised_studies(round_)}
    unknown = sorted(set(appraisals) - known)
    if unknown:
        raise ValidationFailed(_("Deze studie hoort niet bij de beoordeling."), [
            {"field": f"appraisals.{study_id}", "messages": [
                _("Onbekende studie.")]} for study_id in unknown])
    existing = {a.study_id: a for a in assessment.appraisals}
    for study_id, data in appraisals.items():
        appraisal = existing.get(study_id)
        if appraisal is None:
            appraisal = StudyAppraisal(study_id=study_id)
            assessment.appraisals.append(appraisal)
        _apply(appraisal, data)


def _apply(appraisal: StudyAppraisal, data: dict[str, Any]) -> None:
    for name in (*QUESTIONS, *NUMBERS, "override_reason"):
        setattr(appraisal, name, data.get(name))
    appraisal.baseline_adjusted = bool(data.get("baseline_adjusted"))
    answers = answers_of(appraisal)
    appraisal.proposed = appraise(answers).rating if answers else None
    appraisal.rating = data.get("rating") or appraisal.proposed


def answers_of(appraisal: StudyAppraisal) -> Answers | None:
    """The answers as effects.appraisal.Answers; None while a question is unanswered."""
    if any(getattr(appraisal, name) is None for name in QUESTIONS):
        return None
    return Answers(**{name: getattr(appraisal, name) for name in (*QUESTIONS, *NUMBERS)},
                   baseline_adjusted=bool(appraisal.baseline_adjusted))


def incomplete_appraisals(assessment: Assessment, round_: AssessmentRound) -> list[dict]:
    """What still keeps the appraisals from being submitted, as error details: an
    unanswered question, or an override without a reason of MIN_REASON_CHARS."""
    by_study = {a.study_id: a for a in assessment.appraisals}
    details = []
    for study in appraised_studies(round_):
        appraisal = by_study.get(study.id)
        answered = appraisal is not None and answers_of(appraisal) is not None
        details.extend({"field": f"appraisals.{study.id}.{name}",
                        "messages": [_("Beantwoord deze vraag.")]}
                       for name in QUESTIONS
                       if not answered and getattr(appraisal, name, None) is None)
        if answered and appraisal.rating != appraisal.proposed and len(
                (appraisal.override_reason or "").strip()) < MIN_REASON_CHARS:
            details.append({"field": f"appraisals.{study.id}.override_reason", "messages": [
                _("Leg uit waarom u afwijkt van het voorgestelde oordeel (minstens "
                  "%(min)s tekens).", min=MIN_REASON_CHARS)]})
    return details


def submitted_ratings(round_: AssessmentRound) -> dict[int, list[str]]:
    """Study id -> the ratings in the round's submitted assessments."""
    ratings: dict[int, list[str]] = {}
    for assessment in round_.assessments:
        if assessment.submitted_at is None:
            continue
        for appraisal in assessment.appraisals:
            if appraisal.rating:
                ratings.setdefault(appraisal.study_id, []).append(appraisal.rating)
    return ratings


def consensus(ratings: list[str]) -> str | None:
    """The rating every reviewer gave, or None when they differ (or none gave one)."""
    distinct = set(ratings)
    return distinct.pop() if len(distinct) == 1 else None


class ReviewersRatings(NamedTuple):
    """What the decision form shows of one study: each rating the reviewers gave with
    how many gave it (most first), and the one they all gave (None if they differ)."""

    study: object
    given: list[tuple[str, int]]
    common: str | None


def reviewers_ratings(round_: AssessmentRound) -> list[ReviewersRatings]:
    """Per appraised study, the submitted assessments' ratings (see ReviewersRatings)."""
    given = submitted_ratings(round_)
    return [ReviewersRatings(study, Counter(given.get(study.id, [])).most_common(),
                             consensus(given.get(study.id, [])))
            for study in appraised_studies(round_)]


def choose_agreed(round_: AssessmentRound, chosen: dict[int, dict[str, Any]]) -> list[dict]:
    """The panel's rating per appraised study: the one chosen, else the reviewers'
    common one. Raises ValidationFailed naming each field: no rating where the reviewers
    differ, an unknown rating, or one that differs from their common rating without a
    reason of MIN_REASON_CHARS, or a study this round does not appraise. A study nobody
    appraised and nobody rated is left out (rounds from before the appraisal)."""
    rows, details = [], []
    appraised = reviewers_ratings(round_)
    for study_id in sorted(set(chosen) - {entry.study.id for entry in appraised}):
        details.append({"field": field_name("rating", study_id), "messages": [
            _("Deze studie wordt in deze ronde niet beoordeeld.")]})
    for study, given, common in appraised:
        choice = chosen.get(study.id, {})
        rating = choice.get("rating") or common
        reason = (choice.get("reason") or "").strip() or None
        if rating is None and not given:
            continue
        problem = _problem(rating, common, reason)
        if problem:
            details.append({"field": field_name(problem[0], study.id), "messages": [problem[1]]})
        rows.append({"study_id": study.id, "rating": rating, "reason": reason})
    if details:
        raise ValidationFailed(_("Het oordeel over een studie ontbreekt of wijkt af zonder "
                                 "uitleg."), details)
    return rows


def _problem(rating: str | None, common: str | None, reason: str | None):
    if rating is None:
        return "rating", _("De beoordelaars verschillen: kies het oordeel van de commissie.")
    if rating not in RATINGS:
        return "rating", _("Kies een van de mogelijkheden.")
    if common is not None and rating != common and len(reason or "") < MIN_REASON_CHARS:
        return "reason", _("Leg uit waarom dit oordeel afwijkt van dat van de beoordelaars "
                           "(minstens %(min)s tekens).", min=MIN_REASON_CHARS)
    return None


def field_name(kind: str, study_id: int) -> str:
    """The decision form's field of one study's agreed rating ("rating") or reason."""
    return f"study_{kind}__{study_id}"


def chosen_appraisals(form) -> dict[int, dict[str, str]]:
    """The panel's choices in a posted decision form: study id -> rating and reason."""
    chosen: dict[int, dict[str, str]] = {}
    for name, value in form.items():
        kind, _sep, study_id = name.partition("__")
        number = whole_number(study_id)
        if kind in ("study_rating", "study_reason") and number is not None:
            key = "rating" if kind == "study_rating" else "reason"
            chosen.setdefault(number, {})[key] = (value or "").strip()
    return chosen


def qualities(rows: list[dict]) -> dict[int, str]:
    """Study id -> the quality the agreed ratings give (for the proposals at decision)."""
    return {row["study_id"]: QUALITY_OF_RATING[row["rating"]] for row in rows}


def common_qualities(ratings: list[ReviewersRatings]) -> dict[int, str]:
    """Study id -> the quality the reviewers' common ratings would give, if agreed."""
    return {row.study.id: QUALITY_OF_RATING[row.common] for row in ratings if row.common}


def attach(decision, rows: list[dict]) -> None:
    """Add the agreed ratings to a new decision (flushed with it)."""
    decision.study_appraisals = [AgreedAppraisal(**row) for row in rows]


def publish_agreed(decision, secretary) -> None:
    """Make each agreed rating its study's quality on record (the search index follows
    the study's change)."""
    for agreed in decision.study_appraisals:
        agreed.study.quality = QUALITY_OF_RATING[agreed.rating]
        agreed.study.quality_rated_by_id = secretary.id


def published_appraisals(intervention) -> list[dict[str, Any]]:
    """The panel's agreed study ratings in the intervention's published decision: never
    a single reviewer's, and nothing before publication."""
    decision = intervention.current_decision
    return [{"study_id": agreed.study_id, "title": agreed.study.title, "rating": agreed.rating,
             "quality": QUALITY_OF_RATING[agreed.rating], "reason": agreed.reason}
            for agreed in (decision.study_appraisals if decision else [])]
