"""Read-side queries of the staff screens: the essay grading queue (scoped to the viewer's
units in SQL) and a test's statistics (aggregated in SQL; a fixed number of queries); and the
learner's courses whose test is passed while lessons are left."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import joinedload

from lms.assessments import scoring
from lms.assessments.models import GRADED, SUBMITTED, Attempt, AttemptSlot, BankQuestion, Quiz
from lms.auth.scope import Scope
from lms.catalog import queries as catalog_queries
from lms.catalog.models import Course
from lms.common.pagination import Page, paginate
from lms.curricula.completions.models import Completion
from lms.extensions import db
from lms.organisation.models import OrgUnit


def grading_queue(
    scope: Scope | list[str] | None,
    page: int,
    per_page: int = 50,
    grader_official_id: int | None = None,
) -> Page:
    """Essays waiting for a grader, oldest submission first, in courses owned by a unit in the
    scope (None: all), leaving out the grader's own attempts (another grader marks those)."""
    stmt = (
        select(AttemptSlot)
        .join(Attempt, Attempt.id == AttemptSlot.attempt_id)
        .join(BankQuestion, BankQuestion.id == AttemptSlot.question_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Course, Course.id == Quiz.course_id)
        .outerjoin(OrgUnit, OrgUnit.id == Course.owner_unit_id)
        .where(
            Attempt.status == SUBMITTED,
            AttemptSlot.fraction.is_(None),
            AttemptSlot.mark > 0,
            BankQuestion.kind == "essay",
        )
        .options(
            joinedload(AttemptSlot.attempt).joinedload(Attempt.official),
            joinedload(AttemptSlot.attempt).joinedload(Attempt.quiz).joinedload(Quiz.course),
            joinedload(AttemptSlot.question),
        )
        .order_by(Attempt.submitted_at, AttemptSlot.id)
    )
    condition = Scope.from_paths(scope).unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    if grader_official_id is not None:
        stmt = stmt.where(Attempt.official_id != grader_official_id)
    return paginate(stmt, page, per_page)


def slot_in_scope(slot_id: int, scope: Scope | list[str] | None) -> AttemptSlot | None:
    """One essay slot if its course lies in the scope."""
    stmt = (
        select(AttemptSlot)
        .join(Attempt, Attempt.id == AttemptSlot.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Course, Course.id == Quiz.course_id)
        .outerjoin(OrgUnit, OrgUnit.id == Course.owner_unit_id)
        .where(AttemptSlot.id == slot_id)
    )
    condition = Scope.from_paths(scope).unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class QuestionRow:
    question: BankQuestion
    stats: scoring.ItemStats


@dataclass(frozen=True)
class QuizStats:
    attempts: int
    passed: int
    average: Decimal | None
    histogram: list[int]
    questions: list[QuestionRow]

    @property
    def pass_rate(self) -> Decimal | None:
        if not self.attempts:
            return None
        return (Decimal(self.passed) * 100 / self.attempts).quantize(scoring.CENT)


def quiz_statistics(quiz: Quiz) -> QuizStats:
    """Graded attempts of the test: count, passes, mean score, score distribution (10 bins),
    and per question the facility and discrimination index (Moodle's quiz statistics, over
    all graded attempts). Four queries whatever the number of attempts."""
    graded = (Attempt.quiz_id == quiz.id, Attempt.status == GRADED)
    count, passes, average = db.session.execute(
        select(
            func.count(Attempt.id),
            func.coalesce(func.sum(case((Attempt.passed.is_(True), 1), else_=0)), 0),
            func.avg(Attempt.percent),
        ).where(*graded)
    ).one()
    bin_index = func.floor(cast(Attempt.percent, Float) / 10)
    bins = db.session.execute(
        select(bin_index, func.count()).where(*graded).group_by(bin_index)
    ).all()
    histogram = [0] * 10
    for index, n in bins:
        histogram[min(int(index or 0), 9)] += n
    earned = cast(AttemptSlot.fraction, Float) * cast(AttemptSlot.mark, Float)
    totals = (
        select(AttemptSlot.attempt_id.label("attempt_id"), func.sum(earned).label("total"))
        .join(Attempt, Attempt.id == AttemptSlot.attempt_id)
        .where(*graded)
        .group_by(AttemptSlot.attempt_id)
        .subquery()
    )
    x = cast(AttemptSlot.fraction, Float)
    rest = totals.c.total - earned
    sums = db.session.execute(
        select(
            AttemptSlot.question_id,
            func.count(),
            func.sum(x),
            func.sum(x * x),
            func.sum(rest),
            func.sum(rest * rest),
            func.sum(x * rest),
        )
        .join(totals, totals.c.attempt_id == AttemptSlot.attempt_id)
        .where(AttemptSlot.mark > 0)
        .group_by(AttemptSlot.question_id)
    ).all()
    by_id = {row[0]: scoring.stats_from_sums(*row[1:]) for row in sums}
    questions = db.session.scalars(
        select(BankQuestion).where(BankQuestion.id.in_(by_id)).order_by(BankQuestion.position)
    ).all()
    return QuizStats(
        attempts=count,
        passed=int(passes),
        average=Decimal(str(average)).quantize(scoring.CENT) if average is not None else None,
        histogram=histogram,
        questions=[QuestionRow(q, by_id[q.id]) for q in questions],
    )


@dataclass(frozen=True)
class UnfinishedCourse:
    """A course whose test the official passed while some of its lessons are not done: the
    course is not complete (no credits, no certificate) until they are."""

    course: Course
    lessons: list


def passed_unfinished(official_id: int | None, course_id: int | None = None) -> list:
    """The official's courses (or only `course_id`) with a passed test, no completion from any
    source, and lessons left, by course code; each with the lessons left, in order (two
    queries)."""
    if official_id is None:
        return []
    completed = select(Completion.id).where(
        Completion.official_id == official_id,
        Completion.course_id == Course.id,
        Completion.revoked_at.is_(None),
    )
    passed = select(Attempt.id).where(
        Attempt.quiz_id == Quiz.id,
        Attempt.official_id == official_id,
        Attempt.status == GRADED,
        Attempt.passed.is_(True),
    )
    stmt = (
        select(Course)
        .join(Quiz, Quiz.course_id == Course.id)
        .where(passed.exists(), ~completed.exists())
        .order_by(Course.code)
    )
    if course_id is not None:
        stmt = stmt.where(Course.id == course_id)
    courses = list(db.session.scalars(stmt))
    left = catalog_queries.lessons_left(official_id, [course.id for course in courses])
    return [UnfinishedCourse(c, left[c.id]) for c in courses if left.get(c.id)]
