"""Tables of background jobs and notifications: job runs with their progress, notifications
(the in-app inbox and the email outbox in one row) and per-user email preferences."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l


# A job run moves queued → running → done | failed; a run whose worker died (no heartbeat for
# LMS_JOB_STALE_SECONDS) is queued again and claimed by the next worker, so "running" may
# repeat. Each claim takes a new lease (`lease_token`); only the holder of the current lease
# renews the heartbeat, reports progress and records the result.
class RunStatus(Labelled):
    """Where a job run stands (`JobRun.status`), with its label."""

    QUEUED = "queued", _l("Queued")
    RUNNING = "running", _l("Running")
    DONE = "done", _l("Done")
    FAILED = "failed", _l("Failed")


QUEUED, RUNNING, DONE, FAILED = RunStatus
RUN_STATUSES = tuple(RunStatus)

# Email of a notification: pending → sending → sent; skipped (no address, turned off by the
# user, mail not configured) or failed (the SMTP server refused it). "sending" is committed
# before the SMTP conversation, so a worker killed during it never sends the mail twice.
MAIL_PENDING, MAIL_SENDING, MAIL_SENT, MAIL_SKIPPED, MAIL_FAILED = (
    "pending",
    "sending",
    "sent",
    "skipped",
    "failed",
)


class JobRun(db.Model):
    """One run of a registered job.

    Invariants: `name` is a key of lms.jobs.registry.JOBS; `params` is JSON; `key`, when set,
    is unique, so enqueueing the same key twice gives the same run (idempotent enqueue);
    `done` ≤ `total` when total is known; `attempts` counts the times a worker claimed it;
    `heartbeat_at` is renewed while running, on a connection of its own (by every progress
    report and by the worker every fifth of the stale delay), never by the job's session;
    `lease_token` is set by each claim and cleared when the run is queued again: a run whose
    token no longer matches has been taken over and may not publish anything.
    """

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str | None] = mapped_column(String(191), unique=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    message: Mapped[str] = mapped_column(String(255), default="")
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(String(128))
    lease_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp, index=True)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    user = relationship("User")

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, None while the total is unknown."""
        if not self.total:
            return 100 if self.status == DONE else None
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (DONE, FAILED)


class Notification(db.Model):
    """A message to one user: shown in the inbox and, unless the user turned the kind off,
    emailed.

    Invariants: one per (user, kind, key) — the idempotency key, so a scan or a job that runs
    twice notifies once; `subject` and `body` are rendered once, in the user's language, when
    the notification is created; `link` is a path on this site (or empty); `read_at` is set
    once; `email_state` follows MAIL_* above and `emailed_at` is set when the SMTP server
    accepted the message.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(191))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(255), default="")
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    read_at: Mapped[datetime | None]
    email_state: Mapped[str] = mapped_column(String(16), default=MAIL_PENDING, index=True)
    email_to: Mapped[str | None] = mapped_column(String(255))
    email_error: Mapped[str | None] = mapped_column(String(255))
    email_attempted_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    __table_args__ = (
        db.UniqueConstraint("user_id", "kind", "key"),
        db.Index("ix_notifications_user_read", "user_id", "read_at"),
    )


class NotificationPreference(db.Model):
    """Whether a user wants a kind of notification by email. Invariant: one per (user, kind);
    no row means the default (email on). The inbox always gets every notification."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[bool] = mapped_column(default=True)
