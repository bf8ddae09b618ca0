"""The secretary's overview of the procedure: where the rounds are, how long they take,
what lapses soon, who has how much work, and how well the panels agree."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from registry import permissions as perm
from registry.models.base import utcnow
from registry.procedure.labels import STATE_LABELS
from registry.services import agreement, dashboard, double_coding
from registry.services.accounts import active_reviewers, names_of
from registry.templating import number
from registry.views import charts
from registry.views.procedure import bp

KAPPA_TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@bp.get("/overzicht")
@perm.permission_required(perm.can_view_agreement)
def overview():
    now = utcnow()
    rounds = agreement.all_rounds()
    ratings = agreement.proposals(rounds)
    stages = dashboard.rounds_per_stage()
    times = dashboard.stage_times(now)
    workload = dashboard.workload(active_reviewers(), now)
    trend = dashboard.kappa_trend(rounds, now.date())
    return render_template(
        "procedure/overview.html",
        per_round=[(r, agreement.round_agreement(r, ratings)) for r in reversed(rounds)],
        pairs=agreement.panel_agreements(rounds), names=names_of(ratings),
        overall=agreement.overall_agreement(rounds), describe=agreement.describe_kappa,
        min_rounds=agreement.MIN_ROUNDS,
        stages=stages, stages_chart=charts.bar_chart(
            [(str(STATE_LABELS[s]), n, str(n)) for s, n in stages if n]),
        times=times, times_chart=charts.bar_chart(_time_rows(times)),
        lapsing=dashboard.lapsing(now.date()), today=now.date(),
        workload=workload, workload_chart=charts.bar_chart(
            [(w.reviewer.name, w.open_rounds, str(w.open_rounds)) for w in workload]),
        trend=trend, trend_chart=_trend_chart(trend), quarter_label=quarter_label,
        kappa_text=kappa_text, days=_days,
        field_agreement=double_coding.field_agreement(),
        criterion_agreement=agreement.criterion_agreements(rounds),
        window_days=dashboard.WINDOW_DAYS, lapsing_months=dashboard.LAPSING_MONTHS,
    )


def _time_rows(times: list[dashboard.StageTime]) -> list[tuple[str, float, str]]:
    return [(str(STATE_LABELS[t.state]), t.median_days,
             _("%(days)s dagen", days=_days(t.median_days)))
            for t in times if t.median_days is not None]


def _days(value: float | None) -> str:
    return "–" if value is None else number(value, 1)


def _trend_chart(trend: list[dashboard.QuarterAgreement]) -> charts.LineChart:
    points = [(quarter_label(q), str(q.year), q.agreement.kappa, kappa_text(q.agreement.kappa))
              for q in trend]
    return charts.line_chart(points, low=0.0, high=1.0, ticks=KAPPA_TICKS)


def quarter_label(quarter: dashboard.QuarterAgreement) -> str:
    return _("K%(quarter)s", quarter=quarter.quarter)


def kappa_text(kappa: float | None) -> str:
    return "–" if kappa is None else number(kappa, 2)
