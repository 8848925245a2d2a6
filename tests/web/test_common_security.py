"""HTTP hardening, sessions, two-factor authentication and rate limits, as a browser meets them."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
import time_machine

from config import ProductionConfig
from lms.extensions import limiter
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD


def _check_headers(response):
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_redirects_and_errors_carry_the_security_headers(client, login_as):
    _check_headers(client.get("/auth/login"))
    _check_headers(client.get("/"))  # a redirect to the login page
    _check_headers(client.get("/no-such-page"))
    page = login_as("hr").get("/officials/")
    _check_headers(page)
    assert page.headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_scripts(app):
    from pathlib import Path

    for template in Path(app.root_path, "..", "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+=", text), template


def test_session_cookie_flags(client, app):
    response = client.get("/auth/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_login_rotates_the_session(client, world):
    client.get("/auth/login")
    before = _session_cookie(client)
    login(client, "hr")
    after = _session_cookie(client)
    assert before != after
    attacker = client.application.test_client()
    attacker.set_cookie("session", before)  # a cookie planted before the login is worth nothing
    assert "/auth/login" in attacker.get("/officials/").location


def test_a_password_change_ends_the_other_sessions(app, world):
    first, second = app.test_client(), app.test_client()
    login(first, "hr")
    login(second, "hr")
    first.post(
        "/auth/password",
        data={
            "csrf_token": csrf_token(first, "/auth/password"),
            "current_password": PASSWORD,
            "new_password": "Song-Han-77",
            "confirm": "Song-Han-77",
        },
    )
    assert first.get("/officials/").status_code == 200
    assert "/auth/login" in second.get("/officials/").location


def test_a_role_change_ends_the_users_sessions(app, world, login_as, db):
    reviewer = login_as("reviewer")
    assert reviewer.get("/officials/").status_code == 200
    admin = login_as("admin")
    grant = world["reviewer"].grants[0]
    admin.post(
        f"/manage/users/{world['reviewer'].id}/grants/{grant.id}/revoke",
        data={"csrf_token": csrf_token(admin, "/auth/password")},
    )
    assert "/auth/login" in reviewer.get("/officials/").location


def test_idle_and_absolute_timeouts_log_out(app, world):
    with time_machine.travel("2026-11-26 08:00:00+00:00", tick=False) as traveller:
        client = app.test_client()
        login(client, "hr")
        traveller.shift(timedelta(minutes=59))
        assert client.get("/officials/").status_code == 200
        traveller.shift(timedelta(minutes=61))
        expired = client.get("/officials/")
        assert "/auth/login" in expired.location
        login(client, "hr")
        for _ in range(14):  # active all day: 14 × 55 min passes the 12-hour limit
            traveller.shift(timedelta(minutes=55))
            last = client.get("/officials/")
        assert last.status_code == 302 and "/auth/login" in last.location


def test_the_session_cookie_is_rewritten_once_a_minute_not_on_every_request(app, world):
    with time_machine.travel("2026-11-26 08:00:00+00:00", tick=False) as traveller:
        client = app.test_client()
        login(client, "hr")
        client.get("/officials/")  # the page's forms put a CSRF token in the new session
        traveller.shift(timedelta(seconds=20))
        assert "Set-Cookie" not in client.get("/officials/").headers  # nothing new to keep
        traveller.shift(timedelta(seconds=50))
        rewritten = client.get("/officials/").headers["Set-Cookie"]  # the last-seen time
        assert "Expires=Thu, 26 Nov 2026 20:01:10 GMT" in rewritten  # 12 hours from now
        traveller.shift(timedelta(minutes=30))
        assert client.get("/officials/").status_code == 200  # the idle clock moved on


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def test_two_factor_is_required_for_hr_when_configured_and_enrolment_works(app, world):
    app.config["LMS_2FA_REQUIRED_ROLES"] = ("hr_officer", "administrator")
    try:
        client = app.test_client()
        login(client, "hr")
        blocked = client.get("/officials/")
        assert blocked.location == "/auth/2fa/setup"
        setup = client.get("/auth/2fa/setup").get_data(as_text=True)
        secret = re.search(r"<code>([A-Z2-7]{32})</code>", setup).group(1)
        token = csrf_token(client, "/auth/2fa/setup")
        wrong = client.post("/auth/2fa/setup", data={"csrf_token": token, "code": "000000"})
        assert "Mã không đúng" in wrong.get_data(as_text=True) or wrong.status_code == 200
        enrolment_code = _code(secret)
        done = client.post("/auth/2fa/setup", data={"csrf_token": token, "code": enrolment_code})
        codes = re.findall(r"<code>(\d{5}-\d{5})</code>", done.get_data(as_text=True))
        assert len(codes) == 10
        assert client.get("/officials/").status_code == 200
        # next login: password, then the code
        fresh = app.test_client()
        assert login(fresh, "hr").location == "/auth/2fa"
        assert "/auth/login" in fresh.get("/officials/").location  # not logged in yet
        token = csrf_token(fresh, "/auth/2fa")
        fresh.post("/auth/2fa", data={"csrf_token": token, "code": "123456"})
        assert "/auth/login" in fresh.get("/officials/").location
        token = csrf_token(fresh, "/auth/2fa")
        used = fresh.post("/auth/2fa", data={"csrf_token": token, "code": enrolment_code})
        assert used.status_code == 200  # the code typed at enrolment works once only
        following = pyotp.TOTP(secret).at(time.time() + 30)  # the app's next code
        assert (
            fresh.post("/auth/2fa", data={"csrf_token": token, "code": following}).location == "/"
        )
        assert fresh.get("/officials/").status_code == 200
        # a recovery code works once
        for expected in ("/", None):
            other = app.test_client()
            login(other, "hr")
            token = csrf_token(other, "/auth/2fa")
            response = other.post("/auth/2fa", data={"csrf_token": token, "code": codes[0]})
            assert (response.location if response.status_code == 302 else None) == expected
    finally:
        app.config["LMS_2FA_REQUIRED_ROLES"] = ()


def test_production_requires_two_factor_for_administrators_and_hr():
    assert {"administrator", "hr_officer"} <= set(ProductionConfig.LMS_2FA_REQUIRED_ROLES)


def test_the_demo_logins_work_with_the_password_alone_outside_production(app, world):
    assert app.config["LMS_2FA_REQUIRED_ROLES"] == ()
    client = app.test_client()
    login(client, "admin")
    assert client.get("/manage/users").status_code == 200


@pytest.fixture
def rate_limits(app):
    app.config["LMS_LOGIN_RATE_LIMIT"] = "20 per minute"
    limiter.reset()
    yield
    limiter.reset()
    app.config["LMS_LOGIN_RATE_LIMIT"] = "10000 per minute"


def test_login_attempts_are_rate_limited_per_address(app, client, world, rate_limits):
    app.config["LMS_LOGIN_RATE_LIMIT"] = "5 per minute"
    statuses = [login(client, f"nobody{n}", "x").status_code for n in range(7)]
    assert statuses == [401] * 5 + [429] * 2  # different accounts: the limiter, not the lock
    page = login(client, "hr")
    assert page.status_code == 429 and "Quá nhiều yêu cầu" in page.get_data(as_text=True)


def test_access_logs_do_not_keep_searched_names():
    import logging

    from lms.security import RedactQueryStrings

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '%s - - [x] "%s" %s %s',
        ("127.0.0.1", "GET /officials/?q=Nguyễn+Văn+An HTTP/1.1", "200", "-"),
        None,
    )
    RedactQueryStrings().filter(record)
    line = record.getMessage()
    assert "Nguy" not in line and "GET /officials/?… HTTP/1.1" in line


def test_a_nul_character_in_any_input_is_refused_cleanly(login_as):
    client = login_as("hr")
    assert client.get("/officials/", query_string={"q": "Nguy\x00ễn"}).status_code == 400
    token = csrf_token(client, "/auth/password")
    response = client.post("/officials/new", data={"csrf_token": token, "full_name": "A\x00B"})
    assert response.status_code == 400


def test_production_sends_hsts_and_development_does_not(app, monkeypatch):
    import secrets

    from lms import create_app
    from tests.web.test_auth_login_throttling import limiter_kept

    assert "Strict-Transport-Security" not in app.test_client().get("/auth/login").headers
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "redis://x:1/0"}
    with limiter_kept():
        production = create_app("production", settings)
        answer = production.test_client().get("/static/app.css")
        answer.close()
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
