"""`flask index ...`: rebuild, sync (once or --follow as the single writer), verify [--fix].

Each works on every kind of document (registry/search/kinds.py): interventions in
INDEX_DIR, studies in the folder beside it; `rebuild --kind` takes one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from registry.extensions import db
from registry.search import replicas, sync
from registry.search.kinds import KINDS
from search_index import storage, writing

index_cli = AppGroup("index", help="The search index.")
# A follow worker polls five times a second; pruning the change log (four statements)
# on each poll was a third of its CPU while nothing changed. Rows wait for the
# retention (days) anyway, so once a minute is as good.
PRUNE_EVERY = 60.0


def _root() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def _say(message: str, err: bool = False) -> None:
    # A long-running worker's lines go to a journal: stamp each, flush each.
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    click.echo(f"{stamp} {message}", err=err)


def _retention() -> timedelta:
    return timedelta(hours=current_app.config["SEARCH_CHANGE_RETENTION_HOURS"])


@index_cli.command("rebuild")
@click.option("--procs", type=int, default=None,
              help="Indexing processes (each writes its own segments). Default: 2 when "
                   "two CPUs are idle, else 1.")
@click.option("--kind", "kind_name", type=click.Choice([k.name for k in KINDS]),
              default=None, help="Only this kind of document (default: every kind).")
def rebuild_command(procs: int | None, kind_name: str | None) -> None:
    """Build a fresh index in a new folder and swap it in atomically."""
    procs = procs or writing.auto_procs()
    for kind in KINDS:
        if kind_name not in (None, kind.name):
            continue
        started = time.perf_counter()
        count, path = sync.rebuild(db.engine, kind.root(_root()), procs=procs, kind=kind)
        click.echo(f"{count} {kind.name} documents indexed in "
                   f"{time.perf_counter() - started:.1f} s with {procs} process(es) ({path}).")


@index_cli.command("sync")
@click.option("--follow", is_flag=True, help="Keep applying changes as they arrive.")
@click.option("--interval", default=0.2, show_default=True, help="Seconds between polls.")
def sync_command(follow: bool, interval: float) -> None:
    """Apply the change log to this host's index (its single writer in worker mode).

    A replica that is new, missing, damaged or fell behind the change log's retention
    rebuilds itself. With --follow, a lost database connection is waited out.
    """
    pruned_at = float("-inf")
    while True:
        prune = time.monotonic() - pruned_at >= PRUNE_EVERY
        for kind in KINDS:
            _sync_kind(kind, follow, prune)
        if prune:
            pruned_at = time.monotonic()
        if not follow:
            return
        time.sleep(interval)


def _sync_kind(kind, follow: bool, prune: bool = True) -> None:
    root = kind.root(_root())
    try:
        applied = sync.sync_pending(db.engine, root, retention=_retention(), kind=kind,
                                    prune=prune)
        if applied:
            _say(f"{applied} changes applied ({kind.name} index).")
    except (replicas.ReplicaUnknown, storage.IndexUnavailable) as error:
        _say(f"{error}; rebuilding the {kind.name} index.", err=True)
        count, path = sync.rebuild(db.engine, root, procs=writing.auto_procs(), kind=kind)
        _say(f"{count} {kind.name} documents indexed ({path.name}).")
    except (storage.LockTimeout, OperationalError) as error:
        _say(f"Not applied: {str(error).splitlines()[0]}", err=True)
        if not follow:
            raise SystemExit(1) from error


@index_cli.command("verify")
@click.option("--fix", "repair", is_flag=True, help="Repair the differences found.")
def verify_command(repair: bool) -> None:
    """List differences between the database and the index."""
    failed = False
    for kind in KINDS:
        root = kind.root(_root())
        diff = sync.verify(db.engine, root, kind)
        for label, ids in (("missing", diff.missing), ("extra", diff.extra),
                           ("stale", diff.stale), ("duplicated", diff.duplicated)):
            if ids:
                click.echo(f"{kind.name} {label}: {', '.join(map(str, ids[:50]))}"
                           + (f" … ({len(ids)})" if len(ids) > 50 else ""))
        if not diff:
            click.echo(f"Index and database agree ({kind.name} documents).")
        elif repair:
            sync.fix(db.engine, root, diff, kind=kind)
            click.echo(f"Repaired {len(diff.ids)} {kind.name} documents.")
        else:
            failed = True
    if failed:
        raise SystemExit(1)
