"""Read-side catalog queries. Each page runs a fixed number of queries, whatever the data size:
one page of courses, then one query per extra fact (lesson counts, progress, positions)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from blinker import Namespace
from sqlalchemy import Select, and_, distinct, false, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from lms.auth.scope import Scope
from lms.catalog import rules
from lms.catalog.models import (
    CONTENT_AREAS,
    KINDS,
    PUBLISHED,
    STATUSES,
    Course,
    CoursePosition,
    Enrolment,
    Lesson,
    LessonProgress,
)
from lms.common import vntext
from lms.common.pagination import Page, paginate
from lms.extensions import db
from lms.organisation.models import OrgUnit, Position, PositionAssignment


@dataclass(frozen=True)
class CatalogFilters:
    """Catalog search: words (accents optional), content area, credits, kind, and "mine"
    (only courses mandatory for a position the viewer holds)."""

    q: str = ""
    content_area: str = ""
    credits: str = ""
    kind: str = ""
    mine: str = ""

    @classmethod
    def from_args(cls, args) -> "CatalogFilters":
        """Filters from a query string; unknown values are dropped rather than refused."""
        values = {key: (args.get(key) or "").strip() for key in cls.__annotations__}
        if values["content_area"] not in CONTENT_AREAS:
            values["content_area"] = ""
        if values["kind"] not in KINDS:
            values["kind"] = ""
        credits = _decimal(values["credits"])
        values["credits"] = plain(credits) if credits is not None else ""
        values["mine"] = "1" if values["mine"] else ""
        return cls(**values)


@dataclass(frozen=True)
class CourseRow:
    """A course with the viewer's progress in it."""

    course: Course
    lessons: int
    done: int
    enrolled: bool
    mandatory: bool

    @property
    def percent(self) -> int:
        return rules.percent(self.done, self.lessons)


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 2.00 → "2", 0.50 → "0.5"."""
    return format(number.normalize(), "f")


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def held_position_codes(official_id: int | None, as_of: date) -> set[str]:
    """Codes of the positions an official holds on `as_of` (primary and concurrent posts)."""
    if official_id is None:
        return set()
    stmt = (
        select(Position.code)
        .join(PositionAssignment, PositionAssignment.position_id == Position.id)
        .where(
            PositionAssignment.official_id == official_id,
            PositionAssignment.started_on <= as_of,
            or_(PositionAssignment.ended_on.is_(None), PositionAssignment.ended_on >= as_of),
        )
    )
    return set(db.session.scalars(stmt))


# Courses an official must take besides those whose course.toml names a position they hold:
# the curricula domain connects its obligations here (catalog cannot import it). A receiver is
# called with the official's id and `course_ids` (None: any) and returns course ids.
required_courses = Namespace().signal("required-courses")


def required_course_ids(official_id: int | None, course_ids: list[int] | None = None) -> set[int]:
    """Ids of the courses (among `course_ids`, or all) a later domain requires of the official."""
    if official_id is None:
        return set()
    found: set[int] = set()
    for _receiver, ids in required_courses.send(official_id, course_ids=course_ids):
        found |= set(ids or ())
    return found


def _mandatory_condition(positions: set[str], official_id: int | None = None):
    required = required_course_ids(official_id)
    if not positions and not required:
        return false()
    by_position = Course.id.in_(
        select(CoursePosition.course_id).where(CoursePosition.position_code.in_(positions))
    )
    return or_(by_position, Course.id.in_(required)) if required else by_position


def _search(stmt: Select, q: str) -> Select:
    for word in vntext.search_key(q).split():
        stmt = stmt.where(Course.search_text.contains(word, autoescape=True))
    return stmt


def search_catalog(
    filters: CatalogFilters, official_id: int | None, positions: set[str], page: int, per_page: int
) -> Page:
    """One page of CourseRow: published courses matching the filters, in Vietnamese title order.

    Args:
        filters: The search; every word of `q` must appear in the code or a title.
        official_id: The viewer's official record (for progress), or None.
        positions: Position codes the viewer holds (for "mandatory for me").
    """
    stmt = _search(select(Course).where(Course.status == PUBLISHED), filters.q)
    if filters.content_area:
        stmt = stmt.where(Course.content_area == filters.content_area)
    if filters.kind:
        stmt = stmt.where(Course.kind == filters.kind)
    if filters.credits:
        stmt = stmt.where(Course.credits == _decimal(filters.credits))
    if filters.mine:
        stmt = stmt.where(_mandatory_condition(positions, official_id))
    result = paginate(stmt.order_by(Course.sort_title, Course.id), page, per_page)
    rows = course_rows(result.items, official_id, positions)
    return Page(rows, result.page, result.per_page, result.total)


def course_rows(courses: list[Course], official_id: int | None, positions: set[str]) -> list:
    """CourseRow for each course: lesson counts, the official's progress and enrolments, and
    which are mandatory for them (four queries, whatever the number of courses)."""
    ids = [course.id for course in courses]
    if not ids:
        return []
    lessons = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.course_id.in_(ids), Lesson.retired_at.is_(None))
            .group_by(Lesson.course_id)
        ).all()
    )
    done: dict[int, int] = {}
    if official_id is not None:
        done = dict(
            db.session.execute(
                select(Enrolment.course_id, func.count(Lesson.id))
                .outerjoin(LessonProgress, LessonProgress.enrolment_id == Enrolment.id)
                .outerjoin(
                    Lesson,
                    and_(Lesson.id == LessonProgress.lesson_id, Lesson.retired_at.is_(None)),
                )
                .where(Enrolment.official_id == official_id, Enrolment.course_id.in_(ids))
                .group_by(Enrolment.course_id)
            ).all()
        )
    mandatory = required_course_ids(official_id, ids)
    if positions:
        mandatory |= set(
            db.session.scalars(
                select(distinct(CoursePosition.course_id)).where(
                    CoursePosition.course_id.in_(ids), CoursePosition.position_code.in_(positions)
                )
            )
        )
    return [
        CourseRow(
            course,
            lessons.get(course.id, 0),
            done.get(course.id, 0),
            course.id in done,
            course.id in mandatory,
        )  # fmt: skip
        for course in courses
    ]


def credit_choices() -> list[tuple[str, Decimal]]:
    """The distinct credit values of published courses, for the filter: (plain text, value)."""
    stmt = (
        select(distinct(Course.credits)).where(Course.status == PUBLISHED).order_by(Course.credits)
    )
    return [(plain(value), value) for value in db.session.scalars(stmt)]


def course_by_code(code: str, *, lessons: bool = True) -> Course | None:
    """A course with its owner unit and positions loaded, and (`lessons`) its lessons and
    prerequisites; the test pages, opened by every taker of a test wave, leave those out."""
    options = [joinedload(Course.owner_unit), selectinload(Course.positions)]
    if lessons:
        options += [selectinload(Course.lessons), selectinload(Course.prerequisites)]
    return db.session.scalar(
        select(Course).where(Course.code == code.strip().upper()).options(*options)
    )


@dataclass(frozen=True)
class LearnerState:
    """An official's standing in a course: enrolment, lessons done (left empty when the caller
    did not ask for them), whether it is mandatory."""

    enrolment: Enrolment | None
    done: set[int]
    mandatory: bool


def learner_state(
    official_id: int | None, course: Course, positions: set[str], *, lessons: bool = True
) -> LearnerState:
    """The viewer's enrolment and (`lessons`) done lesson ids in `course` (two queries at
    most)."""
    mandatory = rules.is_mandatory_for(course.position_codes, positions) or (
        course.id in required_course_ids(official_id, [course.id])
    )
    if official_id is None:
        return LearnerState(None, set(), mandatory)
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.official_id == official_id, Enrolment.course_id == course.id
        )
    )
    done = set()
    if enrolment is not None and lessons:
        done = set(
            db.session.scalars(
                select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment.id)
            )
        )
    return LearnerState(enrolment, done, mandatory)


@dataclass(frozen=True)
class ManageRow:
    """A course on the authoring list, with its number of lessons."""

    course: Course
    lessons: int


def manage_courses(
    scope: Scope | list[str] | None, q: str, status: str, page: int, per_page: int
) -> Page:
    """One page of ManageRow: every course owned by a unit in `scope` (None: all courses),
    drafts and archived ones included, in Vietnamese title order."""
    lesson_count = (
        select(func.count(Lesson.id))
        .where(Lesson.course_id == Course.id, Lesson.retired_at.is_(None))
        .correlate(Course)
        .scalar_subquery()
    )
    stmt = _search(
        select(Course, lesson_count)
        .outerjoin(OrgUnit, OrgUnit.id == Course.owner_unit_id)
        .options(contains_eager(Course.owner_unit)),
        q,
    )
    condition = Scope.from_paths(scope).unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    if status in STATUSES:
        stmt = stmt.where(Course.status == status)
    result = paginate(stmt.order_by(Course.sort_title, Course.id), page, per_page, scalars=False)
    rows = [ManageRow(course, count) for course, count in result.items]
    return Page(rows, result.page, result.per_page, result.total)


def courses_for_choice(exclude_id: int | None = None) -> list[Course]:
    """Every course (for picking prerequisites), by code."""
    stmt = select(Course).order_by(Course.code)
    if exclude_id is not None:
        stmt = stmt.where(Course.id != exclude_id)
    return list(db.session.scalars(stmt))


def lessons_left(official_id: int, course_ids: list[int]) -> dict[int, list[Lesson]]:
    """The lessons of each course the official has not done yet, in course order (retired
    lessons are not asked for); a course whose lessons are all done (its enrolment says so) is
    left out. One query, whatever the number of courses."""
    if not course_ids:
        return {}
    done = (
        select(LessonProgress.id)
        .join(Enrolment, Enrolment.id == LessonProgress.enrolment_id)
        .where(Enrolment.official_id == official_id, LessonProgress.lesson_id == Lesson.id)
    )
    finished = select(Enrolment.id).where(
        Enrolment.official_id == official_id,
        Enrolment.course_id == Lesson.course_id,
        Enrolment.lessons_done_at.is_not(None),
    )
    stmt = (
        select(Lesson)
        .where(
            Lesson.course_id.in_(course_ids),
            Lesson.retired_at.is_(None),
            ~done.exists(),
            ~finished.exists(),
        )
        .order_by(Lesson.course_id, Lesson.position, Lesson.id)
    )
    left: dict[int, list[Lesson]] = {}
    for lesson in db.session.scalars(stmt):
        left.setdefault(lesson.course_id, []).append(lesson)
    return left
