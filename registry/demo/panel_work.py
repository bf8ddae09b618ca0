"""The panel's work behind each demo decision: an agreed appraisal of every effect study
(the rating that gives the study its quality on record) and the ratings per outcome
domain the findings propose, so the demo shows the evidence as a real decision would."""

from __future__ import annotations

from collections.abc import Iterable

from registry.effects.appraisal import QUALITY_OF_RATING
from registry.effects.domains import groups_for
from registry.models import AgreedAppraisal, DomainRating
from registry.services.effects import effect_studies

RATING_OF_QUALITY = {quality: rating for rating, quality in QUALITY_OF_RATING.items()}


def agree_on_evidence(interventions: Iterable) -> None:
    """Give each current decision without them its agreed appraisals and domain ratings."""
    for intervention in interventions:
        decision = intervention.current_decision
        if decision is None or decision.study_appraisals or decision.domain_ratings:
            continue
        studies = effect_studies(intervention)
        decision.study_appraisals = [
            AgreedAppraisal(study_id=study.id, rating=RATING_OF_QUALITY[study.quality])
            for study in studies if study.quality]
        decision.domain_ratings = [
            DomainRating(outcome_domain_id=group.domain.id, horizon=group.horizon,
                         proposed=group.proposed, decided=group.proposed)
            for group in groups_for(studies)]
