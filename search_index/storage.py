"""Where the index lives: generation folders, an atomic `current` link, and file locks.

Layout of INDEX_DIR:
    current -> gen-<stamp>   symbolic link, replaced atomically by a rebuild
    gen-<stamp>/             one complete Whoosh index
    sync.lock                held by whoever writes to the index (one writer at a time)
    rebuild.lock             held while a rebuild runs (one rebuild at a time)
    replica-id               this folder's id in the database's replica register

Locks are flock()s: the kernel releases them when their process dies, so a rebuild
killed with -9 leaves nothing that blocks the next sync or rebuild. They are local to
this host; what hosts must agree on lives in the database (registry/search/replicas.py).
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
from whoosh.fields import Schema
from whoosh.searching import Searcher

from search_index import whoosh_fixes

whoosh_fixes.apply()

CURRENT = "current"
SYNC_LOCK = "sync.lock"
REBUILD_LOCK = "rebuild.lock"
# Left by versions that marked a rebuild with a file; removed when seen.
OLD_REBUILD_MARKER = "rebuilding"
# How long a generation that stopped being current is kept for readers still on it.
RETIRED_GRACE_SECONDS = 120
# How often open_searcher starts again when a commit lands while it opens the files.
OPEN_ATTEMPTS = 5


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


def open_current(root: Path, expected: Schema | None = None) -> whoosh_index.Index:
    """Open the current index. Raises IndexUnavailable when missing or unreadable, or
    when `expected` is given and the index has other fields (a writer passes it: an
    index of an older document definition is rebuilt, while searches go on with it)."""
    for _attempt in range(OPEN_ATTEMPTS):
        path = current_path(root)
        if path is None or not path.is_dir():
            raise IndexUnavailable("no current index")
        try:
            ix = whoosh_index.open_dir(str(path))
            break
        except FileNotFoundError:
            # A commit deleted the table of contents between the folder's listing and
            # its reading: the next listing finds the new one.
            continue
        except Exception as error:  # any other read failure means: damaged, rebuild it
            raise IndexUnavailable(f"index at {path} cannot be opened: {error}") from error
    else:
        raise IndexUnavailable(f"index at {root} changed {OPEN_ATTEMPTS} times while opening")
    # An index built by an older version of this code has other fields: rebuild it.
    if expected is not None and set(ix.schema.names()) != set(expected.names()):
        raise IndexUnavailable(f"index at {path} has an outdated schema")
    return ix


def open_searcher(root: Path) -> Searcher:
    """A searcher on the current index with all its segments' files open, so a commit
    that merges segments away meanwhile cannot pull a file from under it (see
    whoosh_fixes.pin_files). Raises IndexUnavailable.

    A commit that lands while the files are being opened may already have deleted some:
    then it starts again on the new generation, OPEN_ATTEMPTS times at most.
    """
    for _attempt in range(OPEN_ATTEMPTS):
        ix = open_current(root)
        searcher = None
        try:
            searcher = ix.searcher()
            whoosh_fixes.pin_files(searcher.reader())
            # An empty index has no files to lose, and its reader no generation.
            if not searcher.doc_count_all() or searcher.up_to_date():
                return searcher
        except FileNotFoundError:
            pass  # deleted by a commit since the table of contents was read
        except Exception as error:  # any other read failure means: damaged, rebuild it
            _close_quietly(searcher)
            raise IndexUnavailable(f"index at {root} cannot be read: {error}") from error
        _close_quietly(searcher)
    raise IndexUnavailable(f"index at {root} changed {OPEN_ATTEMPTS} times while opening")


def _close_quietly(searcher: Searcher | None) -> None:
    if searcher is not None:
        with contextlib.suppress(Exception):
            searcher.close()


def new_generation(root: Path, schema: Schema) -> tuple[Path, whoosh_index.Index]:
    """Create an empty index in a fresh generation folder (not yet current)."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = root / f"gen-{stamp}-{uuid.uuid4().hex[:6]}"
    path.mkdir()
    return path, whoosh_index.create_in(str(path), schema)


def swap_in(root: Path, path: Path) -> None:
    """Make `path` the current index in one atomic rename, then prune old generations.

    Call with rebuild_lock held: no other generation is being built meanwhile.
    """
    previous = current_path(root)
    tmp = root / f".current-{uuid.uuid4().hex[:8]}"
    os.symlink(path.name, tmp)
    os.replace(tmp, root / CURRENT)
    if previous is not None and previous.is_dir():
        os.utime(previous)  # its retirement time, for _prune's grace period
    _prune(root, keep=path.resolve())


def _prune(root: Path, keep: Path) -> None:
    # A retired generation stays for a grace period: a reader that found it current a
    # moment ago may still open its files lazily. A half-built orphan of a killed
    # rebuild was last written when it died, so it goes once the grace period is over.
    cutoff = time.time() - RETIRED_GRACE_SECONDS
    for folder in root.glob("gen-*"):
        if folder.is_dir() and folder.resolve() != keep and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold the single-writer lock of this index folder. Raises LockTimeout."""
    with _flock(root, SYNC_LOCK, timeout):
        yield


@contextlib.contextmanager
def rebuild_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold the lock that lets one rebuild at a time run here. Raises LockTimeout."""
    with _flock(root, REBUILD_LOCK, timeout):
        (root / OLD_REBUILD_MARKER).unlink(missing_ok=True)
        yield


@contextlib.contextmanager
def _flock(root: Path, name: str, timeout: float) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / name, "a+") as handle:
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

