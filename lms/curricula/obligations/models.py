"""Officials' obligations (a mandatory course or a recertification, with its due date) and
pro-rated credit targets per cycle, as the obligations engine writes them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.curricula.cycles.models import CreditAmount
from lms.extensions import db

# Obligations: a mandatory course of a position held, or the renewal of an expiring certificate.
# An obligation assigned from the annual rating of the year before (lms.compliance.ratings).
MANDATORY, RECERTIFICATION, RATING = "mandatory", "recertification", "rating"
OBLIGATION_KINDS = (MANDATORY, RECERTIFICATION, RATING)
OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"
OBLIGATION_STATUSES = (OPEN, DONE, WITHDRAWN)


class OfficialTarget(db.Model):
    """An official's pro-rated credit target for a cycle, as last computed by the obligations
    engine (whole months held, highest target of the positions held, rounded up to 0.5 TC).

    Invariant: one per (official, cycle); rewritten only while the cycle is open for the
    official's unit, so reports read targets with a join instead of recomputing them.
    """

    __tablename__ = "official_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    target_credits: Mapped[Decimal] = mapped_column(CreditAmount)
    months: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    __table_args__ = (db.UniqueConstraint("official_id", "cycle_id"),)


class Obligation(db.Model):
    """A course an official must complete in a cycle, with its due date.

    Invariants: at most one per (official, cycle, course, kind); never deleted: an obligation
    that no longer applies (position changed, curriculum changed) is `withdrawn` with the
    reason and the time; `done` names the completion that satisfied it.
    """

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=MANDATORY)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    due_on: Mapped[date]
    # The day the requirement arose (first written, or written again after a withdrawal): a
    # due date is never before it, and at least the cycle's notice_days after it.
    arose_on: Mapped[date] = mapped_column(default=lambda: clock.today())
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    course = relationship("Course")
    position = relationship("Position")

    __table_args__ = (
        db.UniqueConstraint("official_id", "cycle_id", "course_id", "kind"),
        db.Index("ix_obligations_official_cycle_status", "official_id", "cycle_id", "status"),
        db.Index(
            "ix_obligations_cycle_official",
            "cycle_id",
            "official_id",
            postgresql_include=["status", "due_on", "course_id"],
        ),
    )
