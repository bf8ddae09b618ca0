"""gunicorn.conf.py for real: two gthread workers, JSON access log, shared metrics."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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
