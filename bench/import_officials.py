"""Benchmark: import a generated 30,000-row XLSX of officials on a fresh database, then the
same file again (no change). Prints each phase's time, the peak memory of the process, and the
raw-SQL floor (inserting the same rows with executemany, no checks) beside it.

    .venv/bin/python -m bench.import_officials [--rows 30000] [--database-url URL]
"""

import argparse
import io
import random
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from lms import create_app
from lms.common.tabular import read_table
from lms.demo.names import FAMILY, GIVEN, MIDDLE
from lms.extensions import db
from lms.organisation import imports
from lms.organisation.rows import OFFICIAL_COLUMNS
from lms.organisation.services import upsert_position, upsert_rank, upsert_unit

HEADER = [names[0] for names in OFFICIAL_COLUMNS.values()]
UNITS = 150


def generate(rows: int, seed: int = 30000) -> bytes:
    """An XLSX like an HR export: 150 units, 13 positions, both genders."""
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for number in range(rows):
        gender = rng.choice(("male", "female"))
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        sheet.append(
            [
                f"B{number:06d}",
                name,
                "Nam" if gender == "male" else "Nữ",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1965, 2000)}",
                "công chức",
                f"U{rng.randrange(UNITS):03d}",
                f"P{rng.randrange(13):02d}",
                "01.003",
                "01/07/2025",
                f"b{number}@danang.gov.vn",
                f"0905{number:06d}",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reference_data() -> None:
    upsert_unit("DN", "Ủy ban nhân dân thành phố Đà Nẵng", "UBND", "tinh", None)
    for number in range(UNITS):
        upsert_unit(f"U{number:03d}", f"Đơn vị {number}", "so", "tinh", "DN")
    for number in range(13):
        upsert_position(f"P{number:02d}", f"Vị trí {number}")
    upsert_rank("01.003", "Chuyên viên")
    db.session.commit()


def timed(label: str, work):
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s")
    return result, seconds


def sql_floor(table, rows: int) -> float:
    """Insert the same number of rows into a bare SQLite table with executemany."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (code TEXT PRIMARY KEY, name TEXT, unit TEXT, pos TEXT)")
    values = [(r[0], r[1], r[5], r[6]) for _line, r in table.rows[:rows]]
    start = time.perf_counter()
    connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", values)
    connection.commit()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app(
            "testing", {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_RECORD_QUERIES": False}
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            reference_data()
            data, _s = timed(f"generate {args.rows} rows (.xlsx)", lambda: generate(args.rows))
            print(f"{'file size':<44} {len(data) / 1e6:8.2f} MB")
            table, read_s = timed("read the workbook", lambda: read_table("b.xlsx", data, 10**9))
            plan, plan_s = timed(
                "check every row (dry run)", lambda: imports.plan_officials(table, None)
            )
            assert not plan.has_errors, imports.report_rows(plan)[:5]

            def write():
                counts = imports.apply_plan(plan, actor=None)
                db.session.commit()
                return counts

            counts, write_s = timed("write (one transaction)", write)
            total = read_s + plan_s + write_s
            print(f"{'first import, total':<44} {total:8.2f} s   ({counts['created']} created)")
            db.session.expunge_all()
            again, again_s = timed(
                "re-import the same file (check only)", lambda: imports.plan_officials(table, None)
            )
            assert again.summary()["unchanged"] == args.rows
            floor = sql_floor(table, args.rows)
            print(
                f"{'raw-SQL floor: executemany of the rows':<44} {floor:8.2f} s"
                f"   write/floor {write_s / floor:,.0f}×, total/floor {total / floor:,.0f}×"
            )
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{'peak memory (max RSS)':<44} {peak:8.0f} MB")
            db.session.remove()  # end the read transaction before dropping the tables
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
