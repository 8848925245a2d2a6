"""Citizen survey burst: gunicorn (gunicorn.conf.py) on a fresh database, N phones each open
the survey of P-HAICHAU from its QR link (their own cookies), then all send their answers at
the same moment; prints the wall time, submissions per second, p50/p95 latency, every
non-redirect answer and the CPU each side spent in the burst, and checks that the database
holds exactly N responses.

    .venv/bin/python -m bench.satisfaction_burst [--phones 200] [--workers 2] [--threads 8] \
        [--database-url sqlite:////tmp/burst.sqlite3] [--limiter-store redis://127.0.0.1:6379/9] \
        [--client asyncio|threads] [--calm 1.5]

The phones are asyncio tasks in one process (aiohttp, a cookie jar and a connection of their
own each, as a phone after a minute of filling in the form opens a new one), or with
`--client threads` one `requests` thread each (the first measurements). Every phone comes from
127.0.0.1, so the per-address limit is lifted for the run (the per-device limit stays: each
phone sends once). `--calm L` waits, up to 25 minutes, until the 1-minute load average is below
L before starting. docs/performance.md has the figures.
"""

import argparse
import asyncio
import os
import re
import resource
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.loadtest import OUT, start_server

FIELDS = ("csrf_token", "t", "shown")
LIKERT = ("access", "procedure", "attitude", "competence", "timeliness", "overall")
TICKS = os.sysconf("SC_CLK_TCK")


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


def answers_from(html: str) -> dict:
    """The form's hidden fields (CSRF token, QR token, signed "shown" stamp) and six fives."""
    data = {}
    for name in FIELDS:
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', html
        )
        data[name] = found.group(1)
    data.update({f"q_{code}": "5" for code in LIKERT})
    return data


def burst_threads(base: str, path: str, phones: int, on_ready) -> tuple[float, list]:
    """One `requests` session per phone; the POSTs from one thread each behind a barrier."""
    import requests

    def open_form(_n):
        phone = requests.Session()
        return phone, answers_from(phone.get(base + path, timeout=60).text)

    with ThreadPoolExecutor(max_workers=32) as pool:
        opened = list(pool.map(open_form, range(phones)))
    gate = threading.Barrier(phones)

    def send(phone_data):
        phone, data = phone_data
        gate.wait()
        started = time.perf_counter()
        answer = phone.post(
            f"{base}/satisfaction/P-HAICHAU", data=data, allow_redirects=False, timeout=120
        )
        return answer.status_code, time.perf_counter() - started

    on_ready()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=phones) as pool:
        results = list(pool.map(send, opened))
    return time.perf_counter() - started, results


def burst_asyncio(base: str, path: str, phones: int, on_ready) -> tuple[float, list]:
    """One aiohttp session per phone (its own cookie jar, a new connection per request); every
    phone opens the form (32 at a time), waits at the gate, then all send at once."""
    import aiohttp

    async def run():
        opening = asyncio.Semaphore(32)
        gate = asyncio.Event()
        all_open = asyncio.Event()
        opened = 0
        timeout = aiohttp.ClientTimeout(total=120)

        async def phone():
            nonlocal opened
            jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept cookies from 127.0.0.1
            connector = aiohttp.TCPConnector(force_close=True)
            async with aiohttp.ClientSession(
                cookie_jar=jar, connector=connector, timeout=timeout
            ) as session:
                async with opening, session.get(base + path) as page:
                    data = answers_from(await page.text())
                opened += 1
                if opened == phones:
                    all_open.set()
                await gate.wait()
                started = time.perf_counter()
                async with session.post(
                    f"{base}/satisfaction/P-HAICHAU", data=data, allow_redirects=False
                ) as answer:
                    await answer.read()
                    return answer.status, time.perf_counter() - started

        tasks = [asyncio.create_task(phone()) for _n in range(phones)]
        await all_open.wait()
        on_ready()
        started = time.perf_counter()
        gate.set()
        results = await asyncio.gather(*tasks)
        return time.perf_counter() - started, results

    return asyncio.run(run())


def count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM survey_responses")).scalar_one()


def wait_until_calm(limit: float, most_seconds: int = 25 * 60) -> None:
    """Sleep a minute at a time until the 1-minute load average is below `limit`."""
    waited = 0
    while load_average()[0] >= limit and waited < most_seconds:
        print(f"load average {load_average()[0]:.2f} ≥ {limit}: waiting", flush=True)
        time.sleep(60)
        waited += 60


def load_average() -> tuple[float, float, float]:
    first, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    return float(first), float(five), float(fifteen)


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found.extend(int(child) for child in children)
    return found


class CpuMeter:
    """CPU seconds spent by each side between start() and stop(): this client, the gunicorn
    master and workers, the PostgreSQL backends of the bench database and the Redis server
    (shared with whatever else uses it)."""

    def __init__(self, server_pid: int, url: str, store: str):
        self.server_pid, self.url, self.store = server_pid, url, store
        self.before: dict[str, float] = {}
        self.backends_before: dict[int, float] = {}

    def _backends(self) -> dict[int, float]:
        if not self.url.startswith("postgresql"):
            return {}
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        with engine.connect() as connection:
            pids = connection.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                )
            ).all()
        engine.dispose()
        return {pid: _cpu_of(pid) for pid in pids}

    def _redis(self) -> float:
        if not self.store.startswith("redis"):
            return 0.0
        import redis

        info = redis.Redis.from_url(self.store).info("cpu")
        return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])

    def _sides(self) -> dict[str, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        server = [self.server_pid, *_children(self.server_pid)]
        return {
            "client": own.ru_utime + own.ru_stime,
            "gunicorn": sum(_cpu_of(pid) for pid in server),
            "redis": self._redis(),
        }

    def start(self) -> None:
        self.backends_before = self._backends()
        self.before = self._sides()

    def stop(self) -> dict[str, float]:
        after = self._sides()
        spent = {side: after[side] - self.before[side] for side in after}
        backends = self._backends()
        spent["postgres"] = sum(
            cpu - self.backends_before.get(pid, 0.0) for pid, cpu in backends.items()
        )
        return spent


def forget_counters(store: str) -> None:
    """Remove the survey's rate-limit counters a run left in Redis (the device keys are new in
    every run; the address one would otherwise carry over)."""
    if not store.startswith("redis"):
        return
    import redis

    connection = redis.Redis.from_url(store)
    keys = list(connection.scan_iter("LIMITS:LIMITER/satisfaction-*", count=1000))
    if keys:
        connection.delete(*keys)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--limiter-store", default="memory://")
    parser.add_argument("--client", choices=("asyncio", "threads"), default="asyncio")
    parser.add_argument("--calm", type=float, default=0.0)
    args = parser.parse_args()
    if args.calm:
        wait_until_calm(args.calm)
    load_at_start = load_average()
    OUT.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/burst.sqlite3"
    path = prepare(url)
    forget_counters(args.limiter_store)
    os.environ["LMS_SATISFACTION_ADDRESS_LIMIT"] = "1000000 per hour"
    os.environ["LMS_SATISFACTION_MIN_SECONDS"] = "0"
    os.environ["LMS_RATELIMIT_STORAGE_URL"] = args.limiter_store
    server = start_server(url, args.workers, args.threads, args.port)
    base = f"http://127.0.0.1:{args.port}"
    meter = CpuMeter(server.pid, url, args.limiter_store)
    load_at_burst = (0.0, 0.0, 0.0)

    def on_ready():
        nonlocal load_at_burst
        load_at_burst = load_average()
        meter.start()

    try:
        burst = burst_threads if args.client == "threads" else burst_asyncio
        wall, results = burst(base, path, args.phones, on_ready)
        cpu = meter.stop()
    finally:
        server.terminate()
        server.wait(timeout=30)
        forget_counters(args.limiter_store)
    times = sorted(seconds for _status, seconds in results)
    errors = [status for status, _seconds in results if status != 302]
    stored = count(url)
    print(time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
    print(
        f"phones {args.phones} ({args.client}), gunicorn {args.workers} workers × "
        f"{args.threads} threads, limiter {args.limiter_store}, {url.split(':')[0]}"
    )
    print("load average at the start {:.2f} {:.2f} {:.2f}".format(*load_at_start))
    print("load average at the burst {:.2f} {:.2f} {:.2f}".format(*load_at_burst))
    print(f"wall {wall:.2f} s → {args.phones / wall:.0f} submissions/s")
    print(
        f"latency p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )
    print(
        "CPU in the burst: "
        + ", ".join(f"{side} {seconds:.2f} s" for side, seconds in cpu.items())
        + f" ({sum(cpu.values()) / wall:.2f} cores)"
    )
    print(f"non-redirect answers: {len(errors)} {sorted(set(errors))}; stored {stored}")
    if errors or stored != args.phones:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
