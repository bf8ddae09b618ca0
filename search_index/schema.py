"""The index schema: text fields with boosts, and one keyword field per facet."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from search_index.analysis import PREFIX_ANALYZER, SPELLING_ANALYZER, TEXT_ANALYZER

# Every facet a search can filter and count on: the evidence status, the ladder rungs an
# intervention covers, and every vocabulary that tags an intervention version.
FACETS: tuple[str, ...] = ("level", "ladder_rung", *INTERVENTION_TAG_VOCABULARIES)

# Text fields searched for free text. "text" holds the whole record with title and
# summary weighted inside it (analysis.SectionAnalyzer); "title_prefix" the title's
# prefixes for compound words, with the boost set on the field.
TEXT_FIELDS = ("text", "title_prefix")
PREFIX_BOOST = 1.5


def _facet_field() -> KEYWORD:
    # Not scorable and not stored: facets filter and count, they never rank.
    return KEYWORD(lowercase=False, scorable=False)


def build_schema() -> Schema:
    """A fresh schema object for a new index."""
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),
        digest=ID(stored=True),
        text=TEXT(analyzer=TEXT_ANALYZER),
        title_prefix=TEXT(analyzer=PREFIX_ANALYZER, field_boost=PREFIX_BOOST, phrase=False),
        # Unstemmed words of title and summary for "Bedoelde u ...?": the whole text
        # would double the postings written (and the build time) for rarer words.
        spelling=TEXT(analyzer=SPELLING_ANALYZER, phrase=False, spelling=True),
        title_sort=ID(sortable=True),
        level_rank=NUMERIC(sortable=True, bits=32, signed=True),
        decided=NUMERIC(sortable=True, bits=32),
        rung_min=NUMERIC(sortable=True, bits=32),
        rung_max=NUMERIC(sortable=True, bits=32),
    )
    for facet in FACETS:
        schema.add(facet, _facet_field())
    return schema
