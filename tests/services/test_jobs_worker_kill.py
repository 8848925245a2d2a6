"""A real worker process (`flask --app lms jobs worker`) killed with SIGKILL in the middle of a
bulk mailing, then restarted: every official is notified once and nobody gets a mail twice.
Runs on the Redis back end and on the SQLite one."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from lms.extensions import db as _db
from lms.jobs import enqueue
from lms.jobs.models import DONE, MAIL_FAILED, MAIL_SENT, JobRun, Notification
from lms.jobs.queue import get_queue
from tests.factories import make_learner, make_mandatory_course, make_obligation, make_units
from tests.services.test_jobs_notifications_mail import Mailbox, free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
OFFICIALS = 24
TODAY = date.today()


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    flask = Path(sys.executable).with_name("flask")
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(flask), "--app", "lms", "jobs", "worker", "--workers", "1", "--no-schedule"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _states() -> dict[str, int]:
    _db.session.expire_all()
    rows = _db.session.execute(
        select(Notification.email_state, func.count()).group_by(Notification.email_state)
    ).all()
    _db.session.commit()  # no read transaction stays open while the worker writes
    return dict(rows)


@pytest.mark.parametrize("backend", ["redis", "sqlite"])
def test_a_worker_killed_mid_mailing_and_restarted_sends_no_mail_twice(
    backend, app, db, tmp_path, monkeypatch
):
    url = (
        f"{REDIS}?name=test-kill-{uuid.uuid4().hex[:8]}"
        if backend == "redis"
        else f"sqlite:///{tmp_path}/jobs.sqlite3"
    )
    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", url)
    mailbox = Mailbox(delay=0.12)  # a slow relay, so the kill lands in the middle
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    queue = get_queue(app)
    worker = None
    try:
        make_units()
        course = make_mandatory_course()
        users = []
        for number in range(OFFICIALS):
            user = make_learner(
                f"K{number:03d}",
                f"Cán bộ {number}",
                f"k{number}@danang.gov.vn",
                locale="en" if number % 3 == 0 else None,
            )
            make_obligation(user.official_id, course, TODAY + timedelta(days=5))
            users.append(user)
        db.session.commit()
        run = enqueue("notifications.reminders", as_of=TODAY.isoformat())
        db.session.commit()
        run_id = run.id

        env = {
            **os.environ,
            "LMS_ENV": "development",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LMS_QUEUE_URL": url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(port),
            "LMS_JOB_STALE_SECONDS": "1",
        }
        log = tmp_path / "worker.log"
        worker = _start_worker(env, log)
        _wait(lambda: mailbox.count() >= 6, 20, "the first mails", log)
        _stop(worker)  # SIGKILL: no clean-up of any kind
        sent_before = mailbox.count()
        assert sent_before < OFFICIALS, "the worker finished before it could be killed"
        assert _db.session.get(JobRun, run_id).status != DONE

        time.sleep(1.2)  # the dead worker's heartbeat goes stale
        worker = _start_worker(env, log)
        _wait(
            lambda: _states().get("pending", 0) == 0 and "sending" not in _states(),
            20,
            "the remaining mails",
            log,
        )
        _wait(
            lambda: (_db.session.expire_all() or _db.session.get(JobRun, run_id).status) == DONE,
            10,
            "the job to finish",
            log,
        )
    finally:
        if worker is not None:
            _stop(worker)
        controller.stop()
        queue.huey.flush()
        app.extensions.pop("lms_queue", None)

    states = _states()
    # one notification per official; each mail was sent at most once (a message cut off by
    # the kill is marked failed, never sent again)
    assert sum(states.values()) == OFFICIALS
    assert states.get(MAIL_SENT, 0) + states.get(MAIL_FAILED, 0) == OFFICIALS
    assert states.get(MAIL_FAILED, 0) <= 1
    recipients = [rcpt for rcpts, _m in mailbox.received for rcpt in rcpts]
    assert len(recipients) == len(set(recipients)), "someone received the same mail twice"
    # the message cut off by the kill may or may not have reached the relay before it died
    assert states[MAIL_SENT] <= len(recipients) <= states[MAIL_SENT] + states.get(MAIL_FAILED, 0)
    assert len(recipients) >= OFFICIALS - 1
    english = mailbox.to("k0@danang.gov.vn") or mailbox.to("k3@danang.gov.vn")
    assert english and english[0]["Subject"].startswith("Due in 5 days")
    vietnamese = mailbox.to("k1@danang.gov.vn") or mailbox.to("k2@danang.gov.vn")
    assert vietnamese and vietnamese[0]["Subject"].startswith("Sắp đến hạn (còn 5 ngày)")
    finished = _db.session.get(JobRun, run_id)
    assert finished.attempts == 2
