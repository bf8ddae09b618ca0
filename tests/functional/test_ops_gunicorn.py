"""gunicorn.conf.py for real: two gthread workers, JSON access log, shared metrics, and
on CPython 3.11 garbage collection at request boundaries instead of automatic."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest

from registry import ROOT

pytestmark = pytest.mark.slow
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http://127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (local)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            get(f"{base}/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 30 s")


def json_lines(path: Path, wanted) -> list[dict]:
    """The JSON lines of a log file that satisfy `wanted`, waiting up to 5 s for one (a
    line is written after its response has been sent)."""
    deadline = time.monotonic() + 5
    while True:
        lines = [json.loads(line) for line in path.read_text().splitlines() if line[:1] == "{"]
        found = [line for line in lines if wanted(line)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with gunicorn.conf.py on a free port; yields (base URL, metrics folder, logs)."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port, metrics = free_port(), tmp_path / "prometheus"
    metrics.mkdir()
    (metrics / "counter_1.db").write_bytes(b"stale")  # from an earlier run: must go
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env.update(
        REGISTRY_BIND=f"127.0.0.1:{port}", REGISTRY_WORKERS="2", REGISTRY_THREADS="2",
        REGISTRY_INSTANCE_DIR=str(tmp_path), REGISTRY_LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
    )
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            yield f"http://127.0.0.1:{port}", metrics, (out, err)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def test_workers_share_their_metrics(served):
    base, _, _ = served
    before = healthz_count(get(f"{base}/metrics")[1])
    for _ in range(8):
        get(f"{base}/healthz")
    assert healthz_count(get(f"{base}/metrics")[1]) - before == 8


def healthz_count(text: str) -> float:
    prefix = 'registry_http_requests_total{method="GET",route="/healthz",status="200"} '
    return next((float(line[len(prefix):]) for line in text.splitlines()
                 if line.startswith(prefix)), 0.0)


def test_each_worker_warms_the_search_before_serving(served):
    _, _, (_, err) = served
    deadline = time.monotonic() + 10
    while True:  # the second worker may still be loading the application
        reports = re.findall(r"Worker (\d+): search warmed in \d+ ms \((.*)\)", err.read_text())
        if len(reports) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    # This server's instance has no index yet: each kind is left to its first search.
    assert [report for _, report in reports] == [
        "intervention no index yet, study no index yet"] * 2


def test_each_worker_keeps_freed_memory_for_the_next_request(served):
    _, _, (_, err) = served
    deadline = time.monotonic() + 10
    while True:
        reports = re.findall(r"Worker \d+: freed memory (.*)", err.read_text())
        if len(reports) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    expected = ("kept for the next request" if platform.libc_ver()[0] == "glibc"
                else "handled by the C library's defaults")  # no mallopt to call
    assert reports == [expected] * 2


def test_stale_samples_are_removed_at_start(served):
    _, metrics, _ = served
    assert not (metrics / "counter_1.db").exists()


def test_access_log_is_json_without_query_strings(served):
    base, _, (out, _) = served
    get(f"{base}/healthz?token=geheim", headers={"X-Request-ID": "gunicorn-1"})
    (line,) = json_lines(out, lambda line: line.get("request_id") == "gunicorn-1")
    assert (line["logger"], line["path"], line["status"]) == ("gunicorn.access", "/healthz", 200)
    assert "geheim" not in out.read_text()


def test_application_log_is_json_with_the_request_id(served):
    base, _, (_, err) = served
    get(f"{base}/healthz", headers={"X-Request-ID": "gunicorn-2"})
    found = json_lines(err, lambda line: line.get("request_id") == "gunicorn-2")
    assert [line["logger"] for line in found] == ["registry.request"]


BEFORE_312 = sys.version_info < (3, 12)


def test_workers_turn_automatic_collection_off_before_python_312(served):
    """Each worker reports, from inside itself once the application has loaded, whether
    Python's automatic collection is on (gunicorn.conf.py post_worker_init): off on 3.11,
    and no such report on 3.12, where nothing changes."""
    _, _, (_, err) = served
    deadline = time.monotonic() + 10
    while True:  # the second worker may still be loading the application
        reports = dict(re.findall(r"Worker (\d+): automatic garbage collection (on|off)",
                                  err.read_text()))
        if len(reports) >= 2 or not BEFORE_312 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if BEFORE_312:
        assert len(reports) == 2 and set(reports.values()) == {"off"}, reports
        assert "collect at request boundaries instead" in err.read_text()
    else:
        assert reports == {}


@pytest.fixture
def conf(monkeypatch, tmp_path):
    """gunicorn.conf.py loaded in this process (its metrics folder default kept out of
    os.environ); Python's collector settings restored afterwards."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    # post_fork would set this test process's allocator thresholds for good.
    monkeypatch.setattr("registry.ops.allocator.keep_freed_memory", lambda: False)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test",
                                                  ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    try:
        yield module
    finally:
        gc.set_threshold(*threshold)
        (gc.enable if enabled else gc.disable)()


def fake_worker() -> SimpleNamespace:
    log = SimpleNamespace(info=lambda *a: None, warning=lambda *a: None)
    return SimpleNamespace(pid=os.getpid(), log=log, nr=0)


@pytest.mark.parametrize(("keep", "logged"), [
    (True, "freed memory kept for the next request"),
    (False, "freed memory handled by the C library's defaults"),
])
def test_a_worker_keeps_freed_memory_unless_told_not_to(conf, monkeypatch, keep, logged):
    calls = []
    monkeypatch.setattr("registry.ops.allocator.keep_freed_memory",
                        lambda: calls.append("set") or True)
    monkeypatch.setattr(conf, "KEEP_FREED_MEMORY", keep)  # REGISTRY_KEEP_FREED_MEMORY=0
    messages = []
    worker = fake_worker()
    worker.log = SimpleNamespace(info=lambda message, *args: messages.append(message % args),
                                 warning=lambda *a: None)

    conf.post_fork(None, worker)

    assert calls == (["set"] if keep else [])
    assert messages[-1].endswith(logged)


def collections(generation: int) -> int:
    return gc.get_stats()[generation]["collections"]


@pytest.mark.skipif(not BEFORE_312, reason="automatic collection is safe from Python 3.12")
def test_request_boundary_collection_does_what_automatic_collection_would(conf):
    worker = fake_worker()
    gc.enable()
    conf.post_fork(None, worker)
    assert not gc.isenabled()

    gc.set_threshold(50, 10, 10)
    gc.collect()  # every generation's count to 0
    young = collections(0)
    garbage = [[] for _ in range(10)]  # below the threshold: nothing is due
    conf.post_request(worker, None, {}, None)
    assert collections(0) == young and gc.get_count()[0] >= 10

    class Node:
        pass

    cycle = Node()
    cycle.me = cycle  # only the collector frees a cycle
    alive = weakref.ref(cycle)
    del cycle
    garbage = [[] for _ in range(500)]  # generation 0 far over its threshold of 50
    young = collections(0)
    conf.post_request(worker, None, {}, None)
    assert alive() is None, "post_request did not collect"
    assert collections(0) == young + 1
    assert gc.get_count()[0] < 50
    assert not gc.isenabled()
    del garbage


@pytest.mark.skipif(not BEFORE_312, reason="automatic collection is safe from Python 3.12")
@pytest.mark.parametrize(("young", "middle", "expected"), [(0, 0, 0), (11, 0, 1), (0, 11, 2)])
def test_the_oldest_due_generation_is_collected(conf, young, middle, expected):
    """As CPython's trigger: generation 1 after more than 10 young collections since its
    last, generation 2 after more than 10 of generation 1 (thresholds 700, 10, 10)."""
    gc.disable()
    gc.collect()
    for _ in range(middle):
        gc.collect(1)
    for _ in range(young):
        gc.collect(0)
    gc.set_threshold(50, 10, 10)
    before = [collections(g) for g in range(3)]
    garbage = [[] for _ in range(500)]
    assert conf.collect_when_due() == expected
    assert [collections(g) - before[g] for g in range(3)] == [
        int(g == expected) for g in range(3)]
    del garbage


@pytest.mark.skipif(not BEFORE_312, reason="automatic collection is safe from Python 3.12")
def test_a_thread_skips_while_another_collects(conf):
    gc.disable()
    gc.collect()
    gc.set_threshold(50, 10, 10)
    garbage = [[] for _ in range(500)]
    young = collections(0)
    with conf._collecting:  # another request thread of the worker is collecting
        conf.post_request(fake_worker(), None, {}, None)
    assert collections(0) == young
    conf.post_request(fake_worker(), None, {}, None)
    assert collections(0) == young + 1
    del garbage


@pytest.mark.skipif(not BEFORE_312, reason="automatic collection is safe from Python 3.12")
def test_post_request_turns_automatic_collection_off_again(conf):
    warnings = []
    worker = fake_worker()
    worker.log.warning = warnings.append
    gc.enable()  # as a library might
    conf.post_request(worker, None, {}, None)
    assert not gc.isenabled() and len(warnings) == 1


def test_nothing_changes_from_python_312(conf, monkeypatch):
    assert conf.REQUEST_BOUNDARY_GC is BEFORE_312
    monkeypatch.setattr(conf, "REQUEST_BOUNDARY_GC", False)  # as on 3.12
    gc.enable()
    conf.post_fork(None, fake_worker())
    conf.post_request(fake_worker(), None, {}, None)
    assert gc.isenabled()


def test_a_failing_search_warm_up_does_not_stop_the_worker(conf, app, monkeypatch):
    def broken(_app):
        raise OSError("index folder unreadable")

    monkeypatch.setattr("registry.search.service.warm_up", broken)
    logged = []
    worker = SimpleNamespace(wsgi=app, log=SimpleNamespace(
        info=lambda *a: logged.append(("info", a)),
        exception=lambda *a: logged.append(("exception", a))))

    conf._warm_search(worker)  # raises nothing: the worker goes on to serve

    assert [level for level, _ in logged] == ["exception"]
    assert "search warm-up failed" in logged[0][1][0]
