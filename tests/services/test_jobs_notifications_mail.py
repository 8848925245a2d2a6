"""Notifications by email: a real SMTP server (aiosmtpd) started by the test receives the
messages, in the user's language (Vietnamese by default, English for an English user), once.
The `smtp` and `people` fixtures here are shared by the other notification and job tests."""

import asyncio
import email
import email.policy
import os
import socket
import threading
from datetime import date, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from lms.extensions import db as _db
from lms.jobs import mailer
from lms.jobs.models import MAIL_FAILED, MAIL_PENDING, MAIL_SENT, MAIL_SKIPPED, Notification
from lms.jobs.notifications import notify, save_preferences
from tests.factories import make_learner, make_units


class Mailbox:
    """What the SMTP server received: (recipients, parsed message) pairs."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        with self.lock:
            return [message for rcpt, message in self.received if address in rcpt]

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on 127.0.0.1, and the app configured to send to it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", False)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "tinchi@snv.danang.gov.vn")
    monkeypatch.setitem(app.config, "LMS_BASE_URL", "https://tinchi.danang.gov.vn")
    mailbox.port = port
    yield mailbox
    controller.stop()


@pytest.fixture
def people(db):
    make_units()
    _db.session.commit()
    return {
        "lan": make_learner("NV001", "Nguyễn Thị Lan", "lan@danang.gov.vn"),
        "john": make_learner("NV002", "John Smith", "john@danang.gov.vn", locale="en"),
        "nomail": make_learner("NV003", "Trần Văn Bình", None),
    }


def _due_context(day: date) -> dict:
    return {
        "course_code": "BB01",
        "course_title": "Văn hóa công vụ và đạo đức công vụ",
        "course_title_en": "Public service culture and ethics",
        "due_on": day,
        "days_left": 7,
        "link": "/courses/BB01",
    }


def test_mail_is_received_in_vietnamese_by_default_and_in_english_for_an_english_user(
    people, smtp, db
):
    day = date(2026, 9, 2)
    notify(people["lan"].id, "due_7", "obligation:1", _due_context(day))
    notify(people["john"].id, "due_7", "obligation:2", _due_context(day))
    db.session.commit()  # delivery runs after the commit (immediate queue in tests)

    [vi] = smtp.to("lan@danang.gov.vn")
    assert vi["Subject"] == "Sắp đến hạn (còn 7 ngày): Văn hóa công vụ và đạo đức công vụ"
    assert vi["Content-Language"] == "vi"
    text = vi.get_body(("plain",)).get_content()
    assert "Kính gửi Nguyễn Thị Lan" in text
    assert "đến hạn vào ngày 02/09/2026" in text
    assert "https://tinchi.danang.gov.vn/courses/BB01" in text
    html = vi.get_body(("html",)).get_content()
    assert '<html lang="vi">' in html and "Mở trên hệ thống Tín chỉ" in html

    [en] = smtp.to("john@danang.gov.vn")
    assert en["Subject"] == "Due in 7 days: Public service culture and ethics"
    body = en.get_body(("plain",)).get_content()
    assert "Dear John Smith" in body and "due on Sep 2, 2026" in body
    assert en["From"] == "tinchi@snv.danang.gov.vn"

    states = dict(db.session.execute(select(Notification.user_id, Notification.email_state)).all())
    assert states == {people["lan"].id: MAIL_SENT, people["john"].id: MAIL_SENT}


def test_the_same_key_notifies_and_mails_once(people, smtp, db):
    for _ in range(3):
        notify(people["lan"].id, "overdue", "obligation:9", _due_context(date(2026, 1, 5)))
        db.session.commit()
    mailer.deliver_pending()
    assert len(smtp.to("lan@danang.gov.vn")) == 1
    assert db.session.query(Notification).count() == 1


def test_no_address_or_email_turned_off_keeps_the_inbox_entry_without_mail(people, smtp, db):
    save_preferences(people["lan"].id, {"due_30": False})
    db.session.commit()
    off = notify(people["lan"].id, "due_30", "k1", _due_context(date(2026, 9, 30)))
    none = notify(people["nomail"].id, "due_30", "k1", _due_context(date(2026, 9, 30)))
    on = notify(people["lan"].id, "due_7", "k1", _due_context(date(2026, 9, 30)))
    db.session.commit()
    assert (off.email_state, none.email_state) == (MAIL_SKIPPED, MAIL_SKIPPED)
    assert on.email_state == MAIL_SENT
    assert smtp.count() == 1


def test_a_refused_recipient_is_marked_failed_and_others_still_go(people, smtp, db, monkeypatch):
    original = smtp.handle_DATA

    async def refuse_lan(server, session, envelope):
        if "lan@danang.gov.vn" in envelope.rcpt_tos:
            return "554 Mailbox unavailable"
        return await original(server, session, envelope)

    monkeypatch.setattr(smtp, "handle_DATA", refuse_lan)
    notify(people["lan"].id, "overdue", "a", _due_context(date(2026, 1, 5)))
    notify(people["john"].id, "overdue", "a", _due_context(date(2026, 1, 5)))
    db.session.commit()
    states = dict(db.session.execute(select(Notification.user_id, Notification.email_state)).all())
    assert states == {people["lan"].id: MAIL_FAILED, people["john"].id: MAIL_SENT}


def test_an_unreachable_server_leaves_mail_pending_for_the_next_try(people, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", False)
    notify(people["lan"].id, "overdue", "a", _due_context(date(2026, 1, 5)))
    db.session.commit()
    assert db.session.scalar(select(Notification.email_state)) == MAIL_PENDING


def test_unknown_kind_is_refused_and_disabled_users_get_nothing(people, db):
    with pytest.raises(ValueError):
        notify(people["lan"].id, "no_such_kind", "x", {})
    people["lan"].is_enabled = False
    db.session.commit()
    assert notify(people["lan"].id, "overdue", "x", {}) is None


def test_every_kind_renders_in_both_languages(people, db, app):
    from lms.jobs.notifications import KINDS, render

    context = {
        "course_title": "Kỹ năng số",
        "course_code": "KN01",
        "due_on": date(2026, 5, 1),
        "expires_on": date(2026, 5, 1),
        "days_left": 3,
        "serial": "DN-2026-000001",
        "title": "Hội thảo",
        "credits": "1,5",
        "reason": "Thiếu minh chứng",
        "score": "8",
        "passed": True,
        "officials": 12,
        "overdue": 1,
        "due_soon": 2,
        "completions": 3,
        "external_waiting": 0,
        "week_start": date(2026, 6, 1),
        "week_end": date(2026, 6, 7),
        "units": ["Sở Nội vụ"],
        "step": "password",
        "failures": 5,
        "address": "203.0.113.7",
        "at": datetime(2026, 6, 1, 1, 30),
        "user": people["lan"],
        "link_url": "",
        "preferences_url": "u",
    }
    for kind in KINDS:
        for locale in ("vi", "en"):
            subject, body = render(kind, locale, context)
            assert subject and "\n" not in subject, (kind, locale)
            assert ("Kính gửi" if locale == "vi" else "Dear") in body, (kind, locale)


def test_links_in_mail_use_the_port_the_server_runs_on_when_no_base_url_is_set(
    app, people, smtp, db, monkeypatch
):
    """`PORT=5102 make run` with LMS_BASE_URL unset: the mail's link is on port 5102, where the
    site is, not on a fixed 5000 (today's main)."""
    import importlib

    import config

    monkeypatch.delenv("LMS_BASE_URL", raising=False)
    monkeypatch.delenv("FLASK_RUN_PORT", raising=False)
    monkeypatch.setenv("PORT", "5102")
    try:
        importlib.reload(config)
        monkeypatch.setitem(app.config, "LMS_BASE_URL", config.DevelopmentConfig.LMS_BASE_URL)
    finally:
        monkeypatch.delenv("PORT")
        importlib.reload(config)
    notify(people["lan"].id, "due_7", "obligation:1", _due_context(date(2026, 9, 2)))
    db.session.commit()
    [mail] = smtp.to("lan@danang.gov.vn")
    assert "http://127.0.0.1:5102/courses/BB01" in mail.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "8000"}, "http://127.0.0.1:8000"),
        ({"FLASK_RUN_PORT": "5102"}, "http://127.0.0.1:5102"),
        ({"PORT": "8000", "FLASK_RUN_PORT": "5102"}, "http://127.0.0.1:8000"),
        (
            {"PORT": "8000", "LMS_BASE_URL": "https://tinchi.danang.gov.vn/"},
            "https://tinchi.danang.gov.vn",
        ),
        ({"PORT": "not-a-port"}, "http://127.0.0.1:5000"),
    ],
)
def test_the_default_base_url_follows_the_port(environ, expected):
    from config import base_url

    assert base_url(environ) == expected


def test_make_run_hands_its_port_to_the_worker(tmp_path):
    """The job worker `make run` starts sends the mail: it must see PORT too (exported)."""
    import shutil
    import subprocess
    from pathlib import Path

    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    probe = tmp_path / "probe.mk"
    probe.write_text("probe:\n\t@echo port=$$PORT\n")
    env = {key: value for key, value in os.environ.items() if key != "PORT"}
    result = subprocess.run(
        [make, "-s", "-f", str(root / "Makefile"), "-f", str(probe), "probe"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "port=5000"
