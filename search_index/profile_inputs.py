"""What the profile ranking takes in (search_index/profile.py): the client's profile, and
its characteristics as weighted document sets (shared with profile_penalties.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ClientProfile:
    rung: int | None = None
    support_need: str | None = None
    age_band: str | None = None
    target_groups: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    goal: str = ""
    # The outcome domains the goal is about (codes of the positive_effect facet).
    goal_domains: tuple[str, ...] = ()
    # The age bands in their vocabulary's order, youngest first: which bands are next to
    # each other (without it any other band counts as far).
    age_order: tuple[str, ...] = ()
    # Target groups or barriers the client belongs to by another characteristic (a
    # client of 55 or older is one of the over-55s): in the focus penalty they count as
    # the client's own, not as "made for another group". Not characteristics of the fit.
    implied_focus: tuple[tuple[str, str], ...] = ()

    def characteristics(self) -> list[tuple[str, str]]:
        """(facet, value) pairs the client has, in the order they are explained."""
        pairs = [("ladder_rung", str(self.rung))] if self.rung else []
        pairs += [("support_need", self.support_need)] if self.support_need else []
        pairs += [("age_band", self.age_band)] if self.age_band else []
        for facet, values in (
            ("target_group", self.target_groups),
            ("barrier", self.barriers),
            ("domain", self.domains),
            ("phase", self.phases),
        ):
            pairs += [(facet, v) for v in values]
        return pairs


@dataclass
class Features:
    """The profile's characteristics with their weights, and the distance classes of
    rung and age as document sets."""

    weighted: list[tuple[str, str, int, float]]  # facet, value, documents, weight
    total_weight: float
    implied: list[tuple[str, str, int, float]]  # the profile's implied_focus, weighted
    rung_classes: list[tuple[int, int]]  # (distance, documents); distance 0 omitted
    age_classes: list[tuple[float, int]]  # (penalty, documents)
