"""The production set-up as deployed (issue 18): gunicorn with gunicorn.conf.py and the
production configuration, behind one trusted proxy, two app servers sharing their rate-limit
counters in Redis; and the refusal to start with counters each worker would keep alone."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
OPENER = urllib.request.build_opener()  # http:// to the servers started here only
LIMITER_KEYS = "LIMITS:*"  # Flask-Limiter's keys in Redis (nothing else of the suite uses them)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(app, **settings) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LMS_", "GUNICORN_", "FORWARDED_"))
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        LMS_QUEUE_URL="immediate://",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG="/dev/null",
        LMS_SIGNING_DIR=os.environ["LMS_SIGNING_DIR"],  # the run's keys (tests/conftest.py)
        **settings,
    )
    return env


def _start(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}"


def _wait_until_up(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped: {log.read_text()[-2000:]}")
        try:
            with OPENER.open(base + "/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer: {log.read_text()[-2000:]}")


@pytest.fixture
def servers(app, db, tmp_path):
    """Two app servers (one worker each) as a load balancer would have them: production
    configuration, one trusted proxy, rate limits in Redis."""
    env = _environment(
        app,
        LMS_RATELIMIT_STORAGE_URL=REDIS,
        LMS_TRUSTED_PROXIES="1",
        LMS_API_BAD_TOKEN_RATE_LIMIT="4 per minute",
    )
    log = tmp_path / "gunicorn.log"
    started = [_start(env, log) for _ in range(2)]
    try:
        for process, base in started:
            _wait_until_up(process, base, log)
        yield [base for _process, base in started]
    finally:
        for process, _base in started:
            process.terminate()
        for process, _base in started:
            process.wait(timeout=30)
        store = redis.Redis.from_url(REDIS)
        for key in store.scan_iter(LIMITER_KEYS):
            store.delete(key)


def _api(base: str, client: str) -> int:
    """The status of an API request with a made-up token, `client` as the proxy forwards it."""
    opener = urllib.request.build_opener()
    opener.addheaders = [
        ("Authorization", f"Bearer tc_{secrets.token_urlsafe(8)}"),
        ("X-Forwarded-For", client),
    ]
    try:
        with opener.open(base + "/api/v1/officials", timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_app_servers_share_the_counters_and_count_the_client_behind_the_proxy(servers):
    first, second = servers
    # the same client, alternately on each server: four refusals of made-up tokens in all
    statuses = [_api(first if n % 2 == 0 else second, "198.51.100.20") for n in range(8)]
    assert statuses == [401] * 4 + [429] * 4
    # the proxy's address is not what counts: another client behind it has its own budget
    assert _api(second, "198.51.100.21") == 401
    # and a client cannot pick its address: the proxy appends the real one on the right
    assert _api(first, "198.51.100.21, 198.51.100.20") == 429
    with OPENER.open(first + "/auth/login", timeout=30) as page:
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_refuses_to_start_with_rate_limits_kept_per_worker(app, db, tmp_path):
    log = tmp_path / "gunicorn.log"
    process, _base = _start(_environment(app), log)  # LMS_RATELIMIT_STORAGE_URL unset
    try:
        assert process.wait(timeout=90) != 0
    finally:  # a server that did start (the refusal broken) must not outlive the test
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    assert "LMS_RATELIMIT_STORAGE_URL is memory://" in log.read_text()


def test_gunicorn_believes_forwarded_headers_only_when_there_is_a_proxy(monkeypatch):
    import runpy

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("LMS_TRUSTED_PROXIES", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == ""
    monkeypatch.setenv("LMS_TRUSTED_PROXIES", "1")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == "10.0.0.2"
