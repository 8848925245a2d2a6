"""Retention of personal data (lms/privacy/retention.py): each kind is deleted by the nightly
run once its period is over — kept through the day D + N, deleted by the run of day D + N + 1 —
checked on a frozen clock the day before, of and after each boundary. The credit ledger,
attempts' scores and frozen statements are records and stay."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from lms.assessments import attempts, quizzes
from lms.assessments.models import GRADED, Attempt, AttemptSlot
from lms.audit import reads
from lms.audit.models import AuditEntry
from lms.audit.services import record
from lms.auth.models import LoginFailure
from lms.common import sealing
from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger.models import LedgerEntry
from lms.jobs import enqueue
from lms.jobs.models import DONE, MAIL_PENDING, MAIL_SENT, JobRun, Notification
from lms.jobs.notifications import notify
from lms.organisation import import_jobs
from lms.privacy import retention
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import finish_lessons, form_for, official_id

# Made on Monday 2 March 2026 at 23:30 in Vietnam (16:30 UTC): the Vietnamese day counts.
MADE = datetime(2026, 3, 2, 16, 30)
MADE_ON = date(2026, 3, 2)
KEEP_DAYS = 10  # every kind set to 10 days: kept through 12 March, deleted on 13 March
BOUNDARY = [
    (MADE_ON + timedelta(days=KEEP_DAYS - 1), False),  # the day before the last day
    (MADE_ON + timedelta(days=KEEP_DAYS), False),  # the last day it is kept
    (MADE_ON + timedelta(days=KEEP_DAYS + 1), True),  # the day after: deleted
]
SETTINGS = (
    "LMS_RETENTION_ATTEMPT_DAYS",
    "LMS_RETENTION_EVIDENCE_DAYS",
    "LMS_RETENTION_LOGIN_DAYS",
    "LMS_RETENTION_NOTIFICATION_DAYS",
    "LMS_FILE_RETENTION_DAYS",  # uploads and bulk downloads: lms.jobs.retention, in the nightly
)


@pytest.fixture
def kept_ten_days(app, monkeypatch, tmp_path):
    for name in SETTINGS:
        monkeypatch.setitem(app.config, name, KEEP_DAYS)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path


@pytest.fixture
def records(world, kept_ten_days, assets_dir, freeze, db):
    """At MADE: the learner's graded test attempt (answers, a comment, its ledger entry), an
    approved external training with its evidence file, a failed sign-in, a read of their record
    in the audit log, an uploaded import file, a sent notification and one still to send."""
    freeze(MADE)
    course = make_test_course()
    finish_lessons(course)
    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id(), random.Random(1))
    attempts.save_responses(attempt, form_for(attempt))
    attempts.submit(attempt)
    db.session.query(AttemptSlot).filter_by(attempt_id=attempt.id).update({"comment": "Tốt"})
    evidence = kept_ten_days / "external_evidence" / "ab12.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 minh chung")
    learner = world["learner"].official
    db.session.add(
        ExternalRecord(
            official_id=learner.id,
            title="Hội thảo chuyển đổi số",
            organiser="Sở Thông tin",
            starts_on=MADE_ON,
            ends_on=MADE_ON,
            periods=8,
            evidence_name="giay-chung-nhan.pdf",
            evidence_path="external_evidence/ab12.pdf",
            evidence_sha256="ab" * 32,
            status="approved",
            credits_granted=Decimal("0.5"),
            decided_at=MADE,
        )
    )
    db.session.add(LoginFailure(username="learner", address="203.0.113.9", at=MADE))
    reads.record_view(world["hr"], "official.viewed", learner, "203.0.113.7")
    record(world["hr"], "official.updated", "official", learner.employee_code)  # a change: kept
    token = import_jobs.create(world["hr"].id, "ds.xlsx", b"PK", 1, False)
    sent = notify(world["learner"].id, "external_approved", "r:1", {"title": "A", "credits": "1"})
    waiting = notify(world["hr"].id, "external_approved", "r:2", {"title": "B", "credits": "1"})
    sent.email_state = MAIL_SENT
    waiting.email_state = MAIL_PENDING
    db.session.commit()
    return {"attempt": attempt.id, "evidence": evidence, "upload": token}


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize(("today", "deleted"), BOUNDARY, ids=lambda v: str(v))
def test_each_kind_is_kept_through_its_last_day_and_deleted_the_day_after(
    records, db, freeze, kept_ten_days, today, deleted
):
    ledger_before = _count(db, LedgerEntry)
    notified = _count(db, Notification, Notification.email_state != MAIL_PENDING)  # sent, skipped
    freeze(datetime.combine(today, datetime.min.time()) - timedelta(hours=5))  # 02:00 in VN
    counts = retention.apply(today)
    db.session.commit()
    db.session.expire_all()

    slots = db.session.scalars(
        select(AttemptSlot).where(AttemptSlot.attempt_id == records["attempt"])
    ).all()
    assert all(slot.response is None for slot in slots) is deleted
    assert all(slot.comment == "" for slot in slots) is deleted
    attempt = db.session.get(Attempt, records["attempt"])
    assert (attempt.status, attempt.passed, attempt.percent) == (GRADED, True, Decimal(100))
    assert records["evidence"].exists() is not deleted
    external = db.session.scalar(select(ExternalRecord))
    assert (external.evidence_path is None) is deleted
    assert external.evidence_sha256 == "ab" * 32 and external.credits_granted == Decimal("0.5")
    assert _count(db, LoginFailure) == (0 if deleted else 1)
    assert _count(db, AuditEntry, AuditEntry.action == "official.viewed") == (0 if deleted else 1)
    assert _count(db, AuditEntry, AuditEntry.action == "official.updated") == 1
    left = _count(db, Notification, Notification.email_state != MAIL_PENDING)
    assert left == (0 if deleted else notified) and notified >= 1
    assert _count(db, Notification, Notification.email_state == MAIL_PENDING) == 1  # not sent yet
    # The ledger is a record: never touched.
    assert _count(db, LedgerEntry) == ledger_before >= 1
    expected = 1 if deleted else 0
    assert counts == {
        "attempts": expected,
        "evidence": expected,
        "logins": 2 * expected,
        "notifications": notified * expected,
    }
    applied = db.session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "retention.applied")
    ).all()
    assert sorted(applied) == (sorted(counts) if deleted else [])


def test_a_period_of_zero_keeps_the_kind_for_good(records, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_RETENTION_LOGIN_DAYS", 0)
    counts = retention.apply(MADE_ON + timedelta(days=3650))
    db.session.commit()
    assert "logins" not in counts and counts["notifications"] >= 1
    assert _count(db, LoginFailure) == 1


def test_the_nightly_run_applies_the_retention_periods(records, db, freeze):
    later = MADE_ON + timedelta(days=KEEP_DAYS + 1)
    freeze(datetime.combine(later, datetime.min.time()))
    run = enqueue("nightly", as_of=later.isoformat())
    db.session.commit()  # the testing queue runs the job now
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == DONE, run.error
    assert run.result["retention"]["logins"] == 2
    assert run.result["files"]["uploads"] == 1  # the notice's "uploads" kind, the jobs' own step
    assert _count(db, LoginFailure) == 0


def test_reads_deleted_by_retention_leave_the_sealed_audit_log_verifying(
    records, db, freeze, runner
):
    """The audit log is sealed each night; retention then deletes sealed rows (reads of
    personal data). `integrity verify` must not call that a forgery."""
    for kind in sealing.KINDS:
        sealing.seal(kind)
    db.session.commit()
    later = MADE_ON + timedelta(days=KEEP_DAYS + 1)
    freeze(datetime.combine(later, datetime.min.time()))
    retention.apply(later)
    db.session.commit()
    assert _count(db, AuditEntry, AuditEntry.action == "official.viewed") == 0
    result = runner.invoke(args=["integrity", "verify"])
    assert result.exit_code == 0, result.output


def test_retention_deletes_nothing_from_an_audit_log_that_lost_a_sealed_row(
    records, db, freeze, runner, english
):
    """A change entry deleted in SQL after the last seal: the night's run refuses to seal (a
    new seal would hide the deletion) and retention deletes no read, so the evidence stays."""
    for kind in sealing.KINDS:
        sealing.seal(kind)
    db.session.commit()
    victim = db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "official.updated"))
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": victim})
    db.session.commit()
    later = MADE_ON + timedelta(days=KEEP_DAYS + 1)
    freeze(datetime.combine(later, datetime.min.time()))
    run = enqueue("nightly", as_of=later.isoformat())
    db.session.commit()
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status != DONE and "no longer match" in (run.error or ""), run.error
    assert _count(db, AuditEntry, AuditEntry.action == "official.viewed") == 1
    result = runner.invoke(args=["integrity", "verify"])
    assert result.exit_code != 0 and "BROKEN Audit log" in result.output, result.output
