"""`flask index ...`: rebuild, sync (once or --follow as the single writer), verify [--fix]."""

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
from search_index import storage, writing

index_cli = AppGroup("index", help="The search index.")


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
              help="Indexing processes (one segment each). Default: 2 when two CPUs are "
                   "idle, else 1.")
def rebuild_command(procs: int | None) -> None:
    """Build a fresh index in a new folder and swap it in atomically."""
    procs = procs or writing.auto_procs()
    started = time.perf_counter()
    count, path = sync.rebuild(db.engine, _root(), procs=procs)
    click.echo(f"{count} documents indexed in {time.perf_counter() - started:.1f} s "
               f"with {procs} process(es) ({path}).")


@index_cli.command("sync")
@click.option("--follow", is_flag=True, help="Keep applying changes as they arrive.")
@click.option("--interval", default=0.2, show_default=True, help="Seconds between polls.")
def sync_command(follow: bool, interval: float) -> None:
    """Apply the change log to this host's index (its single writer in worker mode).

    A replica that is new, missing, damaged or fell behind the change log's retention
    rebuilds itself. With --follow, a lost database connection is waited out.
    """
    while True:
        try:
            applied = sync.sync_pending(db.engine, _root(), retention=_retention())
            if applied:
                _say(f"{applied} changes applied.")
        except (replicas.ReplicaUnknown, storage.IndexUnavailable) as error:
            _say(f"{error}; rebuilding.", err=True)
            count, path = sync.rebuild(db.engine, _root(), procs=writing.auto_procs())
            _say(f"{count} documents indexed ({path.name}).")
        except (storage.LockTimeout, OperationalError) as error:
            _say(f"Not applied: {str(error).splitlines()[0]}", err=True)
            if not follow:
                raise SystemExit(1) from error
        if not follow:
            return
        time.sleep(interval)


@index_cli.command("verify")
@click.option("--fix", "repair", is_flag=True, help="Repair the differences found.")
def verify_command(repair: bool) -> None:
    """List differences between the database and the index."""
    diff = sync.verify(db.engine, _root())
    for label, ids in (("missing", diff.missing), ("extra", diff.extra), ("stale", diff.stale),
                       ("duplicated", diff.duplicated)):
        if ids:
            click.echo(f"{label}: {', '.join(map(str, ids[:50]))}"
                       + (f" … ({len(ids)})" if len(ids) > 50 else ""))
    if not diff:
        click.echo("Index and database agree.")
        return
    if repair:
        sync.fix(db.engine, _root(), diff)
        click.echo(f"Repaired {len(diff.ids)} documents.")
    else:
        raise SystemExit(1)
