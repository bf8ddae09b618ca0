"""Werkwijzers: saving a new version, finding the guides that belong with a profile, an
intervention or a text search, and the differences between two versions. Flushes,
never commits."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from registry.errors import Conflict, NotFound, ValidationFailed, details_from_marshmallow
from registry.extensions import db
from registry.models import Guide, GuideVersion, Intervention, VocabularyTerm
from registry.page_cache import kept_value
from registry.row_locks import hold_row
from registry.schemas.guides import LINKED_FACETS, GuideInputSchema
from registry.unit_of_work import lost_race
from search_index.analysis import DUTCH_ANALYZER


def known_codes() -> set[str]:
    """facet:code of every vocabulary term a guide may be linked to (and the phases)."""
    rows = db.session.execute(select(VocabularyTerm.vocabulary, VocabularyTerm.code)
                              .where(VocabularyTerm.vocabulary.in_(LINKED_FACETS)))
    return {f"{vocabulary}:{code}" for vocabulary, code in rows}


def published_intervention_ids() -> set[int]:
    return set(db.session.scalars(select(Intervention.id).where(
        Intervention.published_version_id.is_not(None))))


# Paths under /werkwijzers/ that are pages of their own, never a guide's slug (a guide
# titled "Nieuw" would be hidden behind the new-guide form).
RESERVED_SLUGS = frozenset({"nieuw"})


def _slug(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:100] or "werkwijzer"
    taken = set(db.session.scalars(select(Guide.slug).where(Guide.slug.like(f"{base}%"))))
    taken |= RESERVED_SLUGS
    return base if base not in taken else next(
        f"{base}-{n}" for n in range(2, 10_000) if f"{base}-{n}" not in taken)


def _latest_number(guide: Guide) -> int:
    """The guide's newest version number, read with the guide's row held, so two saves
    at once number one after the other."""
    hold_row(Guide, guide.id)
    return db.session.scalar(select(func.max(GuideVersion.number))
                             .where(GuideVersion.guide_id == guide.id)) or 0


def save_guide(editor, values: dict[str, Any], guide: Guide | None = None,
               based_on: int | None = None) -> Guide:
    """A new guide, or a new version of `guide` written from its version `based_on` (the
    one the editor's form showed); no new version when nothing but the note differs
    from the current one (see `unchanged`). Raises ValidationFailed naming each field
    that is wrong, Conflict when someone saved a newer version meanwhile (the editor
    would otherwise undo it without seeing it)."""
    schema = GuideInputSchema(codes=known_codes(), interventions=published_intervention_ids())
    try:
        data = schema.load(values)
    except ValidationError as error:
        raise ValidationFailed(_("Niet alle velden zijn goed ingevuld."),
                               details_from_marshmallow(error.messages)) from None
    latest = 0
    if guide is None:
        guide = Guide(slug=_slug(data["title"]))
        db.session.add(guide)
    else:
        latest = _latest_number(guide)
        if based_on is not None and based_on != latest:
            raise Conflict(_("Iemand anders heeft deze werkwijzer intussen opgeslagen als "
                             "versie %(number)s. Uw tekst staat hieronder; bekijk de "
                             "versiegeschiedenis en sla daarna opnieuw op.", number=latest))
        if unchanged(guide.current, data):
            return guide
    number = latest + 1
    guide.versions.append(GuideVersion(number=number, created_by_id=getattr(editor, "id", None),
                                       **data))
    try:
        db.session.flush()
    except IntegrityError:  # SQLite: another save took this number (or this slug) first
        raise lost_race() from None
    return guide


_CONTENT = ("title", "phase", "body", "facets", "intervention_ids")


def unchanged(version: GuideVersion | None, data: dict[str, Any]) -> bool:
    """Whether loaded GuideInputSchema data says what the version says (the note aside:
    it describes a change, and there is none)."""
    if version is None:
        return False
    return all(sorted(data[name]) == sorted(getattr(version, name) or [])
               if name in ("facets", "intervention_ids") else data[name] == getattr(version, name)
               for name in _CONTENT)


def guide_by_slug(slug: str) -> Guide:
    found = db.session.scalar(select(Guide).where(Guide.slug == slug))
    if found is None:
        raise NotFound(_("Deze werkwijzer bestaat niet."))
    return found


@dataclass(frozen=True)
class GuideText:
    """What the guide list and the pages beside results show of a guide's current
    version: plain values, not the ORM row, so that it can be kept between requests."""

    id: int
    number: int
    title: str
    phase: str
    body: str
    facets: tuple[str, ...]
    intervention_ids: tuple[int, ...]


@dataclass(frozen=True)
class CurrentGuide:
    """A guide with its current version only."""

    id: int
    slug: str
    current: GuideText


def current_guides() -> list[CurrentGuide]:
    """Every guide with its current version, in title order. Every search page and
    intervention page reads this: it is kept for the content generation (guides and
    their versions are among the tables that move it), so a request reads one counter
    row instead of every guide."""
    return kept_value("current_guides", _read_current_guides)


def _read_current_guides() -> list[CurrentGuide]:
    # One query that leaves the older versions in the database: its cost does not grow
    # with the guides' history.
    newest = (select(GuideVersion.guide_id, func.max(GuideVersion.number).label("number"))
              .group_by(GuideVersion.guide_id).subquery())
    stmt = (select(Guide.id, Guide.slug, GuideVersion.id, GuideVersion.number,
                   GuideVersion.title, GuideVersion.phase, GuideVersion.body,
                   GuideVersion.facets, GuideVersion.intervention_ids)
            .join(GuideVersion, GuideVersion.guide_id == Guide.id)
            .join(newest, (newest.c.guide_id == GuideVersion.guide_id)
                  & (newest.c.number == GuideVersion.number)))
    guides = [CurrentGuide(guide_id, slug, GuideText(version_id, number, title, phase, body,
                                                     tuple(facets or ()),
                                                     tuple(intervention_ids or ())))
              for guide_id, slug, version_id, number, title, phase, body, facets,
              intervention_ids in db.session.execute(stmt)]
    return sorted(guides, key=lambda g: g.current.title.lower())


def guides_for(pairs: list[tuple[str, str]] = (), intervention_id: int | None = None
               ) -> list[CurrentGuide]:
    """The guides whose current version names one of these facet values, or this
    intervention."""
    wanted = {f"{facet}:{code}" for facet, code in pairs}
    return [g for g in current_guides()
            if wanted & set(g.current.facets)
            or (intervention_id is not None and intervention_id in g.current.intervention_ids)]


def _stems(text: str) -> set[str]:
    return {token.text for token in DUTCH_ANALYZER(text)}


def guides_matching(text: str) -> list[CurrentGuide]:
    """The guides whose current title and text hold every word of the search text (after
    Dutch stemming and stop words). There are a few dozen guides: no index needed."""
    words = _stems(text)
    if not words:
        return []
    return [g for g in current_guides() if words <= _version_stems(g.current)]


@lru_cache(maxsize=1024)
def _kept_stems(version_id: int, text: str) -> frozenset[str]:
    return frozenset(_stems(text))


def _version_stems(version: GuideText) -> frozenset[str]:
    # A version never changes once saved (a revision is a new one): its stems are
    # worked out once per process, not on every search page.
    return _kept_stems(version.id, f"{version.title}\n{version.body}")


def version_diff(guide: Guide, number: int,
                 described: Callable[[GuideVersion], list[str]]) -> list[str]:
    """The lines that changed from the version before `number` to `number` (unified), each
    version as `described` gives it in lines (its title, phase, links and body, in the
    reader's words)."""
    versions = {v.number: v for v in guide.versions}
    if number not in versions:
        raise NotFound(_("Deze versie bestaat niet."))
    new = versions[number]
    old = versions.get(number - 1)
    return list(difflib.unified_diff(
        described(old) if old else [], described(new),
        _("versie %(number)s", number=number - 1), _("versie %(number)s", number=number),
        lineterm="", n=2))

