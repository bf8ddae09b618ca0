"""The C allocator's thresholds for a long-running server process.

A search at 100k interventions works on whole-catalogue numpy arrays of 800 KB (a score
per intervention), several per query, freed again at its end. With glibc's defaults,
the memory freed at the top of the heap is handed back to the kernel once more than
twice the last freed large block is free (the dynamic trim threshold), and blocks above
the dynamic mmap threshold are mapped and unmapped one by one. Either way the next query
touches fresh pages, and the kernel faults in and zeroes each of them: up to 45% of a
profile search at 100k, a tenth in a served worker on average (bench/README.md, "Freed
memory kept by the workers"). Fixed thresholds keep the freed memory for the next request
instead; glibc then also stops adjusting them.
"""

from __future__ import annotations

import ctypes

# mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# Blocks up to this size come from the heap, not a mapping of their own: a float array
# of 2M interventions. glibc refuses more than 32 MiB on 64-bit systems.
MMAP_THRESHOLD = 16 * 2**20
# Free memory at the heap's top up to this size stays with the process (per arena: a
# request thread usually allocates from one of its own), so a worker keeps about what its
# largest recent query needed.
TRIM_THRESHOLD = 32 * 2**20


def keep_freed_memory() -> bool:
    """Set the thresholds above for this process (and the processes it forks later).
    False where the C library has no mallopt (not glibc) or refuses a value."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
