"""No personal data in server logs (issue 18): a search for a name or an email in the query string
leaves neither in the access log of Werkzeug's development server (coloured lines included) nor
in gunicorn's (request line, Referer, its own warnings)."""

import logging
import secrets
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

from werkzeug.serving import make_server

from lms.common.logredact import redact_query
from tests.web.test_common_production_server import _environment, _start, _wait_until_up

NAME, EMAIL = "Nguyễn Văn A", "x@y"
QUERY = urllib.parse.urlencode({"q": NAME, "email": EMAIL})
# Whatever form the values take in a log line: as typed, percent-encoded, or with + for spaces.
TRACES = ("Nguy", "Văn", "V%C4%83n", "x@y", "x%40y", "email=", "q=")
REDIS_DB = "redis://127.0.0.1:6379/15"


def _leaks(text: str) -> list[str]:
    return [trace for trace in TRACES if trace in text]


def _get(url: str, **headers) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http:// built here)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_the_development_servers_access_log_keeps_no_searched_name_or_email(app, db):
    """Werkzeug colours every line but a 200 (a redirect green, a 404 yellow); the colour code
    stood right before the method, so the old filter missed those lines."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    captured = _Lines()
    logger = logging.getLogger("werkzeug")
    logger.addHandler(captured)
    level, disabled = logger.level, logger.disabled
    logger.setLevel(logging.INFO)
    logger.disabled = False  # Alembic's fileConfig (a migration test before) turns it off
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        statuses = [
            _get(f"{base}/auth/login?{QUERY}"),  # 200, plain
            _get(f"{base}/officials/?{QUERY}"),  # 302 to the login page, green
            _get(f"{base}/no-such-page?{QUERY}"),  # 404, yellow
        ]
    finally:
        server.shutdown()
        thread.join(timeout=10)
        logger.removeHandler(captured)
        logger.setLevel(level)
        logger.disabled = disabled
    assert statuses == [200, 302, 404]
    access = [line for line in captured.lines if "GET /" in line]
    assert len(access) == 3, captured.lines
    assert any("\x1b[" in line for line in access)  # the coloured lines are among them
    assert _leaks("\n".join(captured.lines)) == []
    assert "GET /officials/?… HTTP/1.1" in "\n".join(access)


def test_gunicorns_access_log_keeps_no_searched_name_email_or_referer(app, db, tmp_path):
    """gunicorn with gunicorn.conf.py, as deployed: the request line, the Referer (a page of
    search results sends its own address on) and the warning about a malformed request line."""
    access_log = tmp_path / "access.log"
    server_log = tmp_path / "gunicorn.log"
    env = _environment(app, LMS_RATELIMIT_STORAGE_URL=REDIS_DB)
    env["GUNICORN_ACCESSLOG"] = str(access_log)
    process, base = _start(env, server_log)
    try:
        _wait_until_up(process, base, server_log)
        referer = f"{base}/officials/?{QUERY}"
        assert _get(f"{base}/auth/login?{QUERY}", Referer=referer) == 200
        assert _get(f"{base}/officials/?{QUERY}") == 302
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as raw:
            raw.sendall(f"GET /?q={NAME} {EMAIL} HTTP/1.1\r\n\r\n".encode())
            raw.recv(1024)  # 400: the name's spaces broke the request line
    finally:
        process.terminate()
        process.wait(timeout=30)
    lines = access_log.read_text(encoding="utf-8")
    assert "GET /auth/login?… HTTP/1.1" in lines and f'"{base}/officials/?…"' in lines
    assert _leaks(lines) == []
    messages = server_log.read_text(encoding="utf-8")
    assert "Invalid request" in messages
    assert _leaks(messages) == [], messages


def test_redaction_takes_the_whole_query_and_leaves_the_rest():
    assert redact_query("GET /a?q=Nguyễn%20Văn HTTP/1.1") == "GET /a?… HTTP/1.1"
    coloured = "\x1b[33mGET /a?q=x@y HTTP/1.1\x1b[0m"
    assert redact_query(coloured) == "\x1b[33mGET /a?… HTTP/1.1\x1b[0m"
    assert redact_query("http://h/officials/?q=Nguyễn") == "http://h/officials/?…"
    assert redact_query("Bad request syntax ('GET /?q=Nguyễn Văn A HTTP/1.1')") == (
        "Bad request syntax ('GET /?… HTTP/1.1')"
    )
    assert redact_query("GET /officials/DN000001 HTTP/1.1") == "GET /officials/DN000001 HTTP/1.1"
    assert redact_query(secrets) is secrets  # not text: left alone
