"""Retention of personal data: each kind of data of lms.privacy.notice.RETENTION_KINDS is
deleted by the nightly run once its period (a setting, in days) is over. The credit ledger,
certificates, attempts' scores and frozen statements are records and are never touched.

A record made on Vietnamese day D with a period of N days is kept through day D + N and
deleted by the run of day D + N + 1 (`cutoff`). The kinds live in several domains; they are
purged here, in one module, so that what the notice promises and what is deleted are read
side by side (each function writes only the columns the kind names). Every run that deleted
something leaves one audit entry per kind, with the counts."""

from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, distinct, func, select, update

from lms.assessments.models import GRADED, Attempt, AttemptSlot
from lms.audit.models import AuditEntry
from lms.audit.reads import READ_ACTIONS
from lms.audit.services import record
from lms.auth.models import LoginFailure
from lms.common import clock, sealing
from lms.curricula.external.models import ExternalRecord
from lms.curricula.external.services import EVIDENCE_FOLDER
from lms.extensions import db
from lms.jobs.models import MAIL_PENDING, Notification
from lms.privacy.notice import RETENTION_KINDS, retention_days


def cutoff(today: date, days: int) -> datetime:
    """The moment (naive UTC) before which a kind kept `days` days is deleted on `today`: the
    start of the Vietnamese day `today - days`."""
    return clock.start_of_day(today - timedelta(days=days))


def purge_attempts(before: datetime) -> int:
    """Erase the answers (responses and graders' comments) of graded attempts submitted before
    `before`; the attempt, its marks and score stay (they back the credits). Returns how many
    attempts lost their answers."""
    old = select(Attempt.id).where(Attempt.status == GRADED, Attempt.submitted_at < before)
    holding = and_(
        AttemptSlot.attempt_id.in_(old),
        (AttemptSlot.response.is_not(None)) | (AttemptSlot.comment != ""),
    )
    attempts = db.session.scalar(
        select(func.count(distinct(AttemptSlot.attempt_id))).where(holding)
    )
    if attempts:
        db.session.execute(
            update(AttemptSlot).where(holding).values(response=None, comment=""),
            execution_options={"synchronize_session": False},
        )
    return attempts or 0


def purge_evidence(before: datetime, instance: Path) -> int:
    """Delete the evidence files of external training decided before `before` (the record, its
    decision and the file's SHA-256 stay). Returns how many files went."""
    records = db.session.scalars(
        select(ExternalRecord).where(
            ExternalRecord.decided_at < before, ExternalRecord.evidence_path.is_not(None)
        )
    ).all()
    root = (instance / EVIDENCE_FOLDER).resolve()
    for row in records:
        path = (instance / row.evidence_path).resolve()
        if path.is_relative_to(root):
            path.unlink(missing_ok=True)
        row.evidence_path = None
    db.session.flush()
    return len(records)


def purge_logins(before: datetime) -> int:
    """Delete failed sign-ins and audit entries of reads of personal data made before
    `before`. Returns how many rows went.

    The audit log is sealed (lms.common.sealing): the deleted reads are named to a new seal,
    which checks the log against the latest one as if they were still there, so verify keeps
    reporting any other row that went missing, and refuses (nothing deleted) if one did."""
    failures = db.session.execute(delete(LoginFailure).where(LoginFailure.at < before)).rowcount
    reads = list(
        db.session.scalars(
            select(AuditEntry.id).where(AuditEntry.action.in_(READ_ACTIONS), AuditEntry.at < before)
        )
    )
    for start in range(0, len(reads), 5000):
        chunk = reads[start : start + 5000]
        db.session.execute(
            delete(AuditEntry).where(AuditEntry.id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    if reads:
        sealing.seal(sealing.AUDIT, removed=reads)
    return (failures or 0) + len(reads)


def purge_notifications(before: datetime) -> int:
    """Delete the notifications (inbox entries and the emails they sent) made before `before`,
    except one whose email is still waiting to go. Returns how many went."""
    waiting = Notification.email_state == MAIL_PENDING
    result = db.session.execute(
        delete(Notification).where(Notification.created_at < before, ~waiting)
    )
    return result.rowcount or 0


def apply(today: date | None = None) -> dict[str, int]:
    """Apply every retention setting as of `today` (flushed, not committed): {kind: how many
    deleted}. A kind set to 0 days is kept for good. Uploads and bulk downloads are files the
    jobs leave on disk: the nightly's own step deletes them (lms.jobs.retention)."""
    today = today or clock.today()
    instance = Path(current_app.instance_path)
    purges = {
        "attempts": purge_attempts,
        "evidence": lambda before: purge_evidence(before, instance),
        "logins": purge_logins,
        "notifications": purge_notifications,
    }
    counts: dict[str, int] = {}
    for kind in RETENTION_KINDS:
        days = retention_days(kind)
        if days <= 0 or kind.code not in purges:
            continue  # kept for good; uploads and bulk downloads: lms.jobs.retention
        before = cutoff(today, days)
        counts[kind.code] = purges[kind.code](before)
        if counts[kind.code]:
            record(
                None,
                "retention.applied",
                "retention",
                kind.code,
                after={"deleted": counts[kind.code], "days": days, "before": before},
            )
    return counts
