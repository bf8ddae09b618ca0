"""registry/ops/allocator.py: freed memory stays with the process for the next query."""

import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

# What a search does at 100k interventions, in small: whole-catalogue float arrays made
# and freed again, query after query. Prints the page faults of 50 such queries after
# five to warm up. Run in a process of its own: the thresholds are the process's. This
# is the main thread's heap; a request thread's arena faults under other patterns (the
# profile search between other work: bench/README.md, "Freed memory kept by the workers").
QUERIES = """
import resource, sys
import numpy as np
if sys.argv[1] == "kept":
    from registry.ops.allocator import keep_freed_memory
    assert keep_freed_memory()
def query():
    scores = np.zeros(100_000)
    return float(((scores + 1.0) * 2.0).sum())
for _ in range(5):
    query()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    query()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def page_faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", QUERIES, mode], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return int(done.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="thresholds of glibc's malloc")
def test_queries_reuse_freed_memory_instead_of_faulting_in_fresh_pages():
    # With glibc's defaults each query's arrays come back as fresh pages (about 200
    # faults per 800 KB array); with the thresholds set, from memory already mapped.
    assert page_faults("default") > 50 * 200
    assert page_faults("kept") < 200
