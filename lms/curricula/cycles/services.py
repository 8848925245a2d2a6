"""Curriculum and cycle management services: preview who a curriculum change affects (counted
in SQL, within the manager's scope), save it (audited) and refresh the officials concerned;
create and edit training cycles. Services flush and never commit."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, distinct, exists, func, or_, select

from lms.audit.services import record
from lms.auth.models import ADMINISTRATOR, TRAINING_MANAGER
from lms.auth.permissions import has_role, is_admin
from lms.catalog.models import PUBLISHED, Course
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.obligations import engine as obligations
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import OrgUnit, Position, PositionAssignment, Rank
from lms.organisation.queries import scope_condition

CENT = Decimal("0.01")


def can_manage_curricula(user) -> bool:
    """The curricula screens: training managers and administrators."""
    return has_role(user, TRAINING_MANAGER, ADMINISTRATOR)


def can_manage_cycles(user) -> bool:
    """Creating and editing training cycles: administrators."""
    return is_admin(user)


@dataclass(frozen=True)
class CurriculumData:
    """A curriculum as the form gives it: target and mandatory course ids."""

    target_credits: Decimal
    course_ids: tuple[int, ...]


def find(position: Position, rank: Rank | None) -> Curriculum | None:
    """The curriculum of a position (rank None: the general one), if there is one."""
    return db.session.scalar(
        select(Curriculum).where(
            Curriculum.position_id == position.id,
            Curriculum.rank_id == rank.id if rank else Curriculum.rank_id.is_(None),
        )
    )


def course_choices(extra_ids=()) -> list[Course]:
    """Courses a curriculum may name: published ones, plus any already chosen (`extra_ids`),
    ordered by code."""
    stmt = select(Course).where(or_(Course.status == PUBLISHED, Course.id.in_(list(extra_ids))))
    return list(db.session.scalars(stmt.order_by(Course.code)))


def _holders(position: Position, rank: Rank | None, on: date):
    """SQL condition on PositionAssignment: held on `on`, of this position, at this rank — or,
    for the general curriculum, at a rank with no variant of its own."""
    held = and_(
        PositionAssignment.position_id == position.id,
        PositionAssignment.started_on <= on,
        or_(PositionAssignment.ended_on.is_(None), PositionAssignment.ended_on >= on),
    )
    if rank is not None:
        return and_(held, PositionAssignment.rank_id == rank.id)
    variants = select(Curriculum.rank_id).where(
        Curriculum.position_id == position.id, Curriculum.rank_id.is_not(None)
    )
    return and_(
        held, or_(PositionAssignment.rank_id.is_(None), PositionAssignment.rank_id.not_in(variants))
    )


def _count(condition, scope: list[str] | None, *extra) -> int:
    stmt = (
        select(func.count(distinct(PositionAssignment.official_id)))
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(condition, *extra)
    )
    limit = scope_condition(OrgUnit.path, scope)
    if limit is not None:
        stmt = stmt.where(limit)
    return db.session.scalar(stmt) or 0


@dataclass(frozen=True)
class CourseImpact:
    """A course gained or lost, and how many officials in scope it concerns."""

    course: Course
    officials: int  # gained: holders without a valid completion; lost: all holders


@dataclass(frozen=True)
class Preview:
    """What saving would change for the officials in the viewer's scope."""

    officials: int
    is_new: bool
    target_before: Decimal | None
    target_after: Decimal
    gained: list[CourseImpact]
    lost: list[CourseImpact]
    digest: str

    @property
    def changes_anything(self) -> bool:
        return (
            self.is_new or self.target_before != self.target_after or bool(self.gained or self.lost)
        )


def digest(position: Position, rank: Rank | None, data: CurriculumData, current) -> str:
    """A short fingerprint of a proposed change and of the curriculum it starts from, so a save
    is accepted only for the change that was previewed (and not over someone else's edit)."""
    parts = (
        position.code,
        rank.code if rank else "",
        str(Decimal(data.target_credits).quantize(CENT)),
        ",".join(str(i) for i in sorted(set(data.course_ids))),
        current.updated_at.isoformat() if current is not None and current.updated_at else "",
        str(current.id) if current is not None else "",
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def preview(
    position: Position, rank: Rank | None, data: CurriculumData, scope: list[str] | None
) -> Preview:
    """Who the change affects on today's date, among officials whose post lies in `scope`
    (None: everyone): how many hold the curriculum, and per course gained, how many of them
    have no valid completion of it yet. A fixed number of queries per course changed."""
    today = clock.today()
    current = find(position, rank)
    before_ids = {c.course_id for c in current.courses} if current else set()
    after_ids = set(data.course_ids)
    holders = _holders(position, rank, today)
    courses = {
        c.id: c
        for c in db.session.scalars(select(Course).where(Course.id.in_(before_ids ^ after_ids)))
    }
    officials = _count(holders, scope)
    gained = []
    for course_id in sorted(after_ids - before_ids, key=lambda i: courses[i].code):
        valid = exists().where(
            Completion.official_id == PositionAssignment.official_id,
            Completion.course_id == course_id,
            Completion.revoked_at.is_(None),
            or_(Completion.expires_on.is_(None), Completion.expires_on >= today),
        )
        gained.append(CourseImpact(courses[course_id], _count(holders, scope, ~valid)))
    lost = [
        CourseImpact(courses[i], officials)
        for i in sorted(before_ids - after_ids, key=lambda i: courses[i].code)
    ]
    return Preview(
        officials,
        current is None,
        Decimal(current.target_credits).quantize(CENT) if current else None,
        Decimal(data.target_credits).quantize(CENT),
        gained,
        lost,
        digest(position, rank, data, current),
    )


def _describe(curriculum: Curriculum | None) -> dict | None:
    if curriculum is None:
        return None
    codes = db.session.scalars(
        select(Course.code)
        .join(CurriculumCourse, CurriculumCourse.course_id == Course.id)
        .where(CurriculumCourse.curriculum_id == curriculum.id)
        .order_by(Course.code)
    )
    return {"target_credits": curriculum.target_credits, "courses": list(codes)}


def save(
    position: Position, rank: Rank | None, data: CurriculumData, actor
) -> tuple[Curriculum, int]:
    """Create or update a curriculum (audited), then refresh the officials holding it in every
    cycle not yet over. Returns the curriculum and how many officials were refreshed.

    Raises ValidationFailed for a negative target or a course that does not exist.
    """
    if data.target_credits is None or Decimal(data.target_credits) < 0:
        raise ValidationFailed([("target_credits", _("The target cannot be negative."))])
    ids = set(data.course_ids)
    known = set(db.session.scalars(select(Course.id).where(Course.id.in_(ids))))
    if known != ids:
        raise ValidationFailed([("courses", _("Choose courses from the list."))])
    curriculum = find(position, rank)
    before = _describe(curriculum)
    if curriculum is None:
        curriculum = Curriculum(position_id=position.id, rank_id=rank.id if rank else None)
        db.session.add(curriculum)
    curriculum.target_credits = Decimal(data.target_credits).quantize(CENT)
    kept = [c for c in curriculum.courses if c.course_id in ids]
    present = {c.course_id for c in kept}
    curriculum.courses = kept + [CurriculumCourse(course_id=i) for i in sorted(ids - present)]
    curriculum.updated_at = clock.now()
    db.session.flush()
    record(
        actor,
        "curriculum.saved",
        "curriculum",
        _label(position, rank),
        before=before,
        after=_describe(curriculum),
    )
    officials = _holder_ids(position, rank)
    obligations.refresh_open_cycles(officials, actor)
    return curriculum, len(officials)


def remove_variant(curriculum: Curriculum, actor) -> int:
    """Delete a rank-specific variant (audited): its officials fall back to the general
    curriculum. Returns how many officials were refreshed. The general curriculum is kept:
    raises ValidationFailed for it."""
    if curriculum.rank_id is None:
        raise ValidationFailed(
            [(None, _("The general curriculum of a position cannot be removed."))]
        )
    position, rank = curriculum.position, curriculum.rank
    record(
        actor,
        "curriculum.removed",
        "curriculum",
        _label(position, rank),
        before=_describe(curriculum),
    )
    officials = _holder_ids(position, rank)
    db.session.delete(curriculum)
    db.session.flush()
    obligations.refresh_open_cycles(officials, actor)
    return len(officials)


def _label(position: Position, rank: Rank | None) -> str:
    return f"{position.code}/{rank.code}" if rank else position.code


def _holder_ids(position: Position, rank: Rank | None) -> list[int]:
    """Everyone (all units) who held the position at that rank in a cycle not yet over."""
    today = clock.today()
    stmt = select(distinct(PositionAssignment.official_id)).where(
        PositionAssignment.position_id == position.id,
        or_(
            PositionAssignment.ended_on.is_(None),
            PositionAssignment.ended_on >= _first_open_day(today),
        ),
    )
    if rank is not None:
        stmt = stmt.where(PositionAssignment.rank_id == rank.id)
    return sorted(db.session.scalars(stmt))


def _first_open_day(today: date) -> date:
    cycles = obligations.open_cycles(today)
    return cycles[0].starts_on if cycles else today


# --- cycles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleData:
    """A cycle's dates and rules as the form gives them."""

    year: int
    starts_on: date
    ends_on: date
    due_days: int = 180
    renewal_window_days: int = 60
    at_risk_days: int = 30
    pace_slack: Decimal = Decimal(1)
    notice_days: int = 30


def _check_cycle(data: CycleData, cycle_id: int | None) -> None:
    reasons = []
    if data.ends_on < data.starts_on:
        reasons.append(("ends_on", _("The last day is before the first day.")))
    elif (data.ends_on - data.starts_on).days > 3 * 366:
        reasons.append(("ends_on", _("A cycle lasts at most three years.")))
    others = select(Cycle).where(Cycle.id != cycle_id) if cycle_id else select(Cycle)
    if db.session.scalar(others.where(Cycle.year == data.year)):
        reasons.append(("year", _("There is already a cycle %(year)s.", year=data.year)))
    overlap = db.session.scalar(
        others.where(Cycle.starts_on <= data.ends_on, Cycle.ends_on >= data.starts_on)
    )
    if overlap is not None and not reasons:
        reasons.append(("starts_on", _("These dates overlap cycle %(year)s.", year=overlap.year)))
    if reasons:
        raise ValidationFailed(reasons)


def save_cycle(cycle: Cycle | None, data: CycleData, actor) -> Cycle:
    """Create a cycle (cycle None) or change one (audited). Officials' obligations follow at
    the next refresh (nightly, or `flask curricula refresh --cycle YEAR`).

    Raises ValidationFailed when the dates are out of order, the year is taken, or the dates
    overlap another cycle.
    """
    _check_cycle(data, cycle.id if cycle else None)
    before = _cycle_summary(cycle) if cycle else None
    if cycle is None:
        cycle = Cycle()
        db.session.add(cycle)
    cycle.year, cycle.starts_on, cycle.ends_on = data.year, data.starts_on, data.ends_on
    cycle.due_days, cycle.renewal_window_days = data.due_days, data.renewal_window_days
    cycle.at_risk_days, cycle.pace_slack = (
        data.at_risk_days,
        Decimal(data.pace_slack).quantize(CENT),
    )
    cycle.notice_days = data.notice_days
    db.session.flush()
    record(actor, "cycle.saved", "cycle", cycle.year, before=before, after=_cycle_summary(cycle))
    return cycle


def _cycle_summary(cycle: Cycle) -> dict:
    return {
        "year": cycle.year,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "due_days": cycle.due_days,
        "renewal_window_days": cycle.renewal_window_days,
        "at_risk_days": cycle.at_risk_days,
        "pace_slack": cycle.pace_slack,
        "notice_days": cycle.notice_days,
    }
