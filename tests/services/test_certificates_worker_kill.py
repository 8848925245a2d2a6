"""A real worker process killed with SIGKILL in the middle of a bulk certificate issue (30
requested certificates, one job, progress committed every 10), then restarted: every
completion has exactly one certificate, serials stay gap-free, and each holder is notified and
mailed once. Runs on the Redis back end and on the SQLite one."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from lms.certificates.models import Certificate
from lms.curricula.completions.models import CERT_REQUESTED, Completion
from lms.extensions import db as _db
from lms.jobs import enqueue
from lms.jobs.models import DONE, MAIL_FAILED, MAIL_SENT, JobRun, Notification
from lms.jobs.queue import get_queue
from tests.factories import import_course, make_learner, make_units
from tests.services.test_jobs_notifications_mail import Mailbox, free_port
from tests.services.test_jobs_worker_kill import REDIS, _stop, _wait

ROOT = Path(__file__).resolve().parents[2]
HOLDERS = 30

# The worker, with each certificate taking 0.15 s to build, so the kill lands mid-job.
SLOW_WORKER = """
import sys, time
import lms.models  # every model, so the mappers configure
import lms.certificates.services as services
original = services._build
def slow(*args, **kwargs):
    time.sleep(0.15)
    return original(*args, **kwargs)
services._build = slow
from flask.cli import main
sys.argv = ["flask", "--app", "lms", "jobs", "worker", "--workers", "1", "--no-schedule"]
main()
"""


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", SLOW_WORKER],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _count(model) -> int:
    _db.session.expire_all()
    value = _db.session.scalar(select(func.count()).select_from(model))
    _db.session.commit()  # no read transaction stays open while the worker writes
    return value


def _mail_settled() -> bool:
    _db.session.expire_all()
    states = dict(
        _db.session.execute(
            select(Notification.email_state, func.count()).group_by(Notification.email_state)
        ).all()
    )
    _db.session.commit()
    return sum(states.values()) == HOLDERS and not ({"pending", "sending"} & set(states))


@pytest.mark.parametrize("backend", ["redis", "sqlite"])
def test_a_worker_killed_mid_bulk_issue_leaves_no_duplicate_certificate_or_mail(
    backend, app, db, tmp_path, monkeypatch, assets_dir
):
    url = (
        f"{REDIS}?name=test-certkill-{uuid.uuid4().hex[:8]}"
        if backend == "redis"
        else f"sqlite:///{tmp_path}/jobs.sqlite3"
    )
    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", url)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    queue = get_queue(app)
    worker = None
    try:
        make_units()
        course = import_course()
        for number in range(HOLDERS):
            user = make_learner(f"CK{number:03d}", f"Cán bộ {number}", f"ck{number}@danang.gov.vn")
            db.session.add(
                Completion(
                    official_id=user.official_id,
                    course_id=course.id,
                    completed_on=date.today(),
                    source="in_person",
                    source_ref=f"kill:{number}",
                    certificate_state=CERT_REQUESTED,
                )
            )
        db.session.commit()
        run_id = enqueue("certificates.issue_requested").id
        db.session.commit()

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
        _wait(lambda: _count(Certificate) >= 10, 30, "the first batch of certificates", log)
        _stop(worker)  # SIGKILL in the middle of the job
        issued_before = _count(Certificate)
        assert 10 <= issued_before < HOLDERS, "the worker finished before it could be killed"
        assert _db.session.get(JobRun, run_id).status != DONE

        time.sleep(1.2)  # the dead worker's heartbeat goes stale
        worker = _start_worker(env, log)
        _wait(
            lambda: (_db.session.expire_all() or _db.session.get(JobRun, run_id).status) == DONE,
            40,
            "the job to finish",
            log,
        )
        _wait(_mail_settled, 20, "the mail", log)
    finally:
        if worker is not None:
            _stop(worker)
        controller.stop()
        queue.huey.flush()
        app.extensions.pop("lms_queue", None)

    _db.session.expire_all()
    # one certificate per completion, serials gap-free
    rows = _db.session.execute(select(Certificate.completion_id, Certificate.number)).all()
    assert len(rows) == HOLDERS
    assert len({completion for completion, _n in rows}) == HOLDERS
    assert sorted(number for _c, number in rows) == list(range(1, HOLDERS + 1))
    assert (
        _db.session.scalar(
            select(func.count())
            .select_from(Completion)
            .where(Completion.certificate_state != "issued")
        )
        == 0
    )
    # one "certificate issued" notification per holder, each mailed at most once
    notes = _db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.email_state)
    ).all()
    assert len(notes) == HOLDERS and {kind for _u, kind, _s in notes} == {"certificate_issued"}
    assert len({user for user, _k, _s in notes}) == HOLDERS
    states = [state for _u, _k, state in notes]
    assert states.count(MAIL_SENT) + states.count(MAIL_FAILED) == HOLDERS
    recipients = [rcpt for rcpts, _m in mailbox.received for rcpt in rcpts]
    assert len(recipients) == len(set(recipients)), "someone received the same mail twice"
    assert len(recipients) >= HOLDERS - 1
    subject = mailbox.to("ck1@danang.gov.vn")[0]["Subject"]
    assert subject == f"Giấy chứng nhận đã được cấp: {course.title}"
    finished = _db.session.get(JobRun, run_id)
    assert (finished.attempts, finished.done, finished.total) == (2, finished.total, finished.total)
    assert finished.result["issued"] == HOLDERS - issued_before  # the rest, after the restart
