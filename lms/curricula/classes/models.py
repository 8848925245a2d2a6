"""In-person classes (lớp tập trung) and their rosters with attendance and results."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l


class ClassResult(Labelled):
    """A class member's result (ClassMember.result; empty until recorded)."""

    PASSED = "passed", _l("Passed")
    FAILED = "failed", _l("Failed")
    ABSENT = "absent", _l("Absent")


class TrainingClass(db.Model):
    """An in-person class (lớp tập trung) of a course, run by a training manager of `unit`.

    Invariants: the class belongs to the unit subtree of the managers who may run it; results
    once recorded as passed write a completion (source in_person, ref "member:<id>").
    """

    __tablename__ = "training_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    location: Mapped[str] = mapped_column(String(255), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    sessions: Mapped[int] = mapped_column(default=1)
    min_attendance_percent: Mapped[int] = mapped_column(default=80)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    course = relationship("Course")
    unit = relationship("OrgUnit")
    members: Mapped[list["ClassMember"]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan"
    )


class ClassMember(db.Model):
    """An official on a class roster with attendance and result.

    Invariants: one per (class, official); `result` is NULL until recorded, then passed /
    failed / absent; a member whose passed result wrote a completion is not removed.
    """

    __tablename__ = "class_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id", ondelete="CASCADE"), index=True
    )
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    sessions_attended: Mapped[int | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    result: Mapped[str | None] = mapped_column(String(16))
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    recorded_at: Mapped[datetime | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="members")
    official = relationship("Official")

    __table_args__ = (db.UniqueConstraint("class_id", "official_id"),)
