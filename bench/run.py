"""Timed operations on a generated city (bench/generate.py): median and p95 over repeated runs,
with the raw-SQL floor of the same answer and their ratio, against the targets of issue 10.

    .venv/bin/python -m bench.run [--database-url URL] [--repeat 30] [--only me,unit,…]

Operations whose module has not landed yet are skipped with a note. The officials import runs
on a database of its own (a temporary SQLite file, or --import-database-url).
"""

import argparse
import time

from sqlalchemy import event

from bench import operations, weight
from bench.generate import DEFAULT_URL, bench_app
from bench.timing import HEADER
from lms.extensions import db

SECTIONS = ("me", "unit", "city", "export", "test", "certificate", "courses", "import", "weight")


class QueryCounter:
    """Counts the SQL statements sent while it is on (statements per request)."""

    def __init__(self, engine) -> None:
        self.count = 0
        self.on = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        if self.on:
            self.count += 1

    def __call__(self, work) -> int:
        self.count, self.on = 0, True
        try:
            work()
        finally:
            self.on = False
        return self.count


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"any of {','.join(SECTIONS)}")
    parser.add_argument(
        "--import-database-url",
        default=None,
        help="database for the officials import (dropped and created; default: temp SQLite)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    app = bench_app(args.database_url, LMS_LOGIN_RATE_LIMIT="1000000 per minute")
    started = time.perf_counter()
    # Requests must not run inside an outer app context: Flask would reuse it, and with it
    # `g` (the logged-in user) and the database session, from one request to the next.
    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        world = operations.World.load(app, QueryCounter(db.engine))
    results = []
    for name in SECTIONS[:-1]:
        if name in only:
            results += operations.SECTIONS[name](world, args)
    print()
    print(HEADER)
    for result in results:
        print(result.line())
    if "weight" in only:
        print()
        weight.report(world)
    world.close()
    print(f"\nbenchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
