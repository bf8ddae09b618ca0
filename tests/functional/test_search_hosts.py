"""Several hosts on one database: host A writes (inline sync into its own folder), host
B runs its own `flask index sync --follow` worker in another process on another folder.
Every write on A becomes searchable on B; a worker killed with -9 in the middle of its
work and started again loses and doubles nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from registry.extensions import db
from registry.search import sync
from search_index import storage
from tests.functional.search_support import add

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _start_worker(url: str, folder: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REGISTRY_DATABASE_URL": url,
           "REGISTRY_INDEX_DIR": str(folder), "REGISTRY_SEARCH_SYNC": "worker",
           "REGISTRY_INSTANCE_DIR": str(folder.parent / "instance-b")}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "index", "sync", "--follow",
               "--interval", "0.05"]
    with log.open("a") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                stderr=subprocess.STDOUT)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)


def _indexed(folder: Path) -> list[int]:
    try:
        searcher = storage.open_searcher(folder)
    except storage.IndexUnavailable:
        return []
    with searcher:
        return [int(fields["id"]) for fields in searcher.all_stored_fields()]


def _wait_until_in_step(folder: Path, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while sync.verify(db.engine, folder) if _indexed(folder) else True:
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.1)


class HostB:
    """Host B's index folder and its sync worker processes (one at a time)."""

    def __init__(self, url: str, folder: Path, log: Path):
        self.url, self.folder, self.log = url, folder, log
        self.workers = [_start_worker(url, folder, log)]

    def kill_worker(self) -> None:
        os.kill(self.workers[-1].pid, signal.SIGKILL)

    def restart_worker(self) -> None:
        self.workers[-1].wait(timeout=30)
        self.workers.append(_start_worker(self.url, self.folder, self.log))

    def wait_until_in_step(self) -> None:
        _wait_until_in_step(self.folder, self.log)


@pytest.fixture
def host_b(live_search_app, tmp_path):
    (tmp_path / "host-b").mkdir()
    host = HostB(live_search_app.config["SQLALCHEMY_DATABASE_URI"],
                 tmp_path / "host-b" / "index", tmp_path / "worker-b.log")
    yield host
    for worker in host.workers:
        _stop(worker)


def test_every_write_on_host_a_is_searchable_on_host_b(host_b):
    items = [add("Op host A", n) for n in range(5)]
    for item in items[:3]:
        item.published_version.title = "Gewijzigd op host A"
        db.session.commit()

    host_b.wait_until_in_step()

    assert sorted(_indexed(host_b.folder)) == sorted(item.id for item in items)


# This test reads host B's index while B's worker is killed and rebuilds it: a reader
# Whoosh fails to open halfway leaves its segment files to the garbage collector, whose
# ResourceWarning then lands in whichever test runs at that moment.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_worker_killed_mid_work_and_restarted_loses_and_doubles_nothing(host_b):
    add("Eerste", 0)
    host_b.wait_until_in_step()
    for n in range(40):  # the worker applies these while we write, and dies among them
        add("Onder vuur", n)
        if n == 20:
            host_b.kill_worker()
    host_b.restart_worker()

    host_b.wait_until_in_step()

    ids = _indexed(host_b.folder)
    assert (len(ids), len(set(ids))) == (41, 41)
