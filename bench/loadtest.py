"""Load test orchestration: gunicorn (gunicorn.conf.py) on the generated PostgreSQL city, then
locust headless at growing numbers of concurrent test takers; for each step the p95 and the
errors of every request kind; at the end, bench/loadcheck.py proves no answer was lost.

    .venv/bin/python -m bench.loadtest \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        --users 200,300,400 [--rate 2] [--hold 90] [--workers 5]

Locust runs from its own virtualenv (bench/out/venv-load, built by `make bench-load`) so that it
does not change the app's dependencies. Prints a table; stops at the first step that fails.
"""

import argparse
import csv
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LOCUST = OUT / "venv-load" / "bin" / "locust"
P95_LIMIT_MS = 500


def start_server(url: str, workers: int, threads: int, port: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret",
        "GUNICORN_APP": 'lms:create_app("development")',  # production sets Secure cookies (HTTPS)
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESSLOG": str(OUT / "access.log"),
        "GUNICORN_LOGLEVEL": "warning",
        # Every simulated official comes from 127.0.0.1: lift the per-address login limits.
        "LMS_LOGIN_RATE_LIMIT": "1000000 per minute",
        "LMS_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000",
    }
    with open(OUT / "gunicorn.out", "w") as log:
        server = subprocess.Popen(  # noqa: S603  (fixed command)
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def analyse(url: str) -> None:
    """ANALYZE the database before the run, as autovacuum would have done in production: the
    PostgreSQL of the development machine runs with autovacuum off, so the tables earlier runs
    filled (attempts, their slots) would otherwise keep the statistics of an empty table."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        autovacuum = connection.scalar(text("SHOW autovacuum"))
        began = time.perf_counter()
        connection.execute(text("ANALYZE"))
    engine.dispose()
    print(f"ANALYZE {time.perf_counter() - began:.1f} s (autovacuum {autovacuum})", flush=True)


def _locust(users: int, rate: float, duration: int, port: int, prefix, env, log, nice: int):
    command = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["-u", str(users), "-r", str(rate), "-t", f"{duration}s"]
    command += ["--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary"]
    command += ["--stop-timeout", "15"]
    subprocess.run(  # noqa: S603  (fixed command)
        command,
        cwd=ROOT,
        env=env,
        check=False,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509  (no threads)
    )


PROCESS_GROUPS = ("gunicorn", "locust", "postgres")  # by process name; the rest is "other"


def cpu_seconds() -> tuple[dict[str, tuple[str, float]], float]:
    """CPU seconds used so far by each process, with its group (gunicorn, locust, postgres or
    other, by process name), from /proc; and the machine's idle seconds (all cores)."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name, fields = stat.split(" (", 1)[1].rsplit(")", 1)
        user, system = fields.split()[11:13]
        group = next((g for g in PROCESS_GROUPS if name.startswith(g)), "other")
        processes[pid] = (group, (int(user) + int(system)) / tick)
    idle = int(Path("/proc/stat").read_text().split()[4]) / tick
    return processes, idle


class Sampler:
    """Readings taken every `step` seconds over a window of the run (from `start` to `end`
    seconds after `run` is called, in a thread), and once more when stopped early."""

    def __init__(self, step: float):
        self.step = step
        self._stop = threading.Event()

    def begin(self) -> None:
        """The first reading, at the window's start."""

    def take(self, elapsed: float) -> None:
        """One reading, `elapsed` seconds into the window."""
        raise NotImplementedError

    def run(self, start: float, end: float) -> None:
        if self._stop.wait(start):
            return
        began = time.monotonic()
        self.begin()
        while True:
            left = began + end - start - time.monotonic()
            stopped = self._stop.wait(min(self.step, max(0.0, left)))
            elapsed = time.monotonic() - began
            self.take(elapsed)
            if stopped or elapsed >= end - start:
                return

    def stop(self) -> None:
        self._stop.set()


class CpuMeter(Sampler):
    """The cores each process group used over the window, read every `step` seconds, so that
    a worker recycled or a connection closed during the window loses at most one step."""

    def __init__(self, step: float = 2.0):
        super().__init__(step)
        self.used, self.idle, self.seconds = {}, 0.0, 0.0

    def begin(self) -> None:
        self._last, self._idle = cpu_seconds()

    def take(self, elapsed: float) -> None:
        current, idle = cpu_seconds()
        for pid, (group, seconds) in current.items():
            spent = seconds - self._last.get(pid, (group, 0.0))[1]
            self.used[group] = self.used.get(group, 0.0) + max(spent, 0.0)
        self.idle += idle - self._idle
        self.seconds = elapsed
        self._last, self._idle = current, idle

    def shares(self) -> str:
        if not self.seconds:
            return ""
        cores = sorted(((g, s / self.seconds) for g, s in self.used.items()), key=lambda i: -i[1])
        parts = ", ".join(f"{g} {c:.2f}" for g, c in cores if c >= 0.005)
        return f"cores used: {parts}; idle {self.idle / self.seconds:.2f} of {os.cpu_count()}"


class AcceptQueue(Sampler):
    """How many connections waited for a free gunicorn worker (the listening socket's accept
    queue, `ss`'s Recv-Q), read every `step` seconds: the wait that gunicorn's own request
    time does not include."""

    def __init__(self, port: int, step: float = 0.25):
        super().__init__(step)
        self.port, self.samples = port, []

    def read(self) -> int | None:
        try:
            reply = subprocess.run(  # noqa: S603  (fixed command)
                ["/usr/bin/ss", "-Hltn", f"sport = :{self.port}"],
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError:  # no iproute2 on this machine: the line is left out
            return None
        fields = reply.stdout.split()
        return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None

    def take(self, elapsed: float) -> None:
        waiting = self.read()
        if waiting is not None:
            self.samples.append(waiting)

    def summary(self) -> str:
        if not self.samples:
            return ""
        busy = sum(1 for n in self.samples if n) / len(self.samples)
        return (
            f"accept queue: empty in {1 - busy:.0%} of {len(self.samples)} readings, "
            f"p95 {_p95(self.samples)}, max {max(self.samples)} connections"
        )


def run_step(users: int, rate: float, hold: int, port: int, first: int, nice: int = 0):
    """One locust run: ramp up to `users`, hold `hold` seconds; the stats of each request and
    the CPU shares during the hold."""
    prefix = OUT / f"load_{users}"
    ramp = int(users / rate)
    duration = ramp + hold
    env = os.environ | {
        "ANSWERS_LOG": str(OUT / "answers.jsonl"),
        "LOAD_FIRST_OFFICIAL": str(first),
    }
    meter, queue = CpuMeter(), AcceptQueue(port)
    window = (ramp + 10, max(ramp + 20, duration - 10))
    samplers = [threading.Thread(target=m.run, args=window, daemon=True) for m in (meter, queue)]
    for sampler in samplers:
        sampler.start()
    with open(f"{prefix}.out", "w") as log:
        _locust(users, rate, duration, port, prefix, env, log, nice)
    for measure, sampler in zip((meter, queue), samplers, strict=True):
        measure.stop()
        sampler.join(timeout=5)
    shares = "; ".join(filter(None, (meter.shares(), queue.summary())))
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = row
    return stats, shares


TAKING = ("test page", "start", "attempt page", "autosave", "submit")
ACCESS_LOG = OUT / "access.log"
ACCESS_LINE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) \S+ "[^"]*" "[^"]*" (\d+)$')


def request_kind(method: str, path: str) -> str | None:
    """The locustfile's name of a request, from its access-log line."""
    path = path.split("?")[0]
    if path == "/auth/login":
        return "login" if method == "POST" else "login page"
    if path.startswith("/courses/"):
        return "start" if path.endswith("/start") else "test page"
    if path.startswith("/attempts/"):
        if path.endswith("/save"):
            return "autosave"
        return "submit" if method == "POST" else "attempt page"
    return None


def server_times(skip: int) -> dict[str, list[int]]:
    """Milliseconds each request spent in gunicorn (the access log's last field), by kind,
    from line `skip` on: beside locust's times, they tell the server's share of a slow answer
    from the load generator's own delays."""
    times: dict[str, list[int]] = {}
    with open(ACCESS_LOG, encoding="utf-8") as log:
        for number, line in enumerate(log):
            match = ACCESS_LINE.search(line.rstrip()) if number >= skip else None
            kind = match and request_kind(match.group(1), match.group(2))
            if kind:
                times.setdefault(kind, []).append(int(match.group(4)))
    return times


def _p95(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0


def _lines() -> int:
    if not ACCESS_LOG.exists():
        return 0
    with open(ACCESS_LOG, encoding="utf-8") as log:
        return sum(1 for _ in log)


def summary(users: int, stats: dict, server: dict | None = None) -> tuple[bool, str]:
    """The step passes when no request failed and every test-taking request kind has a p95
    under the limit (the login, a deliberately slow scrypt check once per session, is shown
    but judged apart)."""
    lines, ok = [], True
    for name in ("login", *TAKING, "Aggregated"):
        row = stats.get(name)
        if not row:
            continue
        p95 = float(row["95%"] or 0)
        failures = int(row["Failure Count"])
        ok = ok and failures == 0 and (name not in TAKING or p95 < P95_LIMIT_MS)
        in_server = (server or {}).get(name)
        lines.append(
            f"  {name:<14} {int(row['Request Count']):>7} req  "
            f"median {float(row['Median Response Time'] or 0):>6.0f} ms  p95 {p95:>6.0f} ms  "
            f"max {float(row['Max Response Time'] or 0):>7.0f} ms  "
            f"{float(row['Requests/s']):>6.1f}/s  failures {failures}"
            + (f"  (in gunicorn: p95 {_p95(in_server)} ms)" if in_server else "")
        )
    return ok, f"{users} concurrent takers: {'ok' if ok else 'MISSED'}\n" + "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", default="50,100,200,400,800")
    parser.add_argument("--rate", type=float, default=10, help="users started per second")
    parser.add_argument("--hold", type=int, default=120, help="seconds at full load")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--generator-nice",
        type=int,
        default=0,
        help="niceness of locust (negative: ahead of the server it loads; needs root)",
    )
    args = parser.parse_args(argv)
    if args.database_url.rstrip("/").endswith("/test"):
        sys.exit("refusing the database `test`")
    if not LOCUST.exists():
        sys.exit(f"locust missing: make bench-load-venv (expected {LOCUST})")
    OUT.mkdir(exist_ok=True)
    (OUT / "answers.jsonl").unlink(missing_ok=True)
    analyse(args.database_url)
    server = start_server(args.database_url, args.workers, args.threads, args.port)
    best = 0
    try:
        first = 1
        for users in (int(u) for u in args.users.split(",")):
            skip = _lines()
            stats, shares = run_step(
                users, args.rate, args.hold, args.port, first, args.generator_nice
            )
            ok, text = summary(users, stats, server_times(skip))
            print(text, f"\n  during the hold, {shares}" if shares else "", flush=True)
            if not ok:
                break
            best = users
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(
        f"\nlargest number of concurrent takers with p95 < {P95_LIMIT_MS} ms and no error: {best}"
    )
    from bench.loadcheck import check

    lost = check(args.database_url, str(OUT / "answers.jsonl"))
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
