"""Timing helpers of the benchmarks: repeated runs with median and p95, the result table, and a
logged-in Flask test client."""

import re
import statistics
import time
from dataclasses import dataclass

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Result:
    """One timed operation: its runs (seconds), its floor's runs, and its target."""

    label: str
    runs: list[float]
    floor: list[float] | None = None
    target: float | None = None  # seconds, compared with p95 (or the single run)
    target_ratio: float | None = None  # × the floor's median
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None

    @property
    def ratio(self) -> float | None:
        floor = self.floor_median
        return self.median / floor if floor else None

    @property
    def verdict(self) -> str:
        if self.target is None and self.target_ratio is None:
            return ""
        ok = self.target is None or self.p95 <= self.target
        if self.target_ratio is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.target_ratio
        return "ok" if ok else "MISSED"

    def line(self) -> str:
        floor = f"{_ms(self.floor_median):>10}" if self.floor else f"{'':>10}"
        ratio = f"{self.ratio:7.1f}×" if self.ratio else f"{'':>8}"
        target = ""
        if self.target is not None:
            target = f"≤ {_ms(self.target)}"
        if self.target_ratio is not None:
            target += f"{', ' if target else ''}≤ {self.target_ratio:g}× floor"
        return (
            f"{self.label:<46} {len(self.runs):>4} {_ms(self.median):>10} {_ms(self.p95):>10} "
            f"{floor} {ratio}  {target:<22} {self.verdict} {self.note}"
        )


HEADER = (
    f"{'operation':<46} {'runs':>4} {'median':>10} {'p95':>10} {'raw-SQL':>10} {'ratio':>8}  "
    f"{'target':<22}"
)


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


def runs(work, repeat: int, warmup: int = 2) -> list[float]:
    """Seconds of `repeat` calls of `work` after `warmup` untimed ones."""
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return times


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def login(app, username: str, password: str):
    """A test client logged in as `username` (through the real login form)."""
    client = app.test_client()
    token = csrf_token(client, "/auth/login")
    reply = client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert reply.status_code == 302, f"login of {username} failed ({reply.status_code})"
    return client


def check(reply, status: int = 200):
    """Fail loudly when a timed page does not answer as expected."""
    assert reply.status_code == status, f"{reply.request.path}: HTTP {reply.status_code}"
    return reply
