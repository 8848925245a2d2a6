"""Training needs of units for a year, and the annual plan the Department makes of them.

A unit's needs are lines (a course, or a content area when the unit names no course; how many
officials; which positions; the quarter wanted) under one `NeedSubmission` per unit and year,
which is a draft until the unit submits it; submitted lines are locked until the Department
returns the submission. The `TrainingPlan` of a year is consolidated from the submitted needs
into `PlanLine`s — one per unit, course (or area) and quarter — with the classes planned per
course and quarter (`PlanClasses`); once approved it is locked. Every change is audited."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l


class NeedState(Labelled):
    """Where a unit's needs for a year stand (`NeedSubmission.state`)."""

    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")


class PlanState(Labelled):
    """Where the annual plan stands (`TrainingPlan.state`)."""

    DRAFT = "draft", _l("Draft")
    APPROVED = "approved", _l("Approved")


class NeedSubmission(db.Model):
    """A unit's needs for a year. Invariant: one per (unit, year)."""

    __tablename__ = "need_submissions"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    year: Mapped[int] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(16), default=NeedState.DRAFT)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("OrgUnit")
    lines = relationship(
        "NeedLine", back_populates="submission", order_by="NeedLine.id", cascade="all, delete"
    )


class NeedLine(db.Model):
    """One need: `count` officials (of `positions`, position codes separated by commas, "" for
    any) to train in `course` — or in `content_area` when no course is named — in `quarter`
    (1–4). Invariant: a course or an area; count ≥ 1."""

    __tablename__ = "need_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("need_submissions.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    content_area: Mapped[str] = mapped_column(String(8), default="")
    count: Mapped[int]
    quarter: Mapped[int]
    positions: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    submission = relationship("NeedSubmission", back_populates="lines")
    course = relationship("Course")

    __table_args__ = (
        db.CheckConstraint("count >= 1", name="count_positive"),
        db.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_known"),
    )


class TrainingPlan(db.Model):
    """The annual plan of a year (kế hoạch đào tạo, bồi dưỡng). Invariant: one per year."""

    __tablename__ = "training_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    state: Mapped[str] = mapped_column(String(16), default=PlanState.DRAFT)
    consolidated_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_no: Mapped[str] = mapped_column(String(64), default="")

    lines = relationship(
        "PlanLine", back_populates="plan", order_by="PlanLine.id", cascade="all, delete-orphan"
    )
    classes = relationship("PlanClasses", cascade="all, delete-orphan")


class PlanLine(db.Model):
    """The officials of a unit planned for a course (or a content area) in a quarter: the sum
    of the unit's submitted needs."""

    __tablename__ = "plan_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    content_area: Mapped[str] = mapped_column(String(8), default="")
    quarter: Mapped[int]
    count: Mapped[int]

    plan = relationship("TrainingPlan", back_populates="lines")
    unit = relationship("OrgUnit")
    course = relationship("Course")


class PlanClasses(db.Model):
    """How many classes the plan holds for a course in a quarter (the Department sets it; the
    consolidation proposes one class per `LMS_PLAN_CLASS_SIZE` officials)."""

    __tablename__ = "plan_classes"
    __table_args__ = (UniqueConstraint("plan_id", "course_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    quarter: Mapped[int]
    classes: Mapped[int] = mapped_column(default=0)
