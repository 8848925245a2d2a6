"""Acknowledgements of the privacy notice (rows only inserted) and officials' requests about
their personal data."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l


class NoticeAcknowledgement(db.Model):
    """A user acknowledged one version of the privacy notice. Invariants: append-only; one row
    per (user, version); `acknowledged_at` is when they pressed the button."""

    __tablename__ = "privacy_notice_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version: Mapped[str] = mapped_column(String(16))
    acknowledged_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (db.UniqueConstraint("user_id", "version"),)


class RequestKind(Labelled):
    """What an official asks for about their personal data."""

    CORRECT = "correct", _l("Correct my data")
    RESTRICT = "restrict", _l("Restrict the processing of my data")
    DELETE = "delete", _l("Delete my data")


class RequestState(Labelled):
    """Where a request stands. Received and in progress are open."""

    RECEIVED = "received", _l("Received")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    REFUSED = "refused", _l("Refused")

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


OPEN_STATES = (RequestState.RECEIVED, RequestState.IN_PROGRESS)


class PrivacyRequest(db.Model):
    """An official's request to correct, restrict or delete their personal data, handled by HR
    of their unit. Invariants: `due_on` is set once, on receipt (receipt day + the response
    days); the state only moves received → in progress → done or refused (or straight from
    received to done or refused); a closed request has `closed_at` and an `outcome` (what was
    done, or the reason for refusing) and never changes again."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=RequestState.RECEIVED, index=True)
    received_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    due_on: Mapped[date]
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)

    official = relationship("Official")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    handler = relationship("User", foreign_keys=[handler_id])

    @property
    def state_enum(self) -> RequestState:
        return RequestState(self.state)

    def is_overdue(self, today: date) -> bool:
        """Open after its due day (Vietnam date)."""
        return self.state_enum.is_open and today > self.due_on
