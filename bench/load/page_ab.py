"""One kind of page, CPU and wall per request, on the load database:
`python -m bench.load.page_ab KIND [N]` (bench/README.md, "Where a page's time goes").

N pages of the kind (drawn as bench/load/mix.py draws them, fixed seed) through the app's
test client in this process, after 20 to warm up: the median CPU and wall ms and the wall
p95, and a digest of the pages' bodies (two versions of the code that render the same
pages print the same digest). To compare two versions, run it from each tree in turn
(`git worktree add /tmp/base REV`; `BENCH_LOAD_DIR` pointing at this tree's
bench/load/.work); with `PGOPTIONS="-c log_min_duration_statement=0"` the server log
has the database's time per statement.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import sys
import time

from bench.load import mix
from bench.load.catalogue import TARGETS
from bench.load.profile import _app


def main() -> None:
    kind, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300
    app = _app()
    targets = mix.load_targets(TARGETS)
    rng = random.Random(7)
    urls = [mix.url(kind, rng, targets) for _ in range(count)]
    client = app.test_client()
    for url in urls[:20]:
        client.get(url)
    cpu, wall, digest = [], [], hashlib.sha256()
    for url in urls:
        started, clock = time.process_time(), time.perf_counter()
        response = client.get(url)
        cpu.append((time.process_time() - started) * 1000)
        wall.append((time.perf_counter() - clock) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        digest.update(response.data)
    print(f"{kind}: CPU median {statistics.median(cpu):.2f} ms, wall median "
          f"{statistics.median(wall):.2f} ms, wall p95 {sorted(wall)[int(count * 0.95)]:.2f} ms,"
          f" digest {digest.hexdigest()[:12]}")


if __name__ == "__main__":
    main()
