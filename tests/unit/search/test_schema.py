"""The index schema: sort columns and the digest are kept per document, never as terms,
and an index built before (when they were searchable fields) reads the same."""

from __future__ import annotations

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC

from search_index import writing
from search_index.schema import build_schema
from search_index.segments import read_segment

NOT_SEARCHED = ("digest", "title_sort", "level_rank", "decided", "rung_min", "rung_max")


def _documents():
    for number, (title, rank, decided) in enumerate(
            [("Werkfit", 3, 738000), ("Aan de slag", -1, 0), ("Schuldhulp", 6, 739500)], 1):
        yield {"id": str(number), "digest": f"d{number}", "text": title,
               "title_prefix": title, "spelling": title, "title_sort": title.lower(),
               "level_rank": rank, "decided": decided, "rung_min": 1, "rung_max": 6,
               "barrier": "debt"}


def _built(path, schema):
    path.mkdir()
    ix = whoosh_index.create_in(str(path), schema)
    writing.fill(ix, _documents())
    return ix


def _previous_schema():
    """The schema before sort columns stopped being indexed."""
    schema = build_schema(["barrier"])
    schema.remove("digest")
    schema.add("digest", ID(stored=True))
    for name, field in (("title_sort", ID(sortable=True)),
                        ("level_rank", NUMERIC(sortable=True, bits=32, signed=True)),
                        ("decided", NUMERIC(sortable=True, bits=32)),
                        ("rung_min", NUMERIC(sortable=True, bits=32)),
                        ("rung_max", NUMERIC(sortable=True, bits=32))):
        schema.remove(name)
        schema.add(name, field)
    return schema


def test_sort_columns_and_the_digest_write_no_terms(tmp_path):
    ix = _built(tmp_path / "ix", build_schema(["barrier"]))
    with ix.reader() as reader:
        indexed = {fieldname for fieldname, _ in reader.all_terms()}
        assert indexed == {"id", "text", "title_prefix", "spelling", "barrier"}
        assert not indexed & set(NOT_SEARCHED)
        data = read_segment(reader)
    assert data.title_sort == ["werkfit", "aan de slag", "schuldhulp"]
    assert data.level_rank == [3, -1, 6] and data.decided == [738000, 0, 739500]
    with ix.searcher() as searcher:
        assert writing.stored_digests(searcher) == [(1, "d1"), (2, "d2"), (3, "d3")]


def test_an_index_built_with_the_previous_schema_reads_the_same(tmp_path):
    now = _built(tmp_path / "now", build_schema(["barrier"]))
    before = _built(tmp_path / "before", _previous_schema())
    with before.reader() as reader:
        assert {"decided", "title_sort", "digest"} <= {f for f, _ in reader.all_terms()}
        old = read_segment(reader)
    with now.reader() as reader:
        new = read_segment(reader)
    assert (old.title_sort, old.level_rank, old.decided, old.ids) == (
        new.title_sort, new.level_rank, new.decided, new.ids)
    with before.searcher() as old_searcher, now.searcher() as new_searcher:
        assert writing.stored_digests(old_searcher) == writing.stored_digests(new_searcher)
