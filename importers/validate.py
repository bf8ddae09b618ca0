"""Map a parsed record to the study schema, normalise it, and say in Dutch what is wrong.

The messages go through Flask-Babel: Dutch by default (and in the CLI, outside a
request), English for a reader who chose it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError

from importers.normalise import clean_text, make_author, normalise_record, surname_key, title_key
from importers.source import RawRecord
from registry.effects.plausibility import DUTCH as PLAUSIBILITY
from registry.i18n import N_
from registry.schemas.studies import AuthorSchema, StudySchema
from registry.text_keys import doi_with_other_text

MAX_TITLE_CHARS = 2000
# Fields a study can do without: a value here that is too long or malformed is dropped
# with a warning for that record and field, and the record is imported without it.
# A record is invalid only for what a study needs (a title) or unreadable key fields.
# (A year without any digit, "In Press" or "n.d." in a reference manager, is a study
# without a year yet: dropped with a warning too. A year with digits that is no year,
# "20015" or -2019, is a typo that would be changed unseen: the record is invalid.)
FORGIVEN_FIELDS = frozenset({
    "issue", "pages", "volume", "keywords", "language", "url", "publisher", "country",
    "publication_type",
})  # fmt: skip
_SCHEMA = StudySchema()
_WITHOUT_AUTHORS = StudySchema(exclude=("authors",))
_AUTHOR = AuthorSchema()
# marshmallow's English message → its Dutch text (a message id: gettext translates it
# where the message is made, in the reader's locale). The pattern's groups fill the
# placeholders in order.
_MESSAGES = (
    (re.compile(r"Missing data for required field"), N_("Dit veld is verplicht."), ()),
    (re.compile(r"Longer than maximum length (\d+)"), N_("Te lang: maximaal %(max)s tekens."),
     ("max",)),
    (re.compile(r"Shorter than minimum length"), N_("Mag niet leeg zijn."), ()),
    (re.compile(r"Length must be between (\d+) and (\d+)"),
     N_("Moet %(min)s tot %(max)s tekens lang zijn."), ("min", "max")),
    (re.compile(r"Not a valid integer"), N_("Geen geldig geheel getal."), ()),
    (re.compile(r"Not a valid (?:number|decimal)"), N_("Geen geldig getal."), ()),
    (re.compile(r"Not a valid string"), N_("Geen geldige tekst."), ()),
    (re.compile(r"Not a valid list"), N_("Moet een lijst zijn."), ()),
    (re.compile(r"Not a valid boolean"), N_("Moet waar of onwaar zijn."), ()),
    (re.compile(r"Invalid input type"), N_("Ongeldig type."), ()),
    (re.compile(r"Must be one of: (.*)\."), N_("Moet een van deze waarden zijn: %(choices)s."),
     ("choices",)),
    (re.compile(r"greater than or equal to (\S+) and less than or equal to (\S+?)\.?$"),
     N_("Moet tussen %(min)s en %(max)s liggen."), ("min", "max")),
    (re.compile(r"Must be greater than or equal to (\S+?)\.?$"), N_("Moet minstens %(min)s zijn."),
     ("min",)),
    (re.compile(r"Unknown field"), N_("Onbekend veld."), ()),
    (re.compile(r"ci_lower is larger"), N_("De ondergrens is groter dan de bovengrens."), ()),
    *((re.compile(re.escape(english)), dutch, ()) for english, dutch in PLAUSIBILITY.items()),
)


@dataclass
class Lookups:
    """Codes and slugs that exist, so a record naming an unknown one is refused."""

    designs: set[str] = field(default_factory=set)
    outcome_domains: set[str] = field(default_factory=set)
    interventions: dict[str, int] = field(default_factory=dict)
    # Slugs of interventions whose round is under way: their studies stay as they are
    # until it ends (registry/services/study_links.link_study).
    assessed: set[str] = field(default_factory=set)


@dataclass
class ValidRecord:
    """A record ready to dedup and store: model values plus its dedup keys."""

    number: int
    line: int | None
    values: dict[str, Any]
    interventions: list[str]
    title_key: str
    author_key: str
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.values.get("year")

    @property
    def doi(self) -> str | None:
        return self.values.get("doi")

    @property
    def pmid(self) -> str | None:
        return self.values.get("pmid")


def dutch_message(message: str) -> str:
    """marshmallow's English message in Dutch, or in the reader's locale through Babel
    (unknown ones are quoted as they are). Works outside a request too (the CLI): then
    it speaks the default locale."""
    for pattern, dutch, names in _MESSAGES:
        match = pattern.search(message)
        if match:
            return _(dutch, **dict(zip(names, match.groups(), strict=True)))
    return _("Ongeldige waarde (%(message)s)", message=message)


def _flatten(messages: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(messages, dict):
        pairs: list[tuple[str, str]] = []
        for key, value in messages.items():
            # marshmallow's "_schema" is the object itself: "authors.0", not
            # "authors.0._schema" (which the researcher would read as a field).
            path = prefix if key == "_schema" and prefix else (
                f"{prefix}.{key}" if prefix else str(key))
            pairs.extend(_flatten(value, path))
        return pairs
    items = messages if isinstance(messages, list) else [messages]
    if _AUTHOR_PATH.fullmatch(prefix) and any("Invalid input type" in str(m) for m in items):
        return [(prefix, _("Een auteur is een naam ('Achternaam, Voornamen') of een object "
                           "met family_name en given_names."))]
    return [(prefix or "record", dutch_message(str(m))) for m in items]


_AUTHOR_PATH = re.compile(r"authors\.\d+")


def validate(raw: RawRecord, lookups: Lookups) -> tuple[ValidRecord | None, list[tuple]]:
    """(the valid record, []) or (None, [(field, Dutch message), …]).

    When every problem lies in a forgiven field, the record is validated again without
    those values and, if that passes, returned with them as warnings."""
    record, problems = _validate(raw, lookups)
    if record is not None or not problems or not all(_forgiven(f) for f, _m in problems):
        return record, problems
    retry = RawRecord(raw.number, _without(raw.data, [f for f, _m in problems]), raw.line,
                      raw.interventions)
    record, others = _validate(retry, lookups)
    if record is None:
        return None, problems + others
    record.warnings = [(f, _("Weggelaten: %(reason)s", reason=m))
                       for f, m in problems] + record.warnings
    return record, []


def _forgiven(path: str) -> bool:
    return path.split(".", 1)[0] in FORGIVEN_FIELDS


def _without(data: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    # "issue" drops the field; "keywords.3" drops that keyword only.
    kept = dict(data)
    items: dict[str, set[int]] = {}
    for path in paths:
        name, _dot, index = path.partition(".")
        if index.split(".", 1)[0].isdigit() and isinstance(kept.get(name), list):
            items.setdefault(name, set()).add(int(index.split(".", 1)[0]))
        else:
            kept.pop(name, None)
    for name, indexes in items.items():
        if name in kept:
            kept[name] = [v for i, v in enumerate(kept[name]) if i not in indexes]
    return kept


def _validate(raw: RawRecord, lookups: Lookups) -> tuple[ValidRecord | None, list[tuple]]:
    problems = list(raw.problems)
    if not raw.data:  # nothing could be read: the record-level problem says why
        return None, problems or [("record", _("Het record is leeg: er staat geen enkel "
                                                 "veld in (een titel is verplicht)."))]
    data = _normalised(raw.data, problems)
    notes = _without_a_year_yet(data)
    try:
        loaded = _load(data)
    except ValidationError as error:
        # Every problem of the record, not just the schema's: check what did load too.
        problems += _flatten(error.messages)
        loaded = error.valid_data if isinstance(error.valid_data, dict) else {}
    values = _model_values(loaded, problems, lookups)
    if problems:
        return None, problems
    first = values["authors"][0]["family_name"] if values["authors"] else None
    known = [s for s in raw.interventions
             if s in lookups.interventions and s not in lookups.assessed]
    record = ValidRecord(raw.number, raw.line, values, known,
                         title_key(values["title"]), surname_key(first))
    # An unknown intervention drops the link, not the study: a databank moving here
    # imports its studies before the interventions that link them (flask interventions
    # import makes those links). So does one being assessed: the panel decides on the
    # studies it assessed.
    record.warnings = notes + [
        ("interventions", _("Weggelaten: onbekende interventie '%(slug)s'.", slug=s))
        for s in raw.interventions if s not in lookups.interventions] + [
        ("interventions", _("Niet gekoppeld aan '%(slug)s': die interventie wordt nu "
                            "beoordeeld. Koppel de studie als de ronde is afgerond.", slug=s))
        for s in raw.interventions if s in lookups.assessed]
    return record, []


def _without_a_year_yet(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Drop a year without any digit ("In Press", "n.d."), with a warning saying so."""
    year = data.get("year")
    if not isinstance(year, str) or any(c.isdigit() for c in year):
        return []
    del data["year"]
    return [("year", _("Weggelaten: '%(value)s' is geen jaartal.", value=year[:40]))]


def _load(data: dict[str, Any]) -> dict[str, Any]:
    # StudySchema.load, with each distinct author loaded once (cached): the nested
    # author schema was the largest single cost of a 100k-record import, and the same
    # authors recur across records. Raises ValidationError in StudySchema's shape.
    authors = data.get("authors")
    if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
        return _SCHEMA.load(data)
    errors: dict[str, Any] = {}
    try:
        loaded = _WITHOUT_AUTHORS.load({k: v for k, v in data.items() if k != "authors"})
    except ValidationError as error:
        errors, loaded = dict(error.normalized_messages()), {}
    people, problems = [], {}
    for index, author in enumerate(authors):
        try:
            people.append(_load_author(author))
        except ValidationError as error:
            problems[index] = error.messages
    if problems:
        errors["authors"] = problems
    if errors:
        raise ValidationError(errors, valid_data=loaded)
    loaded["authors"] = [{**a, "position": n} for n, a in enumerate(people, start=1)]
    return loaded


def _load_author(author: dict[str, Any]) -> dict[str, Any]:
    try:
        key = tuple(sorted(author.items()))
        hash(key)
    except TypeError:
        return _AUTHOR.load(author)
    return dict(_cached_author(key))


@lru_cache(maxsize=8192)  # bounded: memory stays flat however long the file
def _cached_author(key: tuple) -> dict[str, Any]:
    return _AUTHOR.load(dict(key))


def _normalised(data: dict[str, Any], problems: list) -> dict[str, Any]:
    result = normalise_record(data)
    for key in ("doi", "pmid"):
        if clean_text(str(data.get(key) or "")) and not result.get(key):
            problems.append((key, _("Geen geldige %(kind)s: '%(value)s'.", kind=key.upper(),
                                    value=str(data[key])[:60])))
    if doi_with_other_text(data.get("doi")):
        problems.append(("doi", _("Er staat meer dan één DOI in: '%(value)s'. Een DOI "
                                  "bevat geen spaties.", value=str(data["doi"])[:80])))
    if isinstance(result.get("authors"), list):
        result["authors"] = [_author(a) for a in result["authors"]]
    return result


def _author(author: Any) -> Any:
    # A record that states the particle, even as null (the registry's own JSON export),
    # is taken as it is: "Van Gennep" is a family name as written.
    if not isinstance(author, dict) or "particle" in author:
        return author
    family, given = author.get("family_name"), author.get("given_names")
    if not isinstance(family, str) or not isinstance(given, str | None):
        return author
    return make_author(family, given) or author


def _model_values(loaded: dict[str, Any], problems: list, lookups: Lookups) -> dict[str, Any]:
    values = dict(loaded)
    values.setdefault("authors", [])
    values.setdefault("keywords", [])
    values["year"] = _year(values.get("year"), problems)
    if len(values.get("title") or "") > MAX_TITLE_CHARS:
        problems.append(("title", _("Titel is te lang: maximaal %(max)s tekens.",
                                    max=MAX_TITLE_CHARS)))
    design = values.get("design")
    if design and design not in lookups.designs:
        problems.append(("design", _("Onbekende onderzoeksopzet '%(code)s'.", code=design)))
    for index, finding in enumerate(values.get("findings") or []):
        # A finding the schema refused (not an object, no domain) is reported already.
        code = finding.get("outcome_domain") if isinstance(finding, dict) else None
        if code is not None and code not in lookups.outcome_domains:
            problems.append((f"findings.{index}.outcome_domain",
                             _("Onbekend uitkomstdomein '%(code)s'.", code=code)))
    if values.get("country"):
        values["country"] = values["country"].upper()
    return values


def _year(value: str | int | None, problems: list) -> int | None:
    # The schema has held the year as text and as a number; accept either.
    if value is None:
        return None
    text = str(value)
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        problems.append(("year", _("Geen geldig jaartal: '%(value)s' (1900–2100).",
                                   value=text[:20])))
        return None
    return int(text)
