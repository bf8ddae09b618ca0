"""Fixes to whoosh-reloaded 2.7.5, applied when search_index.storage is imported.

W3PerDocReader._cached_reader caches a field's length column only when it exists, so
for fields without lengths (facets, the spelling field) every posting written at commit
asks the file system again (one stat per posting: 400k for 2,000 records). Remembering
the absence too makes a commit several times faster; nothing else changes.

A reader opens a segment's column files (stored fields, field lengths, sortable
columns) lazily, but a writer's commit deletes the files of the segments it merged
away at once. A reader opened just before such a commit then finds a column missing,
and Whoosh answers with None where it expects a column ("'NoneType' object is not
subscriptable" on the first stored field). pin_files opens them all up front: an open
file stays readable after it is deleted, and has_column then answers from what was
opened, not from the folder.
"""

from __future__ import annotations

from whoosh.codec import whoosh3
from whoosh.reading import SegmentReader

_MISSING = object()


def _cached_reader(self, fieldname, column):
    reader = self._readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = None
        if self.has_column(fieldname):
            reader = self.column_reader(fieldname, column)
        self._readers[fieldname] = reader
    return reader


def _has_column(self, fieldname):
    if getattr(self, "_pinned", False):
        return fieldname in self._colfiles
    return self._storage.file_exists(whoosh3.W3Codec.column_filename(self._segment, fieldname))


def pin_files(reader) -> None:
    """Open every column file of the reader's segments now.

    Raises FileNotFoundError when one was deleted meanwhile; a column deleted before
    the folder was listed is simply not seen, so the caller checks afterwards that no
    newer generation was committed while this ran (storage.open_searcher).
    """
    for leaf, _offset in reader.leaf_readers():
        if not isinstance(leaf, SegmentReader):
            continue  # an empty index has no segments
        perdoc = leaf._perdoc
        prefix = leaf.segment().make_filename(".")
        suffix = whoosh3.W3Codec.COLUMN_EXT
        for name in leaf.storage().list():
            if name.startswith(prefix) and name.endswith(suffix):
                fieldname = name[len(prefix):-len(suffix)]
                if fieldname not in perdoc._colfiles:
                    perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
        perdoc._pinned = True


def apply() -> None:
    """Install the fixes (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocReader.has_column = _has_column
