"""Dedup of records without an author against records with one, same run:
`.venv/bin/python -m bench.import.authorless [N ...]` (default 2500 5000 10000).

Per N, a dry run (`preview_import`) of a CSV of N titles without authors or years, then
of N records with an author and a year each (the baseline), in a fresh SQLite database;
prints the CPU seconds of each and what dedup decided (bench/README.md, Import,
"Records without an author").
"""

from __future__ import annotations

import io
import logging
import random
import sys
import tempfile
import time

WORDS = ["werk", "inkomen", "bijstand", "re-integratie", "begeleiding", "jongeren", "ouderen",
         "effect", "studie", "evaluatie", "gemeente", "participatie", "arbeid", "gezondheid",
         "schulden", "coaching", "training", "loopbaan", "zorg"]


def _title(draw: random.Random) -> str:
    return " ".join(draw.choice(WORDS) for _ in range(8))


def main(sizes: list[int]) -> None:
    from flask_migrate import upgrade

    from importers.pipeline import preview_import
    from registry import create_app
    from registry.extensions import db
    from registry.services.vocabularies import load_vocabularies

    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/db.sqlite",
                      "INDEX_DIR": f"{folder}/index"})
    with app.app_context():
        logging.disable(logging.WARNING)
        upgrade()
        load_vocabularies()
        db.session.commit()
        draw = random.Random(1)
        for n in sizes:
            bare = b"title,year\n" + "".join(f"{_title(draw)} {i},\n" for i in range(n)).encode()
            full = b"title,authors,year\n" + "".join(
                f"{_title(draw)} {i},Smith{i},{1950 + i % 70}\n" for i in range(n)).encode()
            for name, content in (("titles only", bare), ("author and year", full)):
                started = time.process_time()
                report = preview_import(io.BytesIO(content), "a.csv")
                print(f"{n} {name}: {time.process_time() - started:.2f} s CPU, new {report.new}, "
                      f"probable {report.probable}, duplicates {report.duplicates}", flush=True)
                db.session.rollback()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2500, 5000, 10000])
