"""A fix to whoosh-reloaded 2.7.5, applied when search_index.storage is imported.

W3PerDocReader._cached_reader caches a field's length column only when it exists, so
for fields without lengths (facets, the spelling field) every posting written at commit
asks the file system again (one stat per posting: 400k for 2,000 records). Remembering
the absence too makes a commit several times faster; nothing else changes.
"""

from __future__ import annotations

from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self, fieldname, column):
    reader = self._readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = None
        if self.has_column(fieldname):
            reader = self.column_reader(fieldname, column)
        self._readers[fieldname] = reader
    return reader


def apply() -> None:
    """Install the fix (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
