"""Citizen survey burst: gunicorn (gunicorn.conf.py) on a fresh database, N phones each open
the survey of P-HAICHAU from its QR link (their own cookies), then all send their answers at
the same moment; prints the wall time, submissions per second, p50/p95 latency and every
non-redirect answer, and checks that the database holds exactly N responses.

    .venv/bin/python -m bench.satisfaction_burst [--phones 200] [--workers 2] [--threads 8] \
        [--database-url sqlite:////tmp/burst.sqlite3]

Every phone comes from 127.0.0.1, so the per-address limit is lifted for the run (the
per-device limit stays: each phone sends once). docs/performance.md has the figures.
"""

import argparse
import os
import re
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.loadtest import OUT, start_server

FIELDS = ("csrf_token", "t", "shown")
LIKERT = ("access", "procedure", "attitude", "competence", "timeliness", "overall")


def prepare(url: str) -> str:
    """Schema, the ward, the questionnaires; returns the unit's QR path."""
    os.environ["SECRET_KEY"] = "bench-only-secret"  # noqa: S105 (the server's, bench.loadtest)
    from lms import create_app
    from lms.extensions import db
    from lms.organisation import services as org
    from lms.surveys import satisfaction, services

    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        org.upsert_unit("P-HAICHAU", "Ủy ban nhân dân phường Hải Châu", "ubnd_phuong", "xa", None)
        result = services.import_paths([Path(__file__).resolve().parents[1] / "courses/surveys"])
        assert not result.errors, result.errors
        db.session.commit()
        path = f"/satisfaction/P-HAICHAU?t={satisfaction.token_for('P-HAICHAU')}"
        db.session.remove()
        db.engine.dispose()
    return path


def open_form(base: str, path: str) -> tuple[requests.Session, dict]:
    phone = requests.Session()
    html = phone.get(base + path, timeout=60).text
    data = {}
    for name in FIELDS:
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', html
        )
        data[name] = found.group(1)
    data.update({f"q_{code}": "5" for code in LIKERT})
    return phone, data


def count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM survey_responses")).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/burst.sqlite3"
    path = prepare(url)
    os.environ["LMS_SATISFACTION_ADDRESS_LIMIT"] = "1000000 per hour"
    os.environ["LMS_SATISFACTION_MIN_SECONDS"] = "0"
    server = start_server(url, args.workers, args.threads, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            phones = list(pool.map(lambda _n: open_form(base, path), range(args.phones)))
        gate = threading.Barrier(args.phones)

        def send(phone_data):
            phone, data = phone_data
            gate.wait()
            started = time.perf_counter()
            answer = phone.post(
                f"{base}/satisfaction/P-HAICHAU", data=data, allow_redirects=False, timeout=120
            )
            return answer.status_code, time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.phones) as pool:
            results = list(pool.map(send, phones))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = sorted(seconds for _status, seconds in results)
    errors = [status for status, _seconds in results if status != 302]
    stored = count(url)
    print(f"phones {args.phones}, gunicorn {args.workers} workers × {args.threads} threads")
    print(f"wall {wall:.2f} s → {args.phones / wall:.0f} submissions/s")
    print(
        f"latency p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )
    print(f"non-redirect answers: {len(errors)} {sorted(set(errors))}; stored {stored}")
    if errors or stored != args.phones:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
