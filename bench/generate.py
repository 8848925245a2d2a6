"""Generate Đà Nẵng-scale data: 30,000 officials in about 150 units, 60 positions, 200
courses, five cycles of history (about 1.5 million ledger entries, a million attempts, 600,000
certificates), a login per official, and the past cycles closed. Drops and creates every table
of the database it is given: use a database of its own (never `test`).

    .venv/bin/python -m bench.generate --database-url sqlite:///instance/bench.sqlite3
    .venv/bin/python -m bench.generate --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Prints the time of every phase and the rows written. Logins: DN000001… (the officials) and
bench-hr (HR, whole city), bench-unit-hr (HR of SGDDT, about 2,000 officials), bench-admin;
every password is Bench@2026.
"""

import argparse
import random
import resource
import sys
import time

from sqlalchemy import func, select, text

from bench import courses, history, people
from bench.bulk import Writer
from config import INSTANCE_DIR
from lms import create_app
from lms.common import clock
from lms.extensions import db

TEST_TAKERS = 5000  # officials enrolled in the load-test and benchmark tests
DEFAULT_URL = f"sqlite:///{INSTANCE_DIR / 'bench.sqlite3'}"


def bench_app(url: str, **overrides):
    """The application on the benchmark database (development settings, no query recording)."""
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_RECORD_QUERIES": False}
    return create_app("development", settings | overrides)


class Clock:
    """Prints each phase's time as it ends."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def phase(self, label: str, work, *args):
        began = time.perf_counter()
        result = work(*args)
        note = f"   {result}" if isinstance(result, str | int) else ""
        print(f"{label:<48} {time.perf_counter() - began:8.1f} s{note}", flush=True)
        return result

    def total(self) -> float:
        return time.perf_counter() - self.start


def close_past_cycles(cycle_rows) -> str:
    """Close every ended cycle for the whole city, as HR does in January."""
    try:
        from lms.compliance.statements import close_cycle
        from lms.organisation.models import OrgUnit
    except ImportError:
        return "lms.compliance not there: cycles left open"
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
    frozen = 0
    for cycle in cycle_rows:
        cycle = db.session.merge(cycle)
        if cycle.ends_on < clock.today():
            began = time.perf_counter()
            count = close_cycle(cycle, root, None, clock.today())
            db.session.commit()
            print(
                f"  close {cycle.year}: {count} statements in {time.perf_counter() - began:.1f} s"
            )
            frozen += count
    return f"{frozen} statements"


def verify_ledger() -> str:
    from lms.curricula.ledger.seals import verify

    breaks = sum(1 for _ in verify())
    if breaks:
        raise SystemExit(f"ledger verify: {breaks} breaks")
    return "ledger verify: no break"


def generate(url: str, officials: int, seed: int, check: bool) -> None:
    rng = random.Random(seed)
    app = bench_app(url)
    clock_ = Clock()
    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        db.session.remove()
        clock_.phase("drop and create the tables", lambda: (db.drop_all(), db.create_all()))
        clock_.phase("units, positions, ranks (ORM)", people.reference)
        clock_.phase("courses/ tree imported as files", courses.import_tree)
        writer = Writer()
        clock_.phase("generated courses, lessons (bulk)", courses.generated, writer, rng)
        clock_.phase("question banks and tests (lms.assessments)", courses.sync_tests)
        clock_.phase("curricula of the positions", courses.curricula, rng)
        cycle_rows = clock_.phase("cycles", history.cycles, clock.today())
        persons = clock_.phase(
            f"{officials} officials, posts, logins (bulk)", people.officials, writer, officials, rng
        )
        clock_.phase("staff logins", people.staff_logins)
        maker = history.History(writer, courses.facts(), cycle_rows, clock.today(), rng)
        if not maker.with_attempts:
            print("  note: lms.assessments.models has no attempts table yet: attempts skipped")
        if not maker.with_certificates:
            print("  note: lms.certificates.models not there yet: certificates skipped")

        def progress(year: int) -> None:
            print(f"  … cycle {year} written, {maker.n.ledger:,} ledger entries", flush=True)

        clock_.phase("five cycles of history (bulk)", maker.run, persons, progress)
        maker.serial_counters()
        maker.test_enrolments(persons, TEST_TAKERS)
        clock_.phase("sequences, ANALYZE", writer.finish)
        db.session.remove()
        clock_.phase(
            "close the past cycles (statements.close_cycle)", close_past_cycles, cycle_rows
        )
        if check:
            clock_.phase("ledger verify", verify_ledger)
        print()
        for name in (
            "officials",
            "org_units",
            "positions",
            "courses",
            "users",
            "official_targets",
            "obligations",
            "completions",
            "ledger_entries",
            "attempts",
            "certificates",
            "enrolments",
            "statements",
        ):
            if name in db.metadata.tables:
                count = db.session.scalar(
                    select(func.count()).select_from(db.metadata.tables[name])
                )
                print(f"{name:<48} {count:>10,}")
        if db.engine.dialect.name == "postgresql":
            size = db.session.scalar(text("SELECT pg_database_size(current_database())"))
            print(f"{'database size':<48} {size / 1e6:>10,.0f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'peak memory (max RSS)':<48} {peak:>10,.0f} MB")
        print(f"{'total':<48} {clock_.total():>10.1f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--officials", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--verify", action="store_true", help="run `ledger verify` at the end")
    args = parser.parse_args(argv)
    if args.database_url.rstrip("/").endswith("/test"):
        sys.exit("refusing to drop the tables of the database `test`")
    generate(args.database_url, args.officials, args.seed, args.verify)


if __name__ == "__main__":
    main()
