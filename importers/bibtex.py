"""BibTeX: one entry at a time through bibtexparser 2 (LaTeX decoded, names split).

The file is cut into blocks at lines that start with "@"; @string definitions are kept
and put in front of every later entry so references to them resolve. Only one entry is
in memory at a time. Keywords "interventie:<slug>" link the record (README, Import).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry
from flask_babel import gettext as _
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from importers.normalise import clean_text, make_author, publication_type, split_link_keywords
from importers.source import RawRecord, text_lines, truncate_problem

# bibtexparser logs every block it cannot parse; we report those per record instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
_MAX_STRINGS_CHARS = 1_000_000
# Fields taken as written, not as LaTeX: "~" in a URL is not a space, "--" in pages or a
# URL is not an en dash. Only TeX-escaped special characters ("\_") are unescaped.
_VERBATIM_FIELDS = frozenset({"url", "doi", "pages"})
_TEX_ESCAPED = re.compile(r"\\([_%&#$])")
# A field name after a space or closing brace: "author={Vos, Eva} journal={…". Not "?q=" in a URL.
_FIELD_INSIDE = re.compile(r"(?:^|[\s}\"])(\w+\s*=\s*[{\"])")
_PAGE_DASH = re.compile(r"\s*[-\u2013\u2014]+\s*")


def _parse_stack() -> list:
    # No LaTeX decoding or name splitting here: names are split before they are decoded
    # (see _authors), as decoding drops the braces that keep an organisation whole.
    return middlewares.default_parse_stack(allow_inplace_modification=True)


def _latex_decoder() -> LatexNodes2Text:
    # As bibtexparser's LatexDecodingMiddleware: \url{x} is x, math stays as written.
    context = get_default_latex_context_db()
    context.add_context_category(
        "bibtex-url", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


_DECODER = _latex_decoder()


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each BibTeX entry. Raises ImportRejected when the text is not UTF-8."""
    strings = ""
    number = 0
    for start, block in _blocks(text_lines(stream)):
        kind = block.lstrip()[1:8].lower()
        if kind.startswith("string"):
            if len(strings) + len(block) < _MAX_STRINGS_CHARS:
                strings += block + "\n"
            continue
        if kind.startswith(("comment", "preambl")):
            continue
        number += 1
        yield _record(number, start, strings, block)


def _blocks(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    current: list[str] = []
    start = 0
    for line_number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("@"):
            if current:
                yield start, "\n".join(current)
            current, start = [line], line_number
        elif current:
            current.append(line)
    if current:
        yield start, "\n".join(current)


def _record(number: int, start: int, strings: str, block: str) -> RawRecord:
    record = RawRecord(number=number, data={}, line=start)
    try:
        entry = _entry(strings + block)
        fields = _fields(entry) if entry else None
    except Exception:  # a LaTeX or name oddity in one entry must not stop the file
        entry = fields = None
    if entry is None or fields is None:
        record.problems.append(("record", _("Dit BibTeX-record kon niet worden gelezen.")))
        return record
    record.data, record.interventions = to_study(entry.entry_type, fields)
    record.problems.extend(_run_on_problems(entry))
    truncate_problem(record.data, record.problems)
    return record


def _entry(text: str) -> Entry | None:
    library = bibtexparser.parse_string(text, parse_stack=_parse_stack())
    return library.entries[0] if library.entries else None


def _run_on_problems(entry: Entry) -> list[tuple[str, str]]:
    """A problem for each field holding what looks like the next field ("Vos, Eva}
    journal={…"): BibTeX reads on into it when the comma between them is missing."""
    problems = []
    for name, field in entry.fields_dict.items():
        found = _FIELD_INSIDE.search(field.value) if isinstance(field.value, str) else None
        if found:
            problems.append(("record", _(
                "In record '%(key)s' bevat het veld '%(field)s' iets dat op een volgend veld "
                "lijkt ('%(found)s'). Ontbreekt daar een komma?",
                key=entry.key, field=name, found=found.group(1))))
    return problems


def _fields(entry: Entry) -> dict[str, Any]:
    """The entry's fields, LaTeX decoded, with the authors as dicts."""
    raw = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    fields = {key: _verbatim(value) if key in _VERBATIM_FIELDS else _latex(value)
              for key, value in raw.items()}
    if isinstance(raw.get("author"), str):
        fields["author"] = _authors(raw["author"])
    return fields


def _verbatim(value: Any) -> Any:
    return _TEX_ESCAPED.sub(r"\1", value) if isinstance(value, str) else value


def _latex(value: Any) -> Any:
    return _DECODER.latex_to_text(value) if isinstance(value, str) else value


def _authors(text: str) -> list[dict]:
    # "and others" is BibTeX's "et al.": the list goes on, there is no author "others".
    names = [n for n in split_multiple_persons_names(text) if n.strip().lower() != "others"]
    return [a for a in map(_author, names) if a]


def _author(name: str) -> dict | None:
    if _is_braced(name):
        family = clean_text(_latex(name))
        return {"family_name": family, "particle": None, "given_names": None} if family else None
    parts = parse_single_name_into_parts(name)
    family = _latex(" ".join([*parts.von, *parts.last]))
    given = _latex(" ".join(parts.first + parts.jr)) or None
    return make_author(family, given)


def _is_braced(name: str) -> bool:
    """Whether the whole name is one {…} group: BibTeX's way to keep an organisation whole."""
    name = name.strip()
    depth = 0
    for index, char in enumerate(name):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and index < len(name) - 1:
            return False
    return name.startswith("{") and depth == 0


def _text(fields: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def to_study(entry_type: str, fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Map BibTeX fields to the study schema's load shape: (data, intervention slugs)."""
    raw_keywords = _text(fields, "keywords") or ""
    separator = ";" if ";" in raw_keywords else ","
    keywords, slugs = split_link_keywords(
        [k.strip() for k in raw_keywords.split(separator) if k.strip()]
    )
    data = {
        "title": _text(fields, "title"),
        "authors": fields.get("author") or [],
        "year": _text(fields, "year", "date"),
        "journal": _text(fields, "journal", "journaltitle", "booktitle"),
        "publisher": _text(fields, "publisher", "institution", "school", "organization"),
        "volume": _text(fields, "volume"),
        "issue": _text(fields, "number", "issue"),
        "pages": _PAGE_DASH.sub("-", _text(fields, "pages") or "") or None,
        "doi": _text(fields, "doi"),
        "pmid": _text(fields, "pmid"),
        "url": _text(fields, "url"),
        "abstract": _text(fields, "abstract"),
        "language": _text(fields, "language", "langid"),
        "keywords": keywords,
        "publication_type": publication_type(entry_type),
    }
    return {k: v for k, v in data.items() if v not in (None, "")}, slugs
