"""The level the coded findings suggest, by the rules in docs/domain.md ("The evidence levels").

The panel decides; this suggestion only asks for a written rationale when they differ.
Description and theory (well_described, well_founded) cannot be read from findings, so
without effect evidence there is no suggestion (None).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTROLLED_DESIGNS = ("rct", "quasi_experimental")
UNCONTROLLED_DESIGNS = ("before_after", "cohort", "case_series")
SOUND_QUALITIES = ("high", "moderate")


@dataclass(frozen=True)
class StudyEvidence:
    """What the rules need of one study: design, quality, follow-up and direction."""

    design: str | None
    quality: str | None
    follow_up_months: int | None
    favourable: bool  # a counted favourable finding and no counted unfavourable one


def evidence_of(study, quality: str | None = None) -> StudyEvidence:
    """What the rules need of a study; `quality` stands in for its quality on record."""
    counted = [f for f in study.findings if f.counts_towards_rating]
    directions = {f.direction for f in counted}
    return StudyEvidence(
        design=study.design.code if study.design else None,
        quality=quality or study.quality,
        follow_up_months=study.follow_up_months,
        favourable="favourable" in directions and "unfavourable" not in directions,
    )


def suggest_level(studies: list[StudyEvidence]) -> str | None:
    """effective_strong / effective_good / effective_first, or None."""
    favourable = [s for s in studies if s.favourable]
    controlled = [s for s in favourable if s.design in CONTROLLED_DESIGNS]
    # Of sufficient quality: what the effects per domain count too (low quality is not).
    sound = [s for s in controlled if s.quality in SOUND_QUALITIES]
    strong_anchor = [
        s for s in sound if s.quality == "high" and (s.follow_up_months or 0) >= 6
    ]
    if len(sound) >= 2 and strong_anchor:
        return "effective_strong"
    if sound:
        return "effective_good"
    if controlled or any(s.design in UNCONTROLLED_DESIGNS for s in favourable):
        return "effective_first"
    return None


def suggested_level_for(intervention, qualities: dict[int, str] | None = None) -> str | None:
    """The suggestion from the intervention's linked effect studies; `qualities` (study
    id -> quality) stand in for their quality on record, as the panel agreed it."""
    qualities = qualities or {}
    # Finished effect studies only, as the effects per domain (a study still running has
    # no findings to go on yet).
    studies = [evidence_of(link.study, qualities.get(link.study_id))
               for link in intervention.study_links
               if link.relation == "effect" and not link.study.ongoing]
    return suggest_level(studies)
