"""Hypothesis: no parser ever raises anything but ImportRejected, whatever the bytes."""

from __future__ import annotations

import contextlib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.detect import PARSERS, detect_format
from importers.validate import Lookups, validate
from registry.errors import ImportRejected

PREFIXES = {
    "ris": b"TY  - JOUR\n", "bibtex": b"@article{k,\n", "pubmed": b"<PubmedArticleSet>",
    "medline": b"PMID- 1\n", "csv": b"title;authors;year\n", "json": b"[",
    "xlsx": b"PK\x03\x04", "wos": b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n",
    "endnote_xml": b"<xml><records><record>", "csl_json": b'[{"type": "article-journal", ',
}
LOOKUPS = Lookups(designs={"rct": 1}, outcome_domains={"work": 1}, interventions={})
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _run(name: str, content: bytes) -> None:
    try:
        for record in PARSERS[name](io.BytesIO(content)):
            validate(record, LOOKUPS)
    except ImportRejected:
        pass


text_like = st.text(alphabet=st.characters(codec="utf-8"), max_size=300).map(str.encode)


@FUZZ
@given(st.sampled_from(sorted(PARSERS)), st.binary(max_size=300) | text_like)
def test_parsers_survive_any_bytes(name, body):
    _run(name, PREFIXES[name] + body)


@FUZZ
@given(st.lists(st.sampled_from(["TY  - JOUR", "AU  - ", "TI  - x", "PY  - 20x", "KW  - ",
                                 "ER  - ", "  cont", "DO  - doi:", "", "AU  - van der"]),
                max_size=30))
def test_ris_survives_shuffled_tags(lines):
    _run("ris", "\n".join(lines).encode())


@FUZZ
@given(st.binary(max_size=200))
def test_detection_only_raises_import_rejected(content):
    with contextlib.suppress(ImportRejected):
        detect_format(io.BytesIO(content), "x")
