"""Shared helpers for the procedure and account tests: users with passwords, sign-in,
a filled-in description form, and a whole cast of procedure participants."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from werkzeug.security import generate_password_hash

from registry.extensions import db
from registry.models import User
from tests.factories import FindingFactory, OrganisationFactory, UserFactory, link

PASSWORD = "een-lang-en-zeldzaam-wachtwoord"
# A decision's rationale long enough for the rule (registry/services/decision.py).
RATIONALE = "De commissie acht de onderbouwing voldoende."


# The stored hash of test users: one PBKDF2 round, for speed, not safety. The app's own
# hashing (scrypt, slow on purpose: 0.12 s a sign-in here) is tested where it matters
# (test_accounts: set_password, the same work for unknown accounts); every other sign-in
# of the suite would pay it for nothing.
FAST_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


@cache
def scrypt_password_hash() -> str:
    """The test password as the app stores it (scrypt), hashed once per run."""
    return generate_password_hash(PASSWORD, method="scrypt")


def make_user(*roles: str, organisation=None, **fields) -> User:
    user = UserFactory(roles=list(roles), organisation=organisation, **fields)
    user.password_hash = FAST_PASSWORD_HASH
    db.session.flush()
    return user


def login(client, user: User, password: str = PASSWORD):
    return client.post("/inloggen", data={"email": user.email, "password": password})


def description(**overrides) -> dict:
    data = {
        "title": "Samen aan de slag",
        "summary": "Begeleiding naar werk met een vaste jobcoach.",
        "main_aim": "Deelnemers vinden duurzaam betaald werk.",
        "sub_aims": "Werkritme opdoen\nNetwerk uitbreiden",
        "target_group_text": "Bijstandsgerechtigden met een afstand tot de arbeidsmarkt.",
        "approach": "Wekelijkse begeleiding op de werkplek.",
        "active_elements": "Snel plaatsen\nBegeleiding op de werkplek",
        "ladder_rung_min": "2",
        "ladder_rung_max": "5",
        "year_started": "2019",
    }
    data.update(overrides)
    return data


@dataclass
class Cast:
    owner: User
    secretary: User
    reviewer_a: User
    reviewer_b: User
    organisation: object


def make_cast() -> Cast:
    organisation = OrganisationFactory()
    return Cast(
        owner=make_user("owner", organisation=organisation),
        secretary=make_user("secretary"),
        reviewer_a=make_user("reviewer"),
        reviewer_b=make_user("reviewer"),
        organisation=organisation,
    )


def link_rct(intervention, quality: str = "moderate"):
    """Link a favourable controlled study, so the suggested level is effective_good."""
    finding = FindingFactory()
    finding.study.quality = quality
    link(intervention, finding.study)
    return finding.study


STEPS = ("draft", "submitted", "screening", "in_review", "assessed", "in_discussion",
         "decided", "confirmed", "published")


def full_scores(round_) -> dict:
    from registry.services.assessment import assessment_items

    return {key: 3 for key, _ in assessment_items(round_)}


# A reviewer's answers that propose each study appraisal rating.
APPRAISAL_ANSWERS = {
    "meets_without_reservations": {
        "design": "rct", "group_formation": "random", "overall_attrition": 10.0,
        "differential_attrition": 2.0, "baseline_difference": 0.02, "confounding": "none",
        "outcome_measures": "valid_reliable", "analysis": "appropriate"},
    "meets_with_reservations": {
        "design": "quasi_experimental", "group_formation": "matched",
        "overall_attrition": 15.0, "differential_attrition": 3.0, "baseline_difference": 0.04,
        "confounding": "none", "outcome_measures": "valid_reliable", "analysis": "appropriate"},
    "does_not_meet": {
        "design": "pre_post", "group_formation": "self_selected", "confounding": "none",
        "outcome_measures": "valid_reliable", "analysis": "appropriate"},
}
RATING_OF_QUALITY = {"high": "meets_without_reservations",
                     "moderate": "meets_with_reservations", "low": "does_not_meet"}


def full_appraisals(round_) -> dict:
    """Complete appraisals of every effect study of the round, each proposing the rating
    that keeps the study's quality on record as it is (moderate when it has none)."""
    from registry.services.appraisal import appraised_studies

    return {study.id: dict(APPRAISAL_ANSWERS[RATING_OF_QUALITY[study.quality or "moderate"]])
            for study in appraised_studies(round_)}


def appraisal_form(round_) -> dict[str, str]:
    """full_appraisals as the assessment form posts them."""
    return {f"appraisal-{study_id}-{name}": str(value)
            for study_id, answers in full_appraisals(round_).items()
            for name, value in answers.items()}


def drive(cast: Cast, until: str, *, with_study: bool = True):
    """Take a new intervention through the services up to step `until` (see STEPS)."""
    from registry.schemas.procedure import VersionInputSchema
    from registry.services import submission

    round_ = submission.create_intervention(cast.owner, VersionInputSchema().load(description()))
    if with_study:
        link_rct(round_.version.intervention)
    return advance(cast, round_, until)


def advance(cast: Cast, round_, until: str, start: str = "draft"):
    """Take an existing round from step `start` up to step `until` (see STEPS): a
    reassessment starts as a draft too."""
    from registry.models.procedure import SCREENING_CRITERIA
    from registry.services import assessment, decision, screening, submission

    steps = {
        "submitted": lambda: submission.submit(round_, cast.owner),
        "screening": lambda: screening.start_screening(round_, cast.secretary),
        "in_review": lambda: _accept_with_panel(round_, cast, screening, SCREENING_CRITERIA),
        "assessed": lambda: [
            assessment.save_assessment(round_, r, {
                "scores": full_scores(round_), "appraisals": full_appraisals(round_),
                "proposed_level": "effective_good",
                "motivation": f"Motivering van {r.name}", "submit": True})
            for r in (cast.reviewer_a, cast.reviewer_b)
        ],
        "in_discussion": lambda: decision.open_discussion(round_, cast.secretary),
        "decided": lambda: decision.record_decision(
            round_, cast.secretary, {"outcome": "effective_good", "rationale": RATIONALE}),
        "confirmed": lambda: [decision.confirm_decision(round_, r)
                              for r in (cast.reviewer_a, cast.reviewer_b)],
        "published": lambda: decision.publish_decision(round_, cast.secretary),
    }
    for step in STEPS[STEPS.index(start) + 1: STEPS.index(until) + 1]:
        steps[step]()
    db.session.flush()
    return round_


def _accept_with_panel(round_, cast, screening, criteria):
    screening.screen(round_, cast.secretary, list(criteria), "accepted", None)
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        screening.assign_reviewer(round_, cast.secretary, reviewer)
        screening.declare_no_conflict(round_, reviewer)
