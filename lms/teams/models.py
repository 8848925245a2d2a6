"""Teams: the heads of units HR sets by hand (beside those the registry gives by their post) and
each unit's settings for its head (approval of external training, escalation)."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l


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


class HeadReviewStatus(Labelled):
    """Where the head's review of an external-training request stands (HeadReview.status)."""

    AWAITING = "awaiting", _l("Awaiting the head's decision")
    APPROVED = "approved", _l("Approved by the head")
    DECLINED = "declined", _l("Declined by the head")


class HeadReview(db.Model):
    """The head's review of an official's external-training request, made when the official's
    unit asks for it (TeamSettings.head_approval) at the submission.

    Invariants: one per record; status moves awaiting → approved | declined, once (decided_by,
    decided_at set); a decline rejects the record (lms.curricula.external.services.reject, with
    the head's reason); HR decides only after an approval (lms.curricula.external.stages)."""

    __tablename__ = "head_reviews"

    external_record_id: Mapped[int] = mapped_column(
        ForeignKey("external_records.id"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), default="awaiting", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    record = relationship("ExternalRecord")
    decided_by = relationship("User")


class Nomination(db.Model):
    """A head sending ("cử") an official to a course, with a reason and, perhaps, the day it is
    wanted by. The official is enrolled in the course and told; /me lists their nominations.

    Invariants: at most one open (not withdrawn) nomination per (official, course);
    rows are withdrawn, never deleted; every change is audited."""

    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    wanted_by: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    official = relationship("Official")
    course = relationship("Course")
    nominated_by = relationship("User", foreign_keys=[nominated_by_id])


class PlaceRequestStatus(Labelled):
    """Where an official's request for a place in a class stands (PlaceRequest.status)."""

    AWAITING = "awaiting", _l("Awaiting the head's decision")
    APPROVED = "approved", _l("Approved by the head")
    DECLINED = "declined", _l("Declined by the head")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class PlaceRequest(db.Model):
    """An official asking for a place in an in-person class their unit fills by nomination
    (join mode "nominated"): their head approves — the official is nominated to the class, a
    place or the waiting list, and HR sees the head as the one who sent them — or declines with
    a reason.

    Invariants: at most one awaiting request per (official, class); status moves awaiting →
    approved | declined | withdrawn, once; rows are never deleted; every change is audited."""

    __tablename__ = "place_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PlaceRequestStatus.AWAITING)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)

    official = relationship("Official")
    klass = relationship("TrainingClass")
    decided_by = relationship("User")
