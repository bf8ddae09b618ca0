"""What an interchange record may refer to: vocabulary codes, organisations and studies,
read once per import so checking a record costs no query per tag."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from registry.extensions import db
from registry.models import Organisation, Study, VocabularyTerm
from registry.text_keys import normalise_doi, title_key


@dataclass
class Lookups:
    """Vocabulary codes per vocabulary (inactive ones too: a published record may carry
    a retired code), term ids, and the organisations' slugs."""

    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    term_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        found = cls()
        for term_id, vocabulary, code in db.session.execute(
                select(VocabularyTerm.id, VocabularyTerm.vocabulary, VocabularyTerm.code)):
            found.codes[vocabulary].add(code)
            found.term_ids[(vocabulary, code)] = term_id
        found.organisations = dict(db.session.execute(select(Organisation.slug, Organisation.id))
                                   .tuples().all())
        return found

    def has(self, vocabulary: str, code: str | None) -> bool:
        return code is not None and code in self.codes.get(vocabulary, ())


def find_study(ref: dict) -> tuple[int | None, str | None]:
    """(study id, None) for a reference by DOI, else PMID, else title (and year); or
    (None, why not) naming what was looked for."""
    # A value that is no DOI (or a title of punctuation only) finds nothing: compared as
    # None it would be IS NULL, and match any study without one.
    if ref.get("doi"):
        doi = normalise_doi(ref["doi"])
        found = doi and db.session.scalar(select(Study.id).where(Study.doi == doi))
        return (found, None) if found else (None, "doi")
    if ref.get("pmid"):
        found = db.session.scalar(select(Study.id).where(Study.pmid == str(ref["pmid"])))
        return (found, None) if found else (None, "pmid")
    key = title_key(ref.get("title"))
    if not key:
        return None, "title"
    query = select(Study.id).where(Study.title_key == key).limit(2)
    if ref.get("year"):
        query = query.where(Study.year == ref["year"])
    ids = list(db.session.scalars(query))
    if len(ids) == 1:
        return ids[0], None
    return None, "title" if not ids else "ambiguous"
