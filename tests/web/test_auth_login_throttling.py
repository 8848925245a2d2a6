"""Login throttling as users and attackers meet it: the account slows down for devices it has
not seen (never a lock the owner cannot pass), device cookies, the address limit, the real
client behind a trusted proxy, and the notice a staff account gets (issue 18)."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from lms import create_app
from lms.audit.models import AuditEntry
from lms.auth import devices
from lms.auth.models import LoginFailure
from lms.extensions import limiter
from lms.jobs.models import Notification
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.services.test_jobs_notifications_mail import smtp  # noqa: F401 (fixture)

ATTACKER = "203.0.113.66"
MORNING = "2026-11-26 01:00:00+00:00"  # 08:00 in Đà Nẵng


def client_at(app, address: str):
    """A browser whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def logout(client) -> None:
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})


def device_cookie(client, username: str):
    with client.application.test_request_context():
        return client.get_cookie(devices.cookie_name(username), path="/auth/")


def _actions(db, action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


def test_failures_slow_the_account_down_exponentially_up_to_fifteen_minutes(app, world, db):
    with time_machine.travel(MORNING, tick=False) as clock:
        client = app.test_client()
        for _ in range(5):
            assert login(client, "hr", "wrong").status_code == 401
        waits = []
        for expected in (30, 60, 120, 240, 480, 900, 900):  # seconds after each failure
            refused = login(client, "hr", PASSWORD)
            assert refused.status_code == 429
            waits.append(refused.get_data(as_text=True))
            clock.shift(timedelta(seconds=expected - 1))
            assert login(client, "hr", PASSWORD).status_code == 429  # refusals add nothing
            clock.shift(timedelta(seconds=1))
            assert login(client, "hr", "wrong").status_code == 401  # one more guess, then wait
        assert "1 phút" in waits[0] and "8 phút" in waits[4] and "15 phút" in waits[5]
        clock.shift(timedelta(minutes=15))
        assert login(client, "hr", PASSWORD).status_code == 302
    assert _actions(db, "login.locked") == 1  # audited when the slow-down began


def test_a_known_device_logs_in_while_failures_from_elsewhere_slow_the_account(app, world):
    with time_machine.travel(MORNING, tick=False):
        office = app.test_client()
        assert login(office, "admin").status_code == 302
        assert device_cookie(office, "admin") is not None
        logout(office)
        attacker = client_at(app, ATTACKER)
        for _ in range(5):
            login(attacker, "admin", "wrong")
        assert login(attacker, "admin", PASSWORD).status_code == 429
        # a browser that never logged in to the account waits too, wherever it is…
        assert login(app.test_client(), "admin", PASSWORD).status_code == 429
        # …but the administrator's own computer gets in at once
        assert login(office, "admin").status_code == 302


def test_a_device_cookie_counts_only_for_its_own_account_and_cannot_be_forged(app, world):
    with time_machine.travel(MORNING, tick=False):
        learner = app.test_client()
        login(learner, "learner")
        own = device_cookie(learner, "learner").value
        for _ in range(5):
            login(client_at(app, ATTACKER), "hr", "wrong")
        with app.test_request_context():
            hr_cookie = devices.cookie_name("hr")
        borrowed = app.test_client()  # the learner's cookie put under hr's name
        borrowed.set_cookie(hr_cookie, own, path="/auth/")
        assert login(borrowed, "hr", PASSWORD).status_code == 429
        forged = app.test_client()
        forged.set_cookie(hr_cookie, own[:-4] + "AAAA", path="/auth/")
        assert login(forged, "hr", PASSWORD).status_code == 429


def test_a_device_cookie_is_limited_on_its_own_failures(app, world, db):
    with time_machine.travel(MORNING, tick=False) as clock:
        browser = app.test_client()
        login(browser, "reviewer")
        logout(browser)
        for _ in range(10):  # LMS_DEVICE_MAX_FAILURES; the account itself does not slow down
            assert login(browser, "reviewer", "wrong").status_code == 401
        assert login(browser, "reviewer", PASSWORD).status_code == 429
        assert "thiết bị này" in login(browser, "reviewer", PASSWORD).get_data(as_text=True)
        assert _actions(db, "login.device_locked") == 1
        assert login(client_at(app, "198.51.100.1"), "reviewer").status_code == 302
        clock.shift(timedelta(minutes=16))
        assert login(browser, "reviewer").status_code == 302


def test_an_address_is_refused_after_twenty_failures_but_not_known_devices_there(app, world, db):
    with time_machine.travel(MORNING, tick=False):
        office = client_at(app, ATTACKER)  # a ward office behind one address
        login(office, "admin")
        logout(office)
        guesser = client_at(app, ATTACKER)
        for attempt in range(20):
            login(guesser, f"guess{attempt}", "wrong")
        assert login(guesser, "hr", PASSWORD).status_code == 429
        assert login(client_at(app, "198.51.100.2"), "hr", PASSWORD).status_code == 302
        assert login(office, "admin").status_code == 302
        assert _actions(db, "login.address_locked") == 1


def test_a_success_forgets_only_the_same_clients_typos(app, world):
    with time_machine.travel(MORNING, tick=False):
        client = app.test_client()
        for _ in range(4):
            login(client, "hr", "wrong")
        assert login(client, "hr", PASSWORD).status_code == 302
        for _ in range(4):  # a fresh browser (no device cookie) starts from nothing again
            login(app.test_client(), "hr", "wrong")
        assert login(app.test_client(), "hr", PASSWORD).status_code == 302
        for _ in range(4):
            login(client_at(app, ATTACKER), "hr", "wrong")
        login(app.test_client(), "hr", PASSWORD)  # the user's success elsewhere…
        login(client_at(app, ATTACKER), "hr", "wrong")  # …does not reset the attacker's count
        assert login(client_at(app, ATTACKER), "hr", PASSWORD).status_code == 429


def test_a_staff_account_is_told_of_a_burst_of_failures_once_a_day(
    app,
    world,
    db,
    smtp,  # noqa: F811
):
    world["hr"].email = "hr@snv.danang.gov.vn"
    world["learner"].email = "learner@danang.gov.vn"
    db.session.commit()
    with time_machine.travel(MORNING, tick=False) as clock:
        for _ in range(9):
            clock.shift(timedelta(minutes=16))  # wait out the slow-down each time
            login(client_at(app, ATTACKER), "hr", "wrong")
            login(client_at(app, ATTACKER), "learner", "wrong")
    [mail] = smtp.to("hr@snv.danang.gov.vn")
    assert mail["Subject"] == "Tài khoản hr bị đăng nhập sai nhiều lần"
    text = mail.get_body(("plain",)).get_content()
    assert "5 lần" in text and ATTACKER in text and "vẫn đăng nhập bình thường" in text
    notes = db.session.scalars(select(Notification)).all()
    assert [(n.user_id, n.kind) for n in notes] == [(world["hr"].id, "login_failures")]
    assert smtp.to("learner@danang.gov.vn") == []  # officials without a role are not mailed


def test_the_security_notice_cannot_be_turned_off(login_as):
    page = login_as("hr").get("/inbox/preferences").get_data(as_text=True)
    assert "email_login_failures" not in page and "email_weekly_digest" in page


@contextmanager
def limiter_kept():
    """Creating another app binds the one Flask-Limiter object to it (new storage and all):
    give the suite's app its limiter back afterwards."""
    saved = dict(limiter.__dict__)
    try:
        yield
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)


@pytest.fixture
def proxied_app(app, db):
    """The application behind one trusted reverse proxy, on the suite's database."""
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    with limiter_kept():
        proxied = create_app(
            "testing", {"SQLALCHEMY_DATABASE_URI": database, "LMS_TRUSTED_PROXIES": 1}
        )
        proxied.test_client_class = type(app.test_client())
        yield proxied
        with proxied.app_context():
            db.engine.dispose()


def _from(client, forwarded_for: str | None) -> None:
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for


def test_behind_a_trusted_proxy_each_client_counts_for_itself(proxied_app, world, db):
    with time_machine.travel(MORNING, tick=False):
        guesser = proxied_app.test_client()
        _from(guesser, "198.51.100.9")
        for attempt in range(20):
            login(guesser, f"guess{attempt}", "wrong")
        assert login(guesser, "hr", PASSWORD).status_code == 429
        colleague = proxied_app.test_client()
        _from(colleague, "198.51.100.10")
        assert login(colleague, "hr", PASSWORD).status_code == 302
        # a client cannot choose its address: the proxy appends the real one on the right
        spoofer = proxied_app.test_client()
        _from(spoofer, "198.51.100.10, 198.51.100.9")
        assert login(spoofer, "hr", PASSWORD).status_code == 429
    addresses = set(db.session.scalars(select(LoginFailure.address)))
    assert addresses == {"198.51.100.9"}


def test_without_trusted_proxies_a_forged_forwarded_for_header_is_ignored(app, world, db):
    with time_machine.travel(MORNING, tick=False):
        for attempt in range(20):
            guesser = client_at(app, ATTACKER)
            guesser.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{attempt}"
            login(guesser, f"guess{attempt}", "wrong")
        fresh = client_at(app, ATTACKER)
        fresh.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.200"
        assert login(fresh, "hr", PASSWORD).status_code == 429
    assert set(db.session.scalars(select(LoginFailure.address))) == {ATTACKER}
