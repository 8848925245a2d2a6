"""Teams: the heads of units HR sets by hand (beside those the registry gives by their post) and
each unit's settings for its head (approval of external training, escalation)."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.extensions import db


class HeadAssignment(db.Model):
    """An official HR names head of a unit over a period (acting head, a unit whose head post
    the registry does not know), beside the heads the registry gives: the holders of a post in
    `LMS_HEAD_POSITIONS` (lms.teams.queries).

    Invariants: ended_on ≥ started_on; rows are ended, never deleted, so who headed a unit on
    any day stays answerable; every change is audited (`head.assigned`, `head.ended`).
    """

    __tablename__ = "head_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    decision_no: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    unit = relationship("OrgUnit")
    official = relationship("Official")

    __table_args__ = (
        db.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
    )


class TeamSettings(db.Model):
    """A unit's settings for its head; a unit without a row has the defaults.

    `head_approval` — an official's external training goes to their head before HR;
    `escalation_days` — days after a due date from which an overdue official is named in their
    head's digest (0: from the day after the due date)."""

    __tablename__ = "team_settings"

    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    head_approval: Mapped[bool] = mapped_column(default=False)
    escalation_days: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    unit = relationship("OrgUnit")
