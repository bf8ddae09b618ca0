import os
import subprocess
import sys

import pytest

import config
from registry import ROOT, create_app


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setattr(config.Config, "ENV_NAME", "production")
    monkeypatch.setattr(config.Config, "SECRET_KEY", config.DEVELOPMENT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="REGISTRY_SECRET_KEY"):
        create_app()


@pytest.mark.parametrize(
    ("variable", "setting", "value"),
    [
        ("REGISTRY_DATABASE_URL", "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://db/registry"),
        ("REGISTRY_INDEX_DIR", "INDEX_DIR", "/srv/index"),
        ("REGISTRY_SECRET_KEY", "SECRET_KEY", "s3cret-from-env"),
    ],
)
def test_settings_come_from_registry_environment_variables(variable, setting, value):
    code = f"import config; print(config.Config.{setting})"
    env = {**os.environ, variable: value}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == value


def test_laptop_defaults_live_under_instance():
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    code = "import config; print(config.Config.SQLALCHEMY_DATABASE_URI, config.Config.INDEX_DIR)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
    )
    database, index = result.stdout.split()
    assert database.startswith("sqlite:///") and "/instance/" in database
    assert index.endswith("instance/index")


def test_gunicorn_runs_two_processes_per_cpu_with_two_threads_each(monkeypatch, tmp_path):
    import os
    import runpy
    from pathlib import Path

    for name in ("REGISTRY_WORKERS", "REGISTRY_THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # restored afterwards
    settings = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    assert (settings["workers"], settings["threads"]) == (2 * len(os.sched_getaffinity(0)), 2)


@pytest.mark.parametrize(("value", "kept"), [(None, True), ("1", True), ("0", False)])
def test_gunicorn_workers_keep_freed_memory_unless_set_to_0(monkeypatch, tmp_path, value, kept):
    import runpy
    from pathlib import Path

    if value is None:
        monkeypatch.delenv("REGISTRY_KEEP_FREED_MEMORY", raising=False)
    else:
        monkeypatch.setenv("REGISTRY_KEEP_FREED_MEMORY", value)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # restored afterwards
    settings = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    assert settings["KEEP_FREED_MEMORY"] is kept


def test_gunicorn_raises_the_open_files_limit_for_the_index_files_threads_keep_open(
        tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    conf = Path(__file__).parents[2] / "gunicorn.conf.py"
    script = (
        "import resource, runpy, sys\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))\n"
        f"settings = runpy.run_path({str(conf)!r})\n"
        "raised = settings['raise_open_files_limit']()\n"
        "if hard == resource.RLIM_INFINITY: hard = settings['OPEN_FILES']\n"
        "print(raised, resource.getrlimit(resource.RLIMIT_NOFILE)[0], hard,"
        " settings['OPEN_FILES'])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    raised, now, hard, wanted = (int(n) for n in result.stdout.split())
    assert raised == now == min(wanted, hard) > 256
