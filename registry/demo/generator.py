"""Synthetic catalogues for load tests: realistic Dutch text and tag distributions.

Text mixes a large Zipf-distributed vocabulary (generator_vocabulary) with topic words
of the record's own tags, so searches are as selective as on real records.

Records are dicts in the format of registry/demo/FORMAT.md. Small catalogues go through
the demo loader's creation functions; large ones (bulk=True) are written with Core
inserts of many rows, so 100k interventions take minutes, not hours.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from registry.demo import bulk as bulk_writes
from registry.demo import generator_words as words
from registry.extensions import db
from registry.models import Intervention, Organisation, Study

# (code, weight) per vocabulary and how many codes a record gets (min, max).
TAG_WEIGHTS: dict[str, tuple[tuple[int, int], dict[str, int]]] = {
    "support_need": ((1, 2), {"low": 3, "moderate": 5, "high": 3}),
    "age_band": ((0, 2), {"under_27": 4, "27_44": 3, "45_54": 2, "55_plus": 2}),
    "target_group": ((1, 3), {"social_assistance": 10, "youth_no_qualification": 4, "wajong": 3,
                              "ww": 2, "newcomers": 5, "non_benefit": 2, "job_agreement": 3,
                              "sheltered_work": 1, "self_employed": 1, "single_parents": 2,
                              "over_55": 2}),
    "barrier": ((1, 4), {"language": 6, "debt": 6, "physical_health": 3, "mental_health": 5,
                         "addiction": 1, "mild_intellectual_disability": 2, "autism": 1,
                         "care_duties": 2, "no_qualification": 3, "long_term_unemployed": 6,
                         "criminal_record": 1, "housing": 1, "mobility": 1}),
    "domain": ((1, 2), {"participatiewet": 12, "wmo": 3, "jeugdwet": 1, "debt_relief": 3,
                        "bbz": 1, "uwv_ww": 2}),
    "phase": ((1, 2), {"intake": 1, "screening_diagnosis": 2, "guidance": 6,
                       "placement_aftercare": 3}),
    "intervention_type": ((1, 2), dict.fromkeys(words.TYPE_TITLES, 1)),
    "provider_sector": ((1, 1), {"public": 3, "private": 2}),
    "delivery_form": ((1, 2), {"individual": 3, "group": 2}),
    "setting": ((1, 2), {"municipality": 4, "employer": 3, "social_enterprise": 2,
                         "education": 1, "community": 2, "at_home": 1, "mental_health_care": 1}),
    "evidence_type": ((1, 1), {"research_based": 1, "practice_based": 2}),
    "region": ((1, 3), {"national": 6, **dict.fromkeys(words.PROVINCES, 1)}),
}
OUTCOMES = {None: 40, "well_described": 20, "well_founded": 15, "effective_first": 10,
            "effective_good": 6, "effective_strong": 3, "not_recognised": 4, "provisional": 2}


def _pick(rng: random.Random, weights: dict, low: int, high: int) -> list:
    codes, chances = list(weights), list(weights.values())
    wanted = rng.randint(low, high)
    chosen: list = []
    while len(chosen) < wanted:
        code = rng.choices(codes, chances)[0]
        if code not in chosen:
            chosen.append(code)
    return chosen


def _decision(rng: random.Random) -> list[dict[str, Any]]:
    outcome = rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
    if outcome is None:
        return []
    decided = date(2016, 1, 1) + timedelta(days=rng.randint(0, 3500))
    months = 6 if outcome == "provisional" else 60
    valid_until = decided + timedelta(days=months * 30)
    return [{
        "outcome": outcome,
        "level": None if outcome == "not_recognised" else (
            "well_founded" if outcome == "provisional" else outcome),
        "decided_on": decided.isoformat(),
        "valid_until": valid_until.isoformat(),
        "expired": valid_until < date.today() and outcome != "not_recognised",
        "rationale": words.paragraph(rng, 4),
        "conditions": words.sentence(rng) if outcome == "provisional" else None,
        "ratings": [],
    }]


def intervention_record(rng: random.Random, number: int, owners: list[str]) -> dict[str, Any]:
    """One synthetic intervention in the demo format."""
    tags = {v: _pick(rng, w, *bounds) for v, (bounds, w) in TAG_WEIGHTS.items()}
    tags = {v: codes for v, codes in tags.items() if codes}
    title = words.title(rng, tags["intervention_type"][0], tags["target_group"][0])
    topics = words.topics_of(tags)
    low = rng.choices([1, 2, 3, 4, 5], [1, 3, 4, 3, 1])[0]
    owner = rng.choice(owners)
    return {
        "slug": f"{words.slugify(title)}-{number}", "owner": owner, "providers": [owner],
        "title": title, "summary": words.paragraph(rng, rng.randint(4, 6), topics),
        "main_aim": words.sentence(rng, topics),
        "sub_aims": [words.sentence(rng, topics) for _ in range(3)],
        "target_group_text": words.paragraph(rng, 2, topics),
        "targets_household": rng.random() < 0.1,
        "approach": words.paragraph(rng, rng.randint(7, 10), topics),
        "duration": f"{rng.randint(3, 12)} maanden", "intensity": "wekelijks één gesprek",
        "setting_text": words.sentence(rng),
        "active_elements": [words.sentence(rng, topics) for _ in range(3)],
        "ladder_rung_min": low, "ladder_rung_max": min(6, low + rng.randint(0, 3)),
        "cost_min_eur": 500, "cost_max_eur": 500 + rng.randint(0, 40) * 100,
        "cost_notes": None, "availability_text": None, "manual_and_materials": None,
        "implementation_conditions": words.sentence(rng), "contact_name": None,
        "contact_email": None, "website": None, "year_started": rng.randint(2000, 2025),
        "tags": tags, "decisions": _decision(rng),
    }


def study_record(rng: random.Random, number: int, slugs: list[str]) -> dict[str, Any]:
    """One synthetic study in the demo format, linked to one or two interventions."""
    return {
        "key": f"synthetisch{number}", "title": words.sentence(rng).rstrip(".") + ": een studie",
        "authors": [{"family": rng.choice(["Jansen", "Bakker", "Visser", "Smit", "Yılmaz"]),
                     "particle": rng.choice([None, "de", "van der"]), "given": "A."}],
        "year": rng.randint(2005, 2025), "journal": "Tijdschrift voor Arbeidsvraagstukken",
        "doi": f"10.5555/synth.{number}", "abstract": words.paragraph(rng, 6),
        "language": "nl", "country": "NL", "keywords": [], "publication_type": "journal_article",
        "design": rng.choice(["rct", "quasi_experimental", "before_after", "qualitative"]),
        "quality": rng.choice(["high", "moderate", "low"]),
        "findings": [_finding(rng) for _ in range(rng.randint(0, 3))],
        "interventions": [{"slug": s, "relation": "effect"}
                          for s in rng.sample(slugs, min(len(slugs), rng.randint(1, 2)))],
    }


OUTCOME_DOMAINS = ("work", "income", "participation", "education", "health_wellbeing",
                   "financial_self_reliance")


def _finding(rng: random.Random) -> dict[str, Any]:
    """A synthetic finding in Hedges' g with a CI its direction agrees with."""
    g = round(rng.gauss(0.2, 0.25), 3)
    half = round(rng.uniform(0.08, 0.4), 3)
    lower, upper = round(g - half, 3), round(g + half, 3)
    direction = "favourable" if lower > 0 else "unfavourable" if upper < 0 else "null"
    return {"outcome_domain": rng.choice(OUTCOME_DOMAINS), "measure": "Synthetische uitkomst",
            "time_point_months": rng.choice([3, 6, 12, 18, 24, 36]),
            "effect_size_type": "hedges_g", "effect_size": g, "ci_lower": lower,
            "ci_upper": upper, "n_intervention": rng.randint(40, 800),
            "n_comparison": rng.randint(40, 800), "direction": direction,
            "counts_towards_rating": True}


def _owners(count: int = 40) -> list[tuple[int, str]]:
    stmt = select(Organisation.id, Organisation.slug).where(Organisation.slug.like("synth-%"))
    existing = list(db.session.execute(stmt))
    if not existing:
        rows = [{"slug": f"synth-{n}", "name": f"Synthetische aanbieder {n}", "kind": "provider"}
                for n in range(count)]
        db.session.execute(insert(Organisation), rows)
        existing = list(db.session.execute(stmt))
    return [(row.id, row.slug) for row in existing]


def generate(interventions: int, studies: int = 0, seed: int = 2026, bulk: bool = False) -> int:
    """Add synthetic interventions (and studies); returns how many interventions were added.

    Raises the loader's DemoDataError on an unknown code (not expected: codes come from
    the seed vocabularies).
    """
    from registry.services.vocabularies import load_vocabularies

    load_vocabularies()  # idempotent; a fresh database has none yet
    rng = random.Random(seed)
    owners = _owners()
    start = db.session.scalar(select(func.coalesce(func.max(Intervention.id), 0))) + 1
    first_study = db.session.scalar(select(func.coalesce(func.max(Study.id), 0))) + 1
    records = (intervention_record(rng, start + n, [s for _, s in owners])
               for n in range(interventions))
    if bulk:
        ids = bulk_writes.write_interventions(records, {s: i for i, s in owners})
        slugs = list(ids)
        bulk_writes.write_studies(
            (study_record(rng, first_study + n, slugs) for n in range(studies if ids else 0)),
            ids,
        )
        bulk_writes.move_sequences_past_ids()
    else:
        from registry.demo.loader import Lookup, create_intervention, create_study

        lookup = Lookup()
        slugs = []
        for record in records:
            created = create_intervention(record, lookup)
            # The lookup only knows what existed when it was made; studies link to these.
            lookup.interventions[created.slug] = created
            slugs.append(created.slug)
        db.session.flush()
        for n in range(studies if slugs else 0):
            create_study(study_record(rng, first_study + n, slugs), lookup)
    db.session.flush()
    return interventions
