"""Where the index lives: generation folders, an atomic `current` link, and file locks.

Layout of INDEX_DIR:
    current -> gen-<stamp>   symbolic link, replaced atomically by a rebuild
    gen-<stamp>/             one complete Whoosh index
    sync.lock                held by whoever writes to the index (one writer at a time)
    rebuilding               present while a rebuild runs; inline syncs then leave the log
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from search_index import whoosh_fixes
from search_index.schema import build_schema

whoosh_fixes.apply()

CURRENT = "current"
SYNC_LOCK = "sync.lock"
REBUILD_MARKER = "rebuilding"
KEEP_GENERATIONS = 2


class IndexUnavailable(Exception):
    """The index is missing or damaged; search cannot answer until a rebuild."""


class LockTimeout(Exception):
    """Another process holds the index writer lock for longer than we wait."""


def current_path(root: Path) -> Path | None:
    """The generation folder `current` points to, or None when there is none."""
    link = root / CURRENT
    if not link.is_symlink():
        return None
    return (root / os.readlink(link)).resolve()


def open_current(root: Path) -> whoosh_index.Index:
    """Open the current index. Raises IndexUnavailable when missing or unreadable."""
    path = current_path(root)
    if path is None or not path.is_dir():
        raise IndexUnavailable("no current index")
    try:
        ix = whoosh_index.open_dir(str(path))
    except Exception as error:  # any read failure means: damaged, rebuild it
        raise IndexUnavailable(f"index at {path} cannot be opened: {error}") from error
    # An index built by an older version of this code has other fields: rebuild it.
    if set(ix.schema.names()) != set(build_schema().names()):
        raise IndexUnavailable(f"index at {path} has an outdated schema")
    return ix


def new_generation(root: Path) -> tuple[Path, whoosh_index.Index]:
    """Create an empty index in a fresh generation folder (not yet current)."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = root / f"gen-{stamp}-{uuid.uuid4().hex[:6]}"
    path.mkdir()
    return path, whoosh_index.create_in(str(path), build_schema())


def swap_in(root: Path, path: Path) -> None:
    """Make `path` the current index in one atomic rename, then prune old generations."""
    tmp = root / f".current-{uuid.uuid4().hex[:8]}"
    os.symlink(path.name, tmp)
    os.replace(tmp, root / CURRENT)
    _prune(root, keep=path)


def _prune(root: Path, keep: Path) -> None:
    # Keep the previous generation too: a reader may still be finishing a query on it.
    generations = sorted(p for p in root.glob("gen-*") if p.is_dir() and p != keep)
    for old in generations[: max(0, len(generations) - (KEEP_GENERATIONS - 1))]:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold the single-writer lock of this index folder. Raises LockTimeout."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / SYNC_LOCK, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(str(root)) from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_rebuilding(root: Path) -> bool:
    """True while a rebuild runs in some process."""
    return (root / REBUILD_MARKER).exists()


@contextlib.contextmanager
def rebuilding(root: Path) -> Iterator[None]:
    """Mark a rebuild in progress for as long as the block runs."""
    marker = root / REBUILD_MARKER
    marker.write_text(str(os.getpid()))
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)
