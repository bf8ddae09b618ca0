"""The index schema: text fields with boosts, sort columns, and one keyword field per facet.

The engine fixes the text and sort fields it searches and sorts on; the facets are the
caller's (the registry's document definition names them) and are read back from an
index's own schema, so the engine never needs to be told them again.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search_index.analysis import (
    ENGLISH_ANALYZER,
    PREFIX_ANALYZER,
    SPELLING_ANALYZER,
    TEXT_ANALYZER,
)

# Text fields searched for free text. "text" holds the whole record with title and
# summary weighted inside it (analysis.SectionAnalyzer); "title_prefix" the title's
# prefixes for compound words, with the boost set on the field.
TEXT_FIELDS = ("text", "title_prefix")
PREFIX_BOOST = 1.5
# An index built with english=True also has this field (the title and abstract analysed
# as English), searched beside TEXT_FIELDS.
ENGLISH_FIELD = "text_en"


class SortNumber(NUMERIC):
    """A number kept as a sort column only: read by document number (sort orders, the
    evidence rank), never searched, so no terms are written for it (a NUMERIC field
    writes eight a value: 40 % of a 10k rebuild's terms were such never-read terms, the
    stored digest's and the title sort key's). Pickled into the index: keep it here."""

    indexed = False


class SortText(ID):
    """A text kept as a sort column only (the title's sort key), never searched."""

    indexed = False


def _facet_field() -> KEYWORD:
    # Not scorable and not stored: facets filter and count, they never rank.
    return KEYWORD(lowercase=False, scorable=False)


def build_schema(facets: Sequence[str], english: bool = False) -> Schema:
    """A fresh schema object for a new index whose documents carry these facets (and an
    English text field when asked)."""
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),
        digest=STORED(),
        text=TEXT(analyzer=TEXT_ANALYZER),
        title_prefix=TEXT(analyzer=PREFIX_ANALYZER, field_boost=PREFIX_BOOST, phrase=False),
        # Unstemmed words of title and summary for "Bedoelde u ...?": the whole text
        # would double the postings written (and the build time) for rarer words.
        spelling=TEXT(analyzer=SPELLING_ANALYZER, phrase=False, spelling=True),
        title_sort=SortText(sortable=True),
        level_rank=SortNumber(sortable=True, bits=32, signed=True),
        decided=SortNumber(sortable=True, bits=32),
        rung_min=SortNumber(sortable=True, bits=32),
        rung_max=SortNumber(sortable=True, bits=32),
    )
    if english:
        schema.add(ENGLISH_FIELD, TEXT(analyzer=ENGLISH_ANALYZER, phrase=False))
    for facet in facets:
        schema.add(facet, _facet_field())
    return schema


def facet_names(schema: Schema) -> tuple[str, ...]:
    """The facets of an index: its keyword fields (no other field is one)."""
    return tuple(name for name, field in schema.items() if isinstance(field, KEYWORD))
