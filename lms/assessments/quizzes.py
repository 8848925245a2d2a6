"""A course's test: built from course.toml's [test], edited by its authors, extra time per
official (applied at once to a running attempt). Services flush; callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from lms.assessments.models import (
    ALL_ON_ONE_PAGE,
    IN_PROGRESS,
    LAYOUTS,
    Attempt,
    ExtraTime,
    Quiz,
)
from lms.assessments.rules import REVIEW_MOMENTS, REVIEW_PARTS, default_review
from lms.audit import services as audit
from lms.catalog.models import Course
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _

DEFAULT_PASS_MARK = Decimal(50)


def quiz_of(course: Course) -> Quiz | None:
    """The course's test, if it has one."""
    return db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))


def _int(value, default: int = 0) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return default


def _pass_mark(value) -> Decimal:
    try:
        mark = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return DEFAULT_PASS_MARK
    return mark if mark.is_finite() and 0 <= mark <= 100 else DEFAULT_PASS_MARK


def sync_quiz(course: Course) -> Quiz | None:
    """Create or update the course's test from `course.test_settings` ([test] of course.toml:
    questions, time_limit_minutes, max_attempts, pass_mark, shuffle). Settings are applied
    only when the table changed since the last sync, so changes made on the web survive a
    re-import of an unchanged course. No [test] table and no test yet: nothing is created."""
    settings = course.test_settings
    quiz = quiz_of(course)
    if settings is None:
        return quiz
    if quiz is None:
        quiz = Quiz(course_id=course.id, review=default_review(), layout=ALL_ON_ONE_PAGE)
        db.session.add(quiz)
    elif quiz.synced_settings == settings:
        return quiz
    quiz.question_count = _int(settings.get("questions"))
    quiz.time_limit_minutes = _int(settings.get("time_limit_minutes"))
    quiz.max_attempts = _int(settings.get("max_attempts"))
    quiz.pass_mark = _pass_mark(settings.get("pass_mark", DEFAULT_PASS_MARK))
    shuffle = bool(settings.get("shuffle", True))
    quiz.shuffle_questions = quiz.shuffle_answers = shuffle
    quiz.synced_settings = dict(settings)
    db.session.flush()
    return quiz


@dataclass(frozen=True)
class QuizData:
    """Settings a course author edits on the web."""

    question_count: int
    draws: dict[str, int]
    time_limit_minutes: int
    max_attempts: int
    pass_mark: Decimal
    shuffle_questions: bool
    shuffle_answers: bool
    layout: str
    review: dict[str, list[str]]  # {moment: [parts]} (lms.assessments.rules)
    opens_at: datetime | None
    closes_at: datetime | None


def save_quiz(course: Course, data: QuizData, actor) -> Quiz:
    """Create or change the course's test (audited).

    Raises ValidationFailed for a pass mark outside 0–100, a close before the opening, an
    unknown layout or review option, or a negative number.
    """
    reasons = []
    if not (0 <= data.pass_mark <= 100):
        reasons.append(("pass_mark", _("The pass mark is a percentage from 0 to 100.")))
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        reasons.append(("closes_at", _("The test must close after it opens.")))
    unknown_review = set(data.review) - set(REVIEW_MOMENTS) or any(
        set(parts) - set(REVIEW_PARTS) for parts in data.review.values()
    )
    if data.layout not in LAYOUTS or unknown_review:
        reasons.append((None, _("Unknown option.")))
    numbers = (data.question_count, data.time_limit_minutes, data.max_attempts)
    if min(numbers) < 0 or any(n < 0 for n in data.draws.values()):
        reasons.append((None, _("Numbers cannot be negative.")))
    if reasons:
        raise ValidationFailed(reasons)
    quiz = quiz_of(course)
    if quiz is None:
        quiz = Quiz(course_id=course.id)
        db.session.add(quiz)
        db.session.flush()
    fields = {name: getattr(data, name) for name in QuizData.__dataclass_fields__}
    fields["review"] = {
        m: [p for p in REVIEW_PARTS if p in data.review.get(m, ())] for m in REVIEW_MOMENTS
    }
    fields["draws"] = {path: n for path, n in data.draws.items() if n > 0}
    before = {name: getattr(quiz, name) for name in fields}
    for name, value in fields.items():
        setattr(quiz, name, value)
    db.session.flush()
    audit.record(actor, "quiz.save", "quiz", quiz.id, *audit.diff(before, fields))
    return quiz


@dataclass(frozen=True)
class Terms:
    """A test's terms for one official: its own, with the official's override applied."""

    max_attempts: int  # 0: unlimited
    closes_at: datetime | None
    extra_minutes: int


def terms_of(quiz: Quiz, official_id: int | None) -> Terms:
    """The test's terms for the official (their override, if any, applied)."""
    minutes = extra_minutes(quiz, official_id) if official_id else 0
    return Terms(quiz.max_attempts, quiz.closes_at, minutes)


def extra_minutes(quiz: Quiz, official_id: int) -> int:
    """The official's extra time on this test (0 when none)."""
    row = db.session.scalar(
        select(ExtraTime).where(ExtraTime.quiz_id == quiz.id, ExtraTime.official_id == official_id)
    )
    return row.minutes if row else 0


def set_extra_time(quiz: Quiz, official_id: int, minutes: int, actor) -> int:
    """Grant (or, with 0, remove) extra minutes; a running attempt's deadline moves at once.
    Returns how many running attempts were changed.

    Raises ValidationFailed for a negative or absurd amount (over a day).
    """
    if not 0 <= minutes <= 24 * 60:
        raise ValidationFailed([("minutes", _("Extra time is 0 to 1440 minutes."))])
    row = db.session.scalar(
        select(ExtraTime).where(ExtraTime.quiz_id == quiz.id, ExtraTime.official_id == official_id)
    )
    before = row.minutes if row else 0
    if row is None:
        row = ExtraTime(quiz_id=quiz.id, official_id=official_id, minutes=minutes)
        db.session.add(row)
    row.minutes = minutes
    running = db.session.scalars(
        select(Attempt).where(
            Attempt.quiz_id == quiz.id,
            Attempt.official_id == official_id,
            Attempt.status == IN_PROGRESS,
        )
    ).all()
    delta = timedelta(minutes=minutes - before)  # the deadline fixed at start, moved
    for attempt in running:
        if attempt.deadline_at is None:
            continue
        moved = attempt.deadline_at + delta
        if quiz.closes_at is not None and quiz.time_limit_minutes:
            moved = min(moved, quiz.closes_at)
        attempt.deadline_at = moved
    db.session.flush()
    audit.record(
        actor,
        "quiz.extra_time",
        "quiz",
        quiz.id,
        {"official_id": official_id, "minutes": before},
        {"official_id": official_id, "minutes": minutes},
    )
    return len(running)
