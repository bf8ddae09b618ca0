"""GET /api/v1/interventions/<slug>/evidence: the effects per outcome domain and follow-up
horizon (registry/services/effects.py), dumped from the objects the page shows."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields

from registry.effects.domains import HORIZONS, RATINGS, ratio
from registry.effects.effect_sizes import Z95
from registry.schemas.appraisal import AgreedAppraisalOutSchema
from registry.schemas.common import ComputedDict, ComputedFloat, ComputedNested, DecimalNumber


class PooledSchema(Schema):
    """A random-effects estimate on `scale` (hedges_g, or odds_ratio / risk_ratio)."""

    estimate = fields.Float(required=True)
    ci_lower = fields.Float(required=True)
    ci_upper = fields.Float(required=True)
    tau2 = fields.Float(required=True, metadata={"description": "On the analysis scale "
                                                 "(g, or the log ratio)."})
    i2 = fields.Float(required=True, metadata={"description": "Percent."})
    k = fields.Integer(required=True)
    method = fields.String(required=True, metadata={"enum": ["REML", "DL"]})
    scale = fields.String(required=True)


class FindingEffectSchema(Schema):
    finding_id = fields.Integer(attribute="finding.id", required=True)
    study_id = fields.Integer(attribute="study.id", required=True)
    measure = fields.String(attribute="finding.measure", required=True)
    time_point_months = fields.Integer(attribute="finding.time_point_months", allow_none=True)
    effect_size_type = fields.String(attribute="finding.effect_size_type", allow_none=True)
    effect_size = DecimalNumber(places=3, attribute="finding.effect_size", allow_none=True)
    ci_lower = DecimalNumber(places=3, attribute="finding.ci_lower", allow_none=True)
    ci_upper = DecimalNumber(places=3, attribute="finding.ci_upper", allow_none=True)
    direction = fields.String(attribute="finding.direction", required=True)
    g = fields.Float(attribute="effect.g", allow_none=True,
                     metadata={"description": "Hedges' g; positive favours the intervention."})
    g_ci_lower = ComputedFloat(getter=lambda row: _g_bound(row, -1), allow_none=True)
    g_ci_upper = ComputedFloat(getter=lambda row: _g_bound(row, 1), allow_none=True)
    improvement_index = fields.Float(attribute="effect.improvement_index", allow_none=True)
    conversion = fields.String(attribute="effect.method", allow_none=True)
    not_on_common_scale = fields.String(attribute="effect.reason", allow_none=True)
    weight = fields.Float(allow_none=True, metadata={"description": "Percent of the pooled "
                                                     "estimate."})
    counts = fields.Boolean(required=True)
    not_counted = fields.String(attribute="reason", allow_none=True)


def _g_bound(row, side: int) -> float | None:
    return None if row.effect.g is None else row.effect.g + side * Z95 * row.effect.se


def _pooled(p, scale: str) -> dict:
    return {"estimate": p.estimate, "ci_lower": p.ci_lower, "ci_upper": p.ci_upper,
            "tau2": p.tau2, "i2": p.i2, "k": p.k, "method": p.method, "scale": scale}


def _pooled_g(group) -> dict | None:
    return _pooled(group.pooled, "hedges_g") if group.pooled else None


def _pooled_ratio(group) -> dict | None:
    if group.pooled_ratio is None:
        return None
    p = group.pooled_ratio
    return {**_pooled(p, group.ratio_type), "estimate": ratio(p.estimate),
            "ci_lower": ratio(p.ci_lower), "ci_upper": ratio(p.ci_upper)}


class HorizonSchema(Schema):
    horizon = fields.String(required=True, metadata={"enum": list(HORIZONS)})
    proposed_rating = fields.String(attribute="proposed", required=True,
                                    metadata={"enum": list(RATINGS)})
    decided_rating = fields.String(attribute="decided", allow_none=True, metadata={
        # None too: a domain the panel has not rated (JSON Schema checks enum with null).
        "enum": [*RATINGS, None], "description": "The panel's, in the current decision."})
    decided_reason = fields.String(attribute="reason", allow_none=True, metadata={
        "description": "The panel's reason where its rating differs from the proposal."})
    harmful = fields.Boolean(attribute="is_harmful", required=True, metadata={
        "description": "The decided rating, else the proposed one, is (possibly) negative."})
    pooled = ComputedNested(PooledSchema, getter=_pooled_g, allow_none=True)
    pooled_ratio = ComputedNested(PooledSchema, getter=_pooled_ratio,
                                  allow_none=True, metadata={
                                      "description": "When every pooled finding is an odds "
                                                     "ratio or every one a risk ratio."})
    findings = fields.List(fields.Nested(FindingEffectSchema), attribute="rows")


class DomainSchema(Schema):
    outcome_domain = fields.String(attribute="domain.code", required=True)
    harmful = fields.Boolean(attribute="is_harmful", required=True)
    horizons = fields.List(fields.Nested(HorizonSchema), attribute="groups")


class EvidenceSchema(Schema):
    """Per outcome domain and horizon: the proposed rating, the pooled estimate and every
    finding of the intervention's finished effect studies."""

    intervention = fields.String(required=True)
    domains = fields.List(fields.Nested(DomainSchema))
    study_appraisals = fields.List(fields.Nested(AgreedAppraisalOutSchema), metadata={
        "description": "The panel's agreed rating per effect study in the published "
                       "decision (never an individual reviewer's)."})
    links = ComputedDict(keys=fields.String(), values=fields.String(),
                         getter=lambda evidence: _links(evidence["intervention"]))


def _links(slug: str) -> dict[str, str]:
    return {"self": url_for("api.get_evidence", slug=slug, _external=True),
            "intervention": url_for("api.get_intervention", slug=slug, _external=True),
            "html": url_for("pages.intervention", slug=slug, _external=True,
                            _anchor="effecten")}
