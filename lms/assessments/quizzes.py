"""A course's test: built from course.toml's [test], edited by its authors, extra time per
official (applied at once to a running attempt). Services flush; callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from lms.assessments import rules, scoring
from lms.assessments.models import (
    ALL_ON_ONE_PAGE,
    IN_PROGRESS,
    LAYOUTS,
    Attempt,
    BankQuestion,
    ExtraTime,
    QuestionCategory,
    Quiz,
)
from lms.assessments.rules import REVIEW_MOMENTS, REVIEW_PARTS, default_review
from lms.audit import services as audit
from lms.catalog.models import PUBLISHED, Course
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
    delay_minutes: int = 0


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
    numbers = (data.question_count, data.time_limit_minutes, data.max_attempts, data.delay_minutes)
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


def override_of(quiz: Quiz, official_id: int | None) -> ExtraTime | None:
    """The official's override on this test, if any."""
    if not official_id:
        return None
    return db.session.scalar(
        select(ExtraTime).where(ExtraTime.quiz_id == quiz.id, ExtraTime.official_id == official_id)
    )


def terms_of(quiz: Quiz, official_id: int | None) -> Terms:
    """The test's terms for the official (their override, if any, applied)."""
    row = override_of(quiz, official_id)
    if row is None:
        return Terms(quiz.max_attempts, quiz.closes_at, 0)
    return Terms(
        rules.allowed_attempts(quiz.max_attempts, row.extra_attempts),
        rules.later_close(quiz.closes_at, row.closes_at),
        row.minutes,
    )


def extra_minutes(quiz: Quiz, official_id: int) -> int:
    """The official's extra time on this test (0 when none)."""
    row = override_of(quiz, official_id)
    return row.minutes if row else 0


def _running(quiz: Quiz, official_id: int) -> list[Attempt]:
    """The official's attempts of the quiz still in progress (their deadlines move with a
    change of their extra time or override)."""
    return list(
        db.session.scalars(
            select(Attempt).where(
                Attempt.quiz_id == quiz.id,
                Attempt.official_id == official_id,
                Attempt.status == IN_PROGRESS,
            )
        )
    )


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
    running = _running(quiz, official_id)
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


@dataclass(frozen=True)
class Override:
    """What a manager grants one official on a test."""

    minutes: int = 0
    extra_attempts: int = 0
    closes_at: datetime | None = None  # naive UTC; only later than the test's close counts


def set_override(quiz: Quiz, official_id: int, data: Override, actor) -> int:
    """Grant (or, with all zero, remove) an official's override: extra time, extra attempts, a
    later close (audited). A running attempt's deadline is worked out again at once from its
    start. Returns how many running attempts were changed.

    Raises ValidationFailed for a negative or absurd amount, or a close not after the opening.
    """
    reasons = []
    if not 0 <= data.minutes <= 24 * 60:
        reasons.append(("minutes", _("Extra time is 0 to 1440 minutes.")))
    if not 0 <= data.extra_attempts <= 100:
        reasons.append(("extra_attempts", _("Extra attempts are 0 to 100.")))
    if data.closes_at and quiz.opens_at and data.closes_at <= quiz.opens_at:
        reasons.append(("closes_at", _("The test must close after it opens.")))
    if reasons:
        raise ValidationFailed(reasons)
    row = override_of(quiz, official_id)
    fields = ("minutes", "extra_attempts", "closes_at")
    before = {name: getattr(row, name) if row else None for name in fields}
    old = terms_of(quiz, official_id)
    if row is None:
        row = ExtraTime(quiz_id=quiz.id, official_id=official_id)
        db.session.add(row)
    row.minutes, row.extra_attempts = data.minutes, data.extra_attempts
    row.closes_at = data.closes_at
    db.session.flush()
    new = terms_of(quiz, official_id)
    running = _running(quiz, official_id)
    for attempt in running:
        attempt.deadline_at = _moved_deadline(attempt, quiz, old, new)
    db.session.flush()
    after = {name: getattr(row, name) for name in fields}
    was, now = audit.diff(before, after)
    audit.record(
        actor,
        "quiz.override",
        "quiz",
        quiz.id,
        {"official_id": official_id, **was},
        {"official_id": official_id, **now},
    )
    return len(running)


def _moved_deadline(attempt: Attempt, quiz: Quiz, old: Terms, new: Terms) -> datetime | None:
    """A running attempt's deadline under the official's new terms: the one fixed at its start
    moved by the change of extra time, never after the (new) close; one that the old close cut
    short is worked out again from its start."""
    cut = attempt.deadline_at is None or (
        old.closes_at is not None and attempt.deadline_at >= old.closes_at
    )
    if cut:
        return scoring.deadline(
            attempt.started_at, quiz.time_limit_minutes, new.extra_minutes, new.closes_at
        )
    moved = attempt.deadline_at + timedelta(minutes=new.extra_minutes - old.extra_minutes)
    return min(moved, new.closes_at) if new.closes_at is not None else moved


def bank_warnings(quiz: Quiz) -> list[str]:
    """Warnings for the manager about the test's bank (lms.assessments.rules.bank_warnings),
    as sentences: an attempt draws more than half of the bank, or the bank is smaller than
    questions × attempts."""
    pool = pool_of(quiz.course_id)
    size = sum(len(ids) for ids in pool.values())
    if quiz.draws:
        per_attempt = sum(min(n, len(pool.get(path, ()))) for path, n in quiz.draws.items())
    else:
        per_attempt = min(quiz.question_count, size) if quiz.question_count else size
    found = rules.bank_warnings(size, per_attempt, quiz.max_attempts)
    words = {
        rules.DRAWS_MOST: _(
            "Each attempt draws %(drawn)d of the %(bank)d questions in the bank, more than "
            "half: a learner who retries sees most of the bank.",
            drawn=per_attempt,
            bank=size,
        ),
        rules.BANK_TOO_SMALL: _(
            "The bank has %(bank)d questions, fewer than %(drawn)d questions × %(attempts)d "
            "attempts: retries will repeat questions.",
            bank=size,
            drawn=per_attempt,
            attempts=quiz.max_attempts,
        ),
    }
    return [words[code] for code in found]


def pool_of(course_id: int) -> dict[str, list[int]]:
    """The ids of the bank's questions in use (not retired), by category path, in order."""
    rows = db.session.execute(
        select(QuestionCategory.path, BankQuestion.id)
        .join(QuestionCategory, QuestionCategory.id == BankQuestion.category_id)
        .where(BankQuestion.course_id == course_id, BankQuestion.retired_at.is_(None))
        .order_by(QuestionCategory.path, BankQuestion.position, BankQuestion.id)
    )
    pool: dict[str, list[int]] = {}
    for path, qid in rows:
        pool.setdefault(path, []).append(qid)
    return pool


def published_tests() -> list[Quiz]:
    """The tests of published courses, by course code (those an in-person class may take as
    its final test)."""
    return list(
        db.session.scalars(
            select(Quiz)
            .join(Course, Course.id == Quiz.course_id)
            .where(Course.status == PUBLISHED)
            .order_by(Course.code)
        )
    )
