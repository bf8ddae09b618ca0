"""gunicorn.conf.py with Python's automatic garbage collection left on in the workers: the
"before" arm of `python -m bench.load.gc_ab` (bench/README.md, Load). Not for serving: on
CPython 3.11 its threaded workers die of SIGSEGV under load.
"""

from pathlib import Path

_CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
exec(compile(_CONFIG.read_text(), str(_CONFIG), "exec"))  # noqa: S102 (the project's own file)
# The hooks read this when they run: with it off they do nothing, as on Python 3.12.
REQUEST_BOUNDARY_GC = False
