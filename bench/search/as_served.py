"""Run a bench in the conditions gunicorn's workers serve in (gunicorn.conf.py).

Call `serve_conditions()` first thing in a bench's main(): it sets the C allocator's
thresholds as each worker does (registry/ops/allocator.py), unless the command line
says `--allocator-defaults` (taken out of sys.argv), to measure what they change.
"""

from __future__ import annotations

import sys

from registry.ops.allocator import keep_freed_memory

DEFAULTS_FLAG = "--allocator-defaults"


def serve_conditions() -> str:
    """Set the worker's allocator thresholds; returns how the allocator runs, for the
    bench's output."""
    if DEFAULTS_FLAG in sys.argv:
        sys.argv.remove(DEFAULTS_FLAG)
        return "C allocator's defaults"
    return "freed memory kept" if keep_freed_memory() else "C allocator's defaults"
