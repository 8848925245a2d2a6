"""After a load test: prove that no answer was lost. Every answer the server acknowledged
(bench/out/answers.jsonl, written by the locustfile) must be the stored response of its
question — read back through the app's own answer reader, so the comparison is exact.

    .venv/bin/python -m bench.loadcheck --database-url URL [--log bench/out/answers.jsonl]
"""

import argparse
import json
import sys

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bench.generate import bench_app
from lms.assessments import kinds
from lms.assessments.models import Attempt, AttemptSlot
from lms.extensions import db


def expected_answers(path: str) -> tuple[dict, int, int]:
    """(attempt, field) → the last value acknowledged; how many sends were acknowledged, and
    how many failed (those may or may not have been stored; a later save resends them)."""
    last: dict[tuple[int, str], str] = {}
    acked = failed = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "field" not in record:
                continue
            if record["ack"]:
                acked += 1
                last[(record["attempt"], record["field"])] = record["value"]
            else:
                failed += 1
    return last, acked, failed


def check(url: str, path: str) -> int:
    expected, acked, failed = expected_answers(path)
    app = bench_app(url)
    lost = []
    with app.app_context():
        attempt_ids = sorted({a for a, _f in expected})
        for start in range(0, len(attempt_ids), 500):
            chunk = attempt_ids[start : start + 500]
            attempts = db.session.scalars(
                select(Attempt)
                .where(Attempt.id.in_(chunk))
                .options(selectinload(Attempt.slots).selectinload(AttemptSlot.question))
            )
            for attempt in attempts:
                for slot in attempt.slots:
                    field = f"r{slot.id}"
                    if (attempt.id, field) not in expected:
                        continue
                    want = kinds.REGISTRY[slot.question.kind].read(
                        slot.shown or {}, {"": [expected[(attempt.id, field)]]}
                    )
                    if slot.response != want:
                        lost.append((attempt.id, slot.id, want, slot.response))
            db.session.expunge_all()
    print(f"answers acknowledged by the server: {acked:,} (distinct questions: {len(expected):,})")
    print(f"sends that failed (resent by the next save): {failed:,}")
    print(f"attempts checked: {len(attempt_ids):,}")
    print(f"answers lost: {len(lost)}")
    for item in lost[:20]:
        print("  lost:", item)
    return len(lost)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--log", default="bench/out/answers.jsonl")
    args = parser.parse_args(argv)
    sys.exit(1 if check(args.database_url, args.log) else 0)


if __name__ == "__main__":
    main()
