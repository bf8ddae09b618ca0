"""The search engine: Dutch full-text and faceted search over Whoosh. It knows nothing of
the registry (tests/unit/test_import_structure.py holds it to that); the registry's side,
what a document holds and when it changes, is registry/search/.

The interface the registry uses:

- schema.build_schema(facets): the index fields, with the caller's facets.
- storage: index folders and generations. open_current(root[, expected schema]),
  open_searcher(root) (a reader safe from concurrent merges),
  new_generation(root, schema), swap_in, writer_lock / rebuild_lock (one writer per
  folder), IndexUnavailable, LockTimeout.
- writing: updating(ix) (a writer, committed once) and put(writer, {id: document or
  None}) (index and delete), fill / fill_parallel
  (rebuild an empty generation), stored_digests(searcher) (verify).
- searchers.acquire(root): this thread's searcher and the generation's shared view.
- query.run_search(searcher, view, SearchRequest) and profile.run_profile: hits, facet
  counts, partial matches, suggestions.

A document is a dict of field values: "id" (the record's id as text), "digest" (a
fingerprint of its content), the text and sort fields of schema.build_schema and a
space-separated value list per facet.

Whoosh internals relied on, pinned by tests/unit/search/test_whoosh_internals.py:
SegmentWriter's _close_segment / _commit_toc / _finish / _finalize_segment and its
fieldwriter, pool and _added (bulk.py, writing.fill_parallel); W3PostingsWriter's and
W3FieldWriter's fields for writing a term's blocks (bulk._write_term); W3LeafMatcher's
_read_ids / _read_weights / _next_block / _ids / _maxid (segments.py); Searcher._ix
(view.py); W3PerDocReader._cached_reader, _colfiles and _get_column_file
(whoosh_fixes.py); and FileIndex._reader's reuse of old segments, the reason
searchers are never refreshed (searchers.py).
"""
