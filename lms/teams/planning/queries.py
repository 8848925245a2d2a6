"""Reading the training needs and the annual plan: the units of a scope with the state of
their needs, a unit's need lines, the plan by course and quarter, and plan vs actual — each in
a fixed number of queries whatever the city's size (plan vs actual groups the completions in
SQL, by unit, course, month and gender)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, extract, func, or_, select

from lms.auth.scope import Scope
from lms.catalog.models import ContentArea, Course
from lms.common.pagination import Page, paginate
from lms.curricula.completions.models import Completion
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation.models import Gender, Official, OrgUnit, Position, PositionAssignment
from lms.organisation.queries import is_current_post
from lms.teams.planning import rules
from lms.teams.planning.models import (
    NeedLine,
    NeedSubmission,
    PlanClasses,
    PlanLine,
    TrainingPlan,
)

BY = ("unit", "course", "quarter", "area", "gender")
BY_LABELS = {
    "unit": _l("Unit"),
    "course": _l("Course"),
    "quarter": _l("Quarter"),
    "area": _l("Content area"),
    "gender": _l("Gender"),
}


def units_page(scope: Scope, year: int, page: int, per_page: int = 50) -> Page:
    """One page of the scope's units open in `year` (tree order) with their needs of `year`: rows of
    (unit, submission or None, lines, officials)."""
    lines = (
        select(
            NeedLine.submission_id.label("sid"),
            func.count(NeedLine.id).label("lines"),
            func.coalesce(func.sum(NeedLine.count), 0).label("officials"),
        )
        .group_by(NeedLine.submission_id)
        .subquery()
    )
    stmt = (
        select(OrgUnit, NeedSubmission, lines.c.lines, lines.c.officials)
        .outerjoin(
            NeedSubmission,
            and_(NeedSubmission.unit_id == OrgUnit.id, NeedSubmission.year == year),
        )
        .outerjoin(lines, lines.c.sid == NeedSubmission.id)
        .where(or_(OrgUnit.valid_to.is_(None), OrgUnit.valid_to >= date(year, 1, 1)))
        .order_by(OrgUnit.path)
    )
    condition = scope.unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    return paginate(stmt, page, per_page, scalars=False)


def need_lines(submission: NeedSubmission | None) -> list[NeedLine]:
    if submission is None:
        return []
    return list(
        db.session.scalars(
            select(NeedLine).where(NeedLine.submission_id == submission.id).order_by(NeedLine.id)
        )
    )


@dataclass
class PlanRow:
    """A course (or an area with no course) in a quarter: officials, units, classes."""

    course: Course | None
    content_area: str
    quarter: int
    officials: int
    units: int
    classes: int | None


def plan_rows(plan: TrainingPlan) -> list[PlanRow]:
    """The plan by course (code order; areas with no course last) and quarter."""
    grouped = db.session.execute(
        select(
            PlanLine.course_id,
            PlanLine.content_area,
            PlanLine.quarter,
            func.sum(PlanLine.count),
            func.count(PlanLine.unit_id.distinct()),
        )
        .where(PlanLine.plan_id == plan.id)
        .group_by(PlanLine.course_id, PlanLine.content_area, PlanLine.quarter)
    ).all()
    ids = {row[0] for row in grouped if row[0] is not None}
    courses = {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_(ids)))}
    classes = {
        (row.course_id, row.quarter): row.classes
        for row in db.session.scalars(select(PlanClasses).where(PlanClasses.plan_id == plan.id))
    }
    rows = [
        PlanRow(
            courses.get(course_id),
            area,
            quarter,
            int(total),
            int(units),
            classes.get((course_id, quarter)) if course_id else None,
        )
        for course_id, area, quarter, total, units in grouped
    ]
    return sorted(
        rows,
        key=lambda r: (r.course is None, r.course.code if r.course else r.content_area, r.quarter),
    )


def submitted_count(year: int, scope: Scope | None = None) -> tuple[int, int]:
    """(units that submitted their needs of `year`, units with a draft), among the units of
    `scope` when given: a ward's head is told about the units listed below, not the city's."""
    stmt = (
        select(NeedSubmission.state, func.count())
        .join(OrgUnit, OrgUnit.id == NeedSubmission.unit_id)
        .where(NeedSubmission.year == year)
        .group_by(NeedSubmission.state)
    )
    condition = scope.unit_filter(OrgUnit.path) if scope is not None else None
    if condition is not None:
        stmt = stmt.where(condition)
    counts = dict(db.session.execute(stmt).all())
    return counts.get("submitted", 0), counts.get("draft", 0)


# --- plan vs actual ---------------------------------------------------------------------------


@dataclass
class Comparison:
    """Plan vs actual grouped one way: rows of (key, label, planned or None, actual, rate),
    the totals, and the officials trained in courses the plan names nowhere."""

    by: str
    rows: list[tuple] = field(default_factory=list)
    planned: int = 0
    actual: int = 0
    unplanned: int = 0

    @property
    def rate(self) -> int | None:
        return rules.completion_rate(self.planned, self.actual)


def plan_vs_actual(plan: TrainingPlan, scope: Scope, by: str) -> Comparison:
    """Planned and actual officials of the plan's year, for the plan units in `scope`, grouped
    `by` unit, course, quarter, area or gender (planned is None by gender: needs carry none).
    Three queries: the plan lines, the courses, the completions grouped in SQL."""
    lines = db.session.execute(
        select(PlanLine, OrgUnit.path, OrgUnit.code, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == PlanLine.unit_id)
        .where(PlanLine.plan_id == plan.id)
    ).all()
    lines = [row for row in lines if scope.covers_unit(row.path)]
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    named = {row.PlanLine.course_id for row in lines if row.PlanLine.course_id is not None}
    areas_alone = {row.PlanLine.content_area for row in lines if row.PlanLine.course_id is None}
    units = {row.path: (row.code, row.name) for row in lines}

    planned: dict = defaultdict(int)
    for row in lines:
        line = row.PlanLine
        area = courses[line.course_id].content_area if line.course_id else line.content_area
        key = {
            "unit": row.path,
            "course": ("course", line.course_id) if line.course_id else ("area", area),
            "quarter": line.quarter,
            "area": area,
        }.get(by)
        if key is not None:
            planned[key] += line.count

    month = extract("month", Completion.completed_on)
    done = select(
        OrgUnit.path,
        Completion.course_id,
        month,
        Official.gender,
        func.count(Completion.official_id.distinct()),
    ).join(Official, Official.id == Completion.official_id)
    done = (
        done.join(
            PositionAssignment,
            and_(PositionAssignment.official_id == Official.id, is_current_post()),
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(
            Completion.revoked_at.is_(None),
            Completion.completed_on >= date(plan.year, 1, 1),
            Completion.completed_on <= date(plan.year, 12, 31),
        )
        .group_by(OrgUnit.path, Completion.course_id, month, Official.gender)
    )
    condition = scope.unit_filter(OrgUnit.path)
    if condition is not None:
        done = done.where(condition)
    actual: dict = defaultdict(int)
    result = Comparison(by)
    for path, course_id, month_number, gender, count in db.session.execute(done):
        course = courses.get(course_id)
        area = course.content_area if course else ""
        line_key = rules.plan_key(course_id, area, named, areas_alone)
        home = rules.planning_unit(path, units)
        if line_key is None or home is None:
            result.unplanned += int(count)
            continue
        key = {
            "unit": home,
            "course": line_key,
            "quarter": rules.quarter_of(int(month_number)),
            "area": area,
            "gender": gender,
        }[by]
        actual[key] += int(count)

    keys = set(planned) | set(actual)
    for key in sorted(keys, key=lambda k: _order(by, k, units, courses)):
        plan_count = planned.get(key) if by != "gender" else None
        count = actual.get(key, 0)
        label = _label(by, key, units, courses)
        result.rows.append(
            (key, label, plan_count, count, rules.completion_rate(plan_count, count))
        )
    result.planned = sum(planned.values())
    result.actual = sum(actual.values())
    return result


def _order(by, key, units, courses):
    if by == "course":
        kind, value = key
        return (kind != "course", courses[value].code if kind == "course" else value)
    if by == "unit":
        return key
    return str(key)


def _label(by: str, key, units, courses) -> str:
    if by == "unit":
        code, name = units[key]
        return f"{code} — {name}"
    if by == "course":
        kind, value = key
        if kind == "course":
            return f"{courses[value].code} — {courses[value].title}"
        return _("%(area)s (no course named)", area=str(ContentArea.label_of(value)))
    if by == "quarter":
        return _("Quarter %(number)s", number=key)
    if by == "area":
        return str(ContentArea.label_of(key)) if key else _("No content area")
    return str(Gender.label_of(key))


def position_names() -> dict[str, str]:
    """Job position code → name: a need's positions are stored as codes ("XA-MC") and read
    by their names."""
    return {p.code: p.name for p in db.session.scalars(select(Position))}
