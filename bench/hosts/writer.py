"""Host A: publish and edit interventions through the ORM at a steady pace.

python -m bench.hosts.writer --writes 200 --interval 0.5 --edit-ids 1,2,3 ...

Runs with REGISTRY_SEARCH_SYNC=inline and host A's own REGISTRY_INDEX_DIR (set by
bench.hosts.run). Even writes publish a new intervention, odd ones edit the title and
summary of an already published one (each id of --edit-ids once). One JSON line per
write on stdout: {"n", "id", "kind", "committed"} where `committed` is time.monotonic()
(one clock for every process of this machine) taken when the database commit returned,
before host A's own inline index update; `returned` is when commit() returned to the
caller, that update included.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from sqlalchemy import event
from sqlalchemy.orm import Session


def _publish(n: int):
    from registry.extensions import db
    from registry.models import Intervention, InterventionVersion

    intervention = Intervention(slug=f"hosts-bench-{n}-{time.time_ns()}")
    version = InterventionVersion(
        number=1, status="published", title=f"Schuldhulp op afstand {n}",
        summary="Begeleiding naar werk met hulp bij schulden.", main_aim="Werk.",
        target_group_text="Mensen in de bijstand.", approach="Stap voor stap.")
    intervention.versions.append(version)
    db.session.add(intervention)
    db.session.flush()
    intervention.published_version = version
    return intervention


def _edit(intervention_id: int, n: int):
    from registry.extensions import db
    from registry.models import Intervention

    intervention = db.session.get(Intervention, intervention_id)
    version = intervention.published_version
    version.title = f"{version.title.split(' – ')[0]} – herzien {n}"
    version.summary = f"{version.summary} Herzien in ronde {n}."
    return intervention


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--edit-ids", required=True)
    args = parser.parse_args()
    if not 0 < args.writes <= 10_000 or args.interval < 0.01:
        sys.exit("at most 10,000 writes, at least 10 ms apart")
    edit_ids = [int(i) for i in args.edit_ids.split(",")]

    from registry import create_app
    from registry.extensions import db

    app = create_app()
    logging.getLogger().setLevel(logging.WARNING)
    committed: list[float] = []
    # insert=True: before the search listener's inline update of host A's own index.
    event.listen(Session, "after_commit", lambda session: committed.append(time.monotonic()),
                 insert=True)
    with app.app_context():
        start = time.monotonic()
        for n in range(args.writes):
            time.sleep(max(0.0, start + n * args.interval - time.monotonic()))
            if n % 2 == 0 or n // 2 >= len(edit_ids):
                intervention, kind = _publish(n), "publish"
            else:
                intervention, kind = _edit(edit_ids[n // 2], n), "edit"
            intervention_id = intervention.id  # not after commit: that would reload it
            committed.clear()
            db.session.commit()
            returned = time.monotonic()
            print(json.dumps({"n": n, "id": intervention_id, "kind": kind,
                              "committed": committed[0], "returned": returned}), flush=True)
            db.session.expunge_all()


if __name__ == "__main__":
    main()
