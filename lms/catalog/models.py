"""Catalog: courses with their lessons, positions, prerequisites and assets; enrolments and the
lesson progress of each official."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, ForeignKey, Numeric, String, Table, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l
from lms.organisation.models import SortKey


class ContentArea(Labelled):
    """Content areas of Decree 171/2025 (`Course.content_area`)."""

    ND1 = "ND1", _l("ND1 · Political theory")
    ND2 = "ND2", _l("ND2 · Defence and security")
    ND3 = "ND3", _l("ND3 · State management")
    ND4 = "ND4", _l("ND4 · Knowledge and skills of the job position")
    ND5 = "ND5", _l("ND5 · Science, technology, innovation and digital skills")


class CourseKind(Labelled):
    """A course's type (`Course.kind`)."""

    MANDATORY_COMMON = "mandatory_common", _l("Mandatory for everyone")
    BY_POSITION = "by_position", _l("By job position")
    LEADERSHIP = "leadership", _l("Leadership and management")
    ELECTIVE = "elective", _l("Elective")


class Delivery(Labelled):
    """How a course is taught (`Course.delivery`)."""

    ONLINE = "online", _l("Online")
    IN_PERSON = "in_person", _l("In person")
    BLENDED = "blended", _l("Blended")


class CertificateKind(Labelled):
    """The certificate a course leads to (`Course.certificate`; Circular 03/2023/TT-BNV's
    course certificate and programme certificate, the kinds of lms.certificates too)."""

    GIAY_CHUNG_NHAN = "giay_chung_nhan", _l("Course certificate (giấy chứng nhận)")
    CHUNG_CHI = "chung_chi", _l("Programme certificate (chứng chỉ)")
    NONE = "none", _l("No certificate")


class CourseStatus(Labelled):
    """A course's publication status (`Course.status`; rules.TRANSITIONS)."""

    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    ARCHIVED = "archived", _l("Archived")


CONTENT_AREAS = tuple(ContentArea)
KINDS = tuple(CourseKind)
DELIVERIES = tuple(Delivery)
CERTIFICATES = tuple(CertificateKind)
DRAFT, PUBLISHED, ARCHIVED = CourseStatus
STATUSES = tuple(CourseStatus)
ELECTIVE = CourseKind.ELECTIVE
# Why an official is enrolled: self-enrolment in an elective, or a course mandatory for a
# position they hold (the curricula issue adds assignments with due dates).
ENROLMENT_SOURCES = ("self", "position")

course_prerequisites = Table(
    "course_prerequisites",
    db.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
)


class Course(db.Model):
    """A course (khóa học) carrying credits.

    Invariants: `code` is unique and never changes (it names the content folder and URLs);
    `search_text` and `sort_title` are derived from the code and titles by lms.common.vntext and
    rewritten with them (`sort_title` is cut to its column: the first 256 letters order);
    drafts are seen only by training managers whose scope covers `owner_unit` (NULL owner:
    administrators only); `question_bank_source` is the course's GIFT file kept verbatim
    (parsed by the online-tests module); `test_settings` holds the [test] table of course.toml
    as read; a `repeatable` course earns its credits once in each cycle, any other once.
    """

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str | None] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text, default="")
    credits: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    periods: Mapped[int] = mapped_column(default=0)
    content_area: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(32))
    delivery: Mapped[str] = mapped_column(String(16))
    certificate: Mapped[str] = mapped_column(String(32))
    validity_months: Mapped[int | None]
    # Credits earned again in each cycle (once per cycle) rather than once (rules.earns_credits).
    repeatable: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    test_settings: Mapped[dict | None] = mapped_column(JSON)
    question_bank_source: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(String(1024), default="")
    sort_title: Mapped[str] = mapped_column(SortKey, index=True, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    owner_unit = relationship("OrgUnit")
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="course", order_by="(Lesson.position, Lesson.id)"
    )
    positions: Mapped[list["CoursePosition"]] = relationship(
        order_by="CoursePosition.ordinal", cascade="all, delete-orphan"
    )
    prerequisites: Mapped[list["Course"]] = relationship(
        secondary=course_prerequisites,
        primaryjoin="Course.id == course_prerequisites.c.course_id",
        secondaryjoin="Course.id == course_prerequisites.c.prerequisite_id",
        order_by="Course.code",
    )
    assets: Mapped[list["CourseAsset"]] = relationship(
        order_by="CourseAsset.path", cascade="all, delete-orphan"
    )

    @property
    def active_lessons(self) -> list["Lesson"]:
        """Lessons shown to learners, in order (removed ones are kept for their progress)."""
        active = [lesson for lesson in self.lessons if lesson.retired_at is None]
        return sorted(active, key=lambda lesson: (lesson.position, lesson.id or 0))

    @property
    def position_codes(self) -> list[str]:
        """Codes of the positions for which the course is mandatory, in the file's order."""
        return [p.position_code for p in self.positions]

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED


class CoursePosition(db.Model):
    """A job position for which the course is mandatory by default (course.toml `positions`).

    Kept by position code, not by foreign key, so a course tree from another province imports
    even where a code is not (yet) defined; `ordinal` keeps the file's order for export.
    """

    __tablename__ = "course_positions"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    position_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    ordinal: Mapped[int] = mapped_column(default=0)


class Lesson(db.Model):
    """A lesson (bài học) of a course, in Markdown.

    Invariants: `slug` is unique within its course and keeps the lesson's identity across
    imports (learners' progress hangs on the id); lessons are ordered by `position`; a lesson
    removed from the course is retired (`retired_at`), never deleted, so progress stays.
    """

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(255))
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    course: Mapped[Course] = relationship(back_populates="lessons")

    __table_args__ = (db.UniqueConstraint("course_id", "slug"),)


class CourseAsset(db.Model):
    """An image or attachment of a course (courses/<CODE>/assets/<path>).

    The bytes live in the course-assets folder (setting LMS_COURSE_ASSETS_DIR); the row records
    the path and its SHA-256, and only paths recorded here are ever served.
    """

    __tablename__ = "course_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.UniqueConstraint("course_id", "path"),)


class Enrolment(db.Model):
    """An official taking a course. Invariant: one per (official, course); `lessons_done_at`
    is set once, when every lesson of the course was first done, and never cleared."""

    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    enrolled_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    lessons_done_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship()

    __table_args__ = (db.UniqueConstraint("official_id", "course_id"),)


class LessonProgress(db.Model):
    """A lesson marked done within an enrolment. Invariant: one per (enrolment, lesson);
    rows are only added, so a learner's history survives changes to the course."""

    __tablename__ = "lesson_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    done_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    __table_args__ = (db.UniqueConstraint("enrolment_id", "lesson_id"),)
