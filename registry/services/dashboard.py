"""The secretary's dashboard: how the procedure is doing, in figures.

Rounds per stage, how long a round stays in each stage (median and 90th percentile over
the stage visits that ended in the last WINDOW_DAYS, from the audit trail's transitions),
recognitions lapsing within LAPSING_MONTHS, each reviewer's workload and the trend of the
panels' agreement (weighted kappa per quarter). The overview page draws them as charts
and gives the same figures in tables.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from registry.extensions import db
from registry.models import (
    Assessment,
    AssessmentRound,
    AuditEvent,
    EvidenceDecision,
    Intervention,
    PanelMember,
    User,
)
from registry.models.base import as_utc
from registry.models.decision import ROUND_STATES
from registry.services import agreement
from registry.services.validity import add_months

WINDOW_DAYS = 365
LAPSING_MONTHS = 6
KAPPA_QUARTERS = 8
# The stages a round waits in for the registry's people (a draft and a returned round
# wait for the owner, the others are done).
TIMED_STAGES = ("submitted", "screening", "in_review", "in_discussion", "decided", "objection")
# The stages in which a panel member still has work on a round.
PANEL_STAGES = ("in_review", "in_discussion", "objection")


@dataclass(frozen=True)
class StageTime:
    state: str
    visits: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Workload:
    reviewer: User
    open_rounds: int  # panels of rounds still in PANEL_STAGES
    to_submit: int  # of those, assessments not yet submitted
    submitted_recently: int  # assessments submitted in the last WINDOW_DAYS


@dataclass(frozen=True)
class QuarterAgreement:
    year: int
    quarter: int  # 1-4
    ends_on: date
    agreement: agreement.Agreement


def rounds_per_stage() -> list[tuple[str, int]]:
    """(state, number of rounds in it) for every state, in the procedure's order."""
    counts = dict(db.session.execute(
        select(AssessmentRound.state, func.count()).group_by(AssessmentRound.state)).all())
    return [(state, counts.get(state, 0)) for state in ROUND_STATES]


def stage_times(now: datetime) -> list[StageTime]:
    """Per timed stage: the days rounds spent in it, over visits that ended in the last
    WINDOW_DAYS (a round still in a stage is not counted until it leaves)."""
    since = now - timedelta(days=WINDOW_DAYS)
    durations: dict[str, list[float]] = defaultdict(list)
    for entered, left, state in _stage_visits():
        if since <= left <= now:
            durations[state].append((left - entered).total_seconds() / 86400)
    return [StageTime(state, len(durations[state]), _median(durations[state]),
                      _percentile(durations[state], 0.9)) for state in TIMED_STAGES]


def _stage_visits() -> list[tuple[datetime, datetime, str]]:
    """(entered, left, state) for every stage a round entered and left, read from the
    transitions in the audit trail."""
    stmt = (
        select(AuditEvent.entity_id, AuditEvent.occurred_at, AuditEvent.from_state,
               AuditEvent.to_state)
        .where(AuditEvent.entity_type == AssessmentRound.__tablename__,
               AuditEvent.to_state.is_not(None))
        .order_by(AuditEvent.entity_id, AuditEvent.occurred_at, AuditEvent.id)
    )
    visits, entered = [], {}
    for round_id, at, from_state, to_state in db.session.execute(stmt):
        at = as_utc(at)
        start = entered.pop((round_id, from_state), None)
        if start is not None and from_state in TIMED_STAGES:
            visits.append((start, at, from_state))
        entered[(round_id, to_state)] = at
    return visits


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `share` of the
    values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def lapsing(today: date) -> list[EvidenceDecision]:
    """Current recognitions whose validity ends within LAPSING_MONTHS, soonest first."""
    stmt = (
        select(EvidenceDecision)
        .join(Intervention, Intervention.current_decision_id == EvidenceDecision.id)
        .where(EvidenceDecision.expired_at.is_(None),
               EvidenceDecision.valid_until.between(today, add_months(today, LAPSING_MONTHS)))
        .order_by(EvidenceDecision.valid_until, EvidenceDecision.id)
        # The page names each intervention: with it, not a query per row (272 rows at 10k).
        .options(joinedload(EvidenceDecision.intervention)
                 .joinedload(Intervention.published_version))
    )
    return list(db.session.scalars(stmt))


def workload(reviewers: list[User], now: datetime) -> list[Workload]:
    """Per reviewer: open panels, assessments still to submit, and assessments submitted
    in the last WINDOW_DAYS; busiest first."""
    ids = [r.id for r in reviewers]
    open_rounds = dict(db.session.execute(
        select(PanelMember.user_id, func.count())
        .join(AssessmentRound, AssessmentRound.id == PanelMember.round_id)
        .where(PanelMember.user_id.in_(ids), AssessmentRound.state.in_(PANEL_STAGES))
        .group_by(PanelMember.user_id)).all())
    submitted = set(db.session.execute(
        select(Assessment.reviewer_id, Assessment.round_id)
        .where(Assessment.reviewer_id.in_(ids), Assessment.submitted_at.is_not(None))).all())
    open_pairs = db.session.execute(
        select(PanelMember.user_id, PanelMember.round_id)
        .join(AssessmentRound, AssessmentRound.id == PanelMember.round_id)
        .where(PanelMember.user_id.in_(ids), AssessmentRound.state == "in_review")).all()
    to_submit: dict[int, int] = defaultdict(int)
    for user_id, round_id in open_pairs:
        if (user_id, round_id) not in submitted:
            to_submit[user_id] += 1
    recent = dict(db.session.execute(
        select(Assessment.reviewer_id, func.count())
        .where(Assessment.reviewer_id.in_(ids),
               Assessment.submitted_at >= now - timedelta(days=WINDOW_DAYS))
        .group_by(Assessment.reviewer_id)).all())
    rows = [Workload(r, open_rounds.get(r.id, 0), to_submit[r.id], recent.get(r.id, 0))
            for r in reviewers]
    return sorted(rows, key=lambda w: (-w.open_rounds, -w.to_submit, w.reviewer.name))


def kappa_trend(rounds: list[AssessmentRound], today: date) -> list[QuarterAgreement]:
    """The panels' agreement (agreement.overall_agreement) over the rounds opened up to
    the end of each of the last KAPPA_QUARTERS quarters, oldest first."""
    trend = []
    for ends_on in reversed(_quarter_ends(today, KAPPA_QUARTERS)):
        until = datetime(ends_on.year, ends_on.month, ends_on.day, 23, 59, 59,
                         tzinfo=UTC)
        behind = [r for r in rounds if as_utc(r.opened_at) <= until]
        trend.append(QuarterAgreement(ends_on.year, (ends_on.month - 1) // 3 + 1, ends_on,
                                      agreement.overall_agreement(behind)))
    return trend


def _quarter_ends(today: date, count: int) -> list[date]:
    """The last day of this quarter and of the count - 1 quarters before it, newest
    first."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    ends = []
    for back in range(count):
        start = add_months(quarter_start, -3 * back)
        ends.append(add_months(start, 3) - timedelta(days=1))
    return ends
