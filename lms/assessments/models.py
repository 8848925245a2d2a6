"""Assessments: a course's question bank (categories, questions), its test (bài kiểm tra), the
officials' attempts with one row per drawn question, and per-official extra time."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.assessments.rules import default_review
from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l

# Attempt life cycle: in progress → submitted (an essay waits for a grader) → graded.


class AttemptStatus(Labelled):
    """Where a test attempt stands (`Attempt.status`)."""

    IN_PROGRESS = "in_progress", _l("In progress")
    SUBMITTED = "submitted", _l("Waiting for grading")
    GRADED = "graded", _l("Graded")


IN_PROGRESS, SUBMITTED, GRADED = AttemptStatus
ATTEMPT_STATUSES = tuple(AttemptStatus)
# Layout of the attempt page.
ALL_ON_ONE_PAGE, ONE_PER_PAGE = "all", "one"
LAYOUTS = (ALL_ON_ONE_PAGE, ONE_PER_PAGE)
Fraction = Numeric(9, 7)  # Moodle's fractions have seven decimals (0.3333333)
Percent = Numeric(6, 2)


class QuestionCategory(db.Model):
    """A category of a course's bank, named by its path ("BB01/Luật"), as GIFT's $CATEGORY.

    Invariant: `path` is unique within the course; the bank's root category has path "".
    """

    __tablename__ = "question_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    path: Mapped[str] = mapped_column(String(255), default="")

    __table_args__ = (db.UniqueConstraint("course_id", "path"),)


class BankQuestion(db.Model):
    """A question of a course's bank, as lms.assessments.questions.Question stores it.

    Invariants: `key` (the idnumber, else the name; "#2", "#3" for repeats in one file) is
    unique within the course, so importing a file again updates its questions instead of
    adding copies; `answers` is a list of dicts (fractions as decimal strings) whose order never
    changes once attempts use the question (responses refer to answers by index); `version`
    grows on every change of text or key; a question removed from the bank is `retired_at`,
    never deleted, so attempts keep it.
    """

    __tablename__ = "bank_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("question_categories.id"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(255))
    idnumber: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    text_format: Mapped[str] = mapped_column(String(16), default="moodle")
    general_feedback: Mapped[str] = mapped_column(Text, default="")
    general_feedback_format: Mapped[str] = mapped_column(String(16), default="moodle")
    answers: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    category: Mapped[QuestionCategory] = relationship()

    __table_args__ = (db.UniqueConstraint("course_id", "key"),)


class Quiz(db.Model):
    """The test of a course (one per course), built from course.toml's [test] or the manage UI.

    Invariants: `pass_mark` is a percentage (default 50, DESIGN.md §3); `draws` maps category
    paths to how many questions to draw from each (empty: `question_count` from the whole
    bank, 0 = all); `max_attempts` 0 = unlimited; `time_limit_minutes` 0 = untimed;
    `synced_settings` is the [test] table last applied, so a sync overwrites settings changed
    on the web only when course.toml itself changed.
    """

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), unique=True)
    question_count: Mapped[int] = mapped_column(default=0)
    draws: Mapped[dict] = mapped_column(JSON, default=dict)
    time_limit_minutes: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=0)
    pass_mark: Mapped[Decimal] = mapped_column(Percent, default=Decimal(50))
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_answers: Mapped[bool] = mapped_column(default=True)
    layout: Mapped[str] = mapped_column(String(8), default=ALL_ON_ONE_PAGE)
    # What a learner's review shows at each moment: {moment: [parts]} (lms.assessments.rules).
    review: Mapped[dict] = mapped_column(JSON, default=default_review)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    # Minutes a learner waits after an attempt that did not pass before starting another.
    delay_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    synced_settings: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    course = relationship("Course")


class Attempt(db.Model):
    """An official's attempt at a test.

    Invariants: `deadline_at` is fixed when the attempt starts (start + time limit + the
    official's extra time, not after the test closes) and moves only when extra time is granted;
    at most one attempt per (quiz, official) is in progress (partial unique index) and `number`
    is unique per (quiz, official), so two starts at once give one attempt; `status` leaves
    in_progress exactly once, through a conditional UPDATE, so two submits grade once;
    `percent` is set when every question is graded.
    """

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    graded_at: Mapped[datetime | None]
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    percent: Mapped[Decimal | None] = mapped_column(Percent)
    passed: Mapped[bool | None]
    saved_at: Mapped[datetime | None]

    quiz: Mapped[Quiz] = relationship()
    official = relationship("Official")
    slots: Mapped[list["AttemptSlot"]] = relationship(
        order_by="AttemptSlot.position", back_populates="attempt"
    )

    __table_args__ = (
        db.UniqueConstraint("quiz_id", "official_id", "number"),
        Index(
            "uq_attempts_one_open",
            "quiz_id",
            "official_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
    )


class AttemptSlot(db.Model):
    """One drawn question of an attempt: its place, the order its choices are shown in, the
    learner's response, and its grade.

    Invariants: `shown` holds the shown order of answers (and of matching choices) as indexes
    into the question's answers, so a reload or another device shows the same page; `response`
    refers to answers by index; `fraction` is NULL until graded (an essay until a grader marks
    it); `mark` is the question's weight in the attempt (0 for a description).
    """

    __tablename__ = "attempt_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("bank_questions.id"), index=True)
    position: Mapped[int]
    shown: Mapped[dict] = mapped_column(JSON, default=dict)
    response: Mapped[dict | None] = mapped_column(JSON)
    mark: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    fraction: Mapped[Decimal | None] = mapped_column(Fraction)
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    # Loaded with the slots in one more query by primary key (an attempt's page and grading,
    # not one query per question). Not a join: while the slots table has no statistics yet,
    # PostgreSQL joined it to the whole question bank by hashing (docs/performance.md).
    question: Mapped[BankQuestion] = relationship(lazy="selectin")


class ExtraTime(db.Model):
    """An official's override on one test (an accommodation): extra minutes, extra attempts
    and a later close. Invariant: one per (quiz, official); changing it moves the deadline of
    a running attempt at once; `closes_at` is never earlier than the test's own close."""

    __tablename__ = "quiz_extra_times"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    closes_at: Mapped[datetime | None]

    __table_args__ = (db.UniqueConstraint("quiz_id", "official_id"),)
