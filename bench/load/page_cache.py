"""Intervention pages with and without kept pages (registry/page_cache.py), same run:
`python -m bench.load.page_cache [REQUESTS] [--zipf S] [--cache-mb MB] [--warm N]`.

On the load database (`bench.load.run --setup-only`), two apps in this process, one
keeping pages (PAGE_CACHE_BYTES = MB) and one not (the baseline), take turns request by
request over the same list of intervention pages. The list is drawn by popularity: the
published interventions in a fixed shuffled order, the one at rank r drawn with weight
1 / r^S (S = 1 by default, as page views of a catalogue tend to be; S = 0 is uniform).
With --warm N the kept arm first serves N pages of the same draw, unmeasured, as a
process that has run a while has (the steady state); without, it starts empty.
Reports CPU ms p50 / p95 of each, the kept arm split into hits and misses, its hit
ratio, and whether both served the same pages (a digest of every body, the per-request
parts included: none differs between the two apps).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time

from bench.load import mix
from bench.load.catalogue import TARGETS
from bench.load.profile import _app as load_app


def _app(cache_bytes: int):
    return load_app(PAGE_CACHE_BYTES=cache_bytes, USAGE_COUNTING=False)


def _draw(slugs: list[str], count: int, exponent: float, rng: random.Random) -> list[str]:
    ranked = slugs[:]
    rng.shuffle(ranked)
    weights = [1 / (rank ** exponent) for rank in range(1, len(ranked) + 1)]
    return ["/interventies/" + slug for slug in rng.choices(ranked, weights, k=count)]


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("requests", type=int, nargs="?", default=3000)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--cache-mb", type=float, default=32)
    parser.add_argument("--warm", type=int, default=0)
    args = parser.parse_args()
    from registry.page_cache import EXTENSION

    kept, plain = _app(int(args.cache_mb * 1024 * 1024)), _app(0)
    cache = kept.extensions[EXTENSION]
    drawn = _draw(mix.load_targets(TARGETS)["slugs"], args.warm + args.requests, args.zipf,
                  random.Random(11))
    warm, urls = drawn[:args.warm], drawn[args.warm:]
    clients = {"kept": kept.test_client(), "plain": plain.test_client()}
    for client in clients.values():  # connections, templates, first statements
        for url in urls[:5]:
            client.get(url)
    cache.generation = None  # the warm-up's pages do not count as kept
    for url in warm:
        clients["kept"].get(url)
    found: list[bool] = []
    look_up = cache.get

    def get(generation, key):
        page = look_up(generation, key)
        found.append(page is not None)
        return page

    cache.get = get
    times: dict[str, list[float]] = {"kept": [], "plain": [], "hit": [], "miss": []}
    digests = {name: hashlib.sha256() for name in clients}
    for url in urls:
        for name, client in clients.items():
            started = time.process_time()
            response = client.get(url)
            spent = (time.process_time() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            times[name].append(spent)
            digests[name].update(response.data)
            if name == "kept":
                times["hit" if found[-1] else "miss"].append(spent)
    hits = len(times["hit"]) / len(urls)
    print(f"{len(urls)} intervention pages after {len(warm)} unmeasured, popularity "
          f"1/rank^{args.zipf}, "
          f"{len(set(urls))} distinct; cache {args.cache_mb:g} MB, {len(cache)} kept at "
          f"the end, hit ratio {hits:.1%}; same pages: "
          f"{digests['kept'].hexdigest() == digests['plain'].hexdigest()}")
    print("| arm | requests | CPU ms p50 | CPU ms p95 |")
    print("|---|---|---|---|")
    for name in ("plain", "kept", "hit", "miss"):
        values = times[name]
        print(f"| {name} | {len(values)} | {statistics.median(values):.2f} | "
              f"{_p(values, 0.95):.2f} |")
    print(f"kept p95 / plain p95: {_p(times['kept'], 0.95) / _p(times['plain'], 0.95):.2f}×")


if __name__ == "__main__":
    main()
