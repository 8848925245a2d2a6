"""In-person classes (lớp tập trung): the class, its sessions, trainers and venues, its roster
(enrolled, waitlisted, cancelled) with per-session attendance and results."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Numeric, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l

class_positions = Table(
    "training_class_positions",
    db.metadata,
    Column("class_id", ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True),
    Column("position_id", ForeignKey("positions.id"), primary_key=True),
)
class_units = Table(
    "training_class_units",
    db.metadata,
    Column("class_id", ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("org_units.id"), primary_key=True),
)


class TrainerKind(Labelled):
    """A trainer is an official of the organisation or an outside lecturer."""

    INTERNAL = "internal", _l("Internal official")
    EXTERNAL = "external", _l("External lecturer")


class Trainer(db.Model):
    """A trainer (giảng viên): an internal official (official_id set) or an external lecturer.

    Invariants: a managed list shared by the organisation; never deleted once on a session
    (set inactive instead)."""

    __tablename__ = "class_trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16), default=TrainerKind.EXTERNAL)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    organisation: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    official = relationship("Official")


class Venue(db.Model):
    """A room or hall where sessions are held, with how many it seats.

    Invariants: a managed list shared by the organisation; capacity ≥ 1."""

    __tablename__ = "class_venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    address: Mapped[str] = mapped_column(String(255), default="")
    capacity: Mapped[int] = mapped_column(default=30)
    is_active: Mapped[bool] = mapped_column(default=True)


class JoinMode(Labelled):
    """Who puts an official on a class: HR and heads only, or the officials themselves too."""

    NOMINATED = "nominated", _l("Nominated only")
    OPEN = "open", _l("Open sign-up")


class TrainingClass(db.Model):
    """An in-person class (lớp tập trung) of a course, run by a training manager of `unit`.

    Invariants: the class belongs to the unit subtree of the managers who may run it; results
    once recorded as passed write a completion (source in_person, ref "member:<id>"); with a
    final test (final_quiz_id) a pass decided from the session marks also needs that test
    passed.
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
    min_attendance_percent: Mapped[int] = mapped_column(default=100)
    capacity: Mapped[int | None]
    join_mode: Mapped[str] = mapped_column(String(16), default=JoinMode.NOMINATED)
    enrol_opens_on: Mapped[date | None]
    enrol_closes_on: Mapped[date | None]
    cancel_closes_on: Mapped[date | None]
    # Bumped on every change an invitation shows (times, venue, title): the .ics SEQUENCE.
    schedule_version: Mapped[int] = mapped_column(default=0)
    # The optional final test: an online test of the assessments engine, taken by the
    # officials holding a place; its pass (by its own rules) joins the attendance rule.
    final_quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    course = relationship("Course")
    unit = relationship("OrgUnit")
    final_quiz = relationship("Quiz")
    members: Mapped[list["ClassMember"]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan"
    )
    class_sessions: Mapped[list["ClassSession"]] = relationship(
        back_populates="training_class",
        cascade="all, delete-orphan",
        order_by="ClassSession.starts_at",
    )
    positions = relationship("Position", secondary=class_positions)
    units = relationship("OrgUnit", secondary=class_units)


class ClassSession(db.Model):
    """One session (buổi học) of a class: a local start and end time on one day, a venue and a
    trainer.

    Invariants: starts_at < ends_at, the same day (local time, as the timetable reads; naive
    datetimes in Vietnam's time); a trainer or a venue is never in two overlapping sessions."""

    __tablename__ = "class_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    topic: Mapped[str] = mapped_column(String(255), default="")
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("class_venues.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("class_trainers.id"), index=True)

    training_class: Mapped[TrainingClass] = relationship(back_populates="class_sessions")
    venue = relationship("Venue")
    trainer = relationship("Trainer")


class MemberStatus(Labelled):
    """Where an official stands on a class (ClassMember.status)."""

    ENROLLED = "enrolled", _l("Enrolled")
    WAITLISTED = "waitlisted", _l("On the waiting list")
    CANCELLED = "cancelled", _l("Cancelled")


class EnrolSource(Labelled):
    """How an official came onto a class (ClassMember.source)."""

    SIGNUP = "signup", _l("Signed up")
    NOMINATED = "nominated", _l("Nominated by the unit head")
    HR = "hr", _l("Added by HR or the training manager")


class ClassResult(Labelled):
    """A class member's result (ClassMember.result; empty until recorded)."""

    PASSED = "passed", _l("Passed")
    FAILED = "failed", _l("Did not pass")
    ABSENT = "absent", _l("Absent")


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
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.ENROLLED)
    source: Mapped[str] = mapped_column(String(16), default=EnrolSource.HR)
    # When the official last joined or queued: the waiting list's order.
    queued_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    cancelled_at: Mapped[datetime | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="members")
    official = relationship("Official")

    __table_args__ = (db.UniqueConstraint("class_id", "official_id"),)


class AttendanceMark(Labelled):
    """An official's attendance at one session (SessionAttendance.mark)."""

    PRESENT = "present", _l("Present")
    LATE = "late", _l("Late")
    EXCUSED = "excused", _l("Excused absence")
    ABSENT = "absent", _l("Absent")


class SessionAttendance(db.Model):
    """An official's attendance at one session: present, late, excused or absent, ticked by the
    trainer or manager or checked in by the official with the room's QR code.

    Invariants: one per (session, member)."""

    __tablename__ = "class_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("class_members.id", ondelete="CASCADE"), index=True
    )
    mark: Mapped[str] = mapped_column(String(16))
    by_qr: Mapped[bool] = mapped_column(default=False)
    checked_in_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    __table_args__ = (db.UniqueConstraint("session_id", "member_id"),)
