"""Demo cycles (2024–2027: in December the department has declared next year's) and position
curricula from data/position_courses.csv, then a refresh of every official's targets and
obligations. Run after the courses are imported (`flask --app lms curricula demo`). Idempotent:
existing cycles and curricula are left as they are (a manager may have edited them).

In a real department the curricula were set at the start of each cycle: the obligations the
demo writes arose on the cycle's first day (not the day the demo was loaded, which would make
every mandatory course due 30 days later, past the cycle's end), so they fall due within the
cycle by the rules of lms/curricula/rules/due.py — done, overdue and at risk."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.obligations import engine as obligations
from lms.curricula.obligations.closures import closures_of
from lms.curricula.obligations.models import MANDATORY, WITHDRAWN, Obligation
from lms.demo.loader import _rows
from lms.errors import RuleViolation
from lms.extensions import db
from lms.organisation.models import Official, Position
from lms.programmes.models import ProgrammeRequirement

YEARS = (2024, 2025, 2026, 2027)
DEMO_COURSES = ("BB01", "BB02", "BB03")


@dataclass
class DemoCurricula:
    """What the demo added, and the course codes of the CSV missing from the catalog."""

    cycles_added: int = 0
    curricula_added: int = 0
    officials: int = 0
    missing_courses: list[str] = field(default_factory=list)


def ensure_cycles(years=YEARS) -> int:
    """Calendar-year cycles with the default rules; returns how many were created."""
    existing = set(db.session.scalars(select(Cycle.year).where(Cycle.year.in_(years))))
    for year in years:
        if year not in existing:
            db.session.add(Cycle(year=year, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)))
    db.session.flush()
    return len(set(years) - existing)


def ensure_curricula(result: DemoCurricula) -> None:
    """One general curriculum per CSV row (position → mandatory courses, annual target)."""
    positions = {p.code: p.id for p in db.session.scalars(select(Position))}
    courses = {c.code: c.id for c in db.session.scalars(select(Course))}
    taken = set(
        db.session.scalars(select(Curriculum.position_id).where(Curriculum.rank_id.is_(None)))
    )
    missing: set[str] = set()
    for row in _rows("position_courses.csv"):
        position_id = positions.get(row["pos_code"])
        if position_id is None or position_id in taken:
            continue
        codes = [c.strip() for c in row["mandatory_courses"].split(",") if c.strip()]
        missing.update(code for code in codes if code not in courses)
        curriculum = Curriculum(
            position_id=position_id,
            rank_id=None,
            target_credits=Decimal(row["annual_target_credits"]),
        )
        curriculum.courses = [CurriculumCourse(course_id=courses[c]) for c in codes if c in courses]
        db.session.add(curriculum)
        result.curricula_added += 1
    result.missing_courses = sorted(missing)
    db.session.flush()


def backdate_obligations(cycle: Cycle) -> int:
    """Move to the cycle's first day the day the demo's mandatory-course obligations of `cycle`
    arose (recertifications keep theirs: they depend on certificates loaded later): those
    that arose after it, by the day after the demo declared the cycle (the demo's own, not a
    later curriculum change made in the demo). A cycle closed anywhere is left alone (its
    statements are frozen). Returns how many were moved; a `refresh` then recomputes their
    due dates. Idempotent, and it also mends a demo database loaded before this rule."""
    if closures_of([cycle.id]).get(cycle.id):
        return 0
    declared = cycle.created_at.date() + timedelta(days=1)  # created_at is UTC, arose_on UTC+7
    moved = db.session.execute(
        update(Obligation)
        .where(
            Obligation.cycle_id == cycle.id,
            Obligation.kind == MANDATORY,
            Obligation.status != WITHDRAWN,
            Obligation.arose_on > cycle.starts_on,
            Obligation.arose_on <= declared,
        )
        .values(arose_on=cycle.starts_on)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount or 0


def backdate_programme_requirements(cycle: Cycle) -> int:
    """As `backdate_obligations`, for the programmes the demo's positions and ranks require
    (courses/programmes/*/programme.toml, imported with the courses on the load day): those
    that arose in `cycle` up to the day after it was declared date from its first day, so a
    head of division's leadership programme is due within the cycle like the courses, not 30
    days after the day `make run` ran. Call it for the cycle under way only (a requirement has
    no cycle). Returns how many were moved. Idempotent."""
    declared = cycle.created_at.date() + timedelta(days=1)
    moved = db.session.execute(
        update(ProgrammeRequirement)
        .where(
            ProgrammeRequirement.arose_on > cycle.starts_on,
            ProgrammeRequirement.arose_on <= declared,
        )
        .values(arose_on=cycle.starts_on)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount or 0


def load_curricula() -> DemoCurricula:
    """Cycles, curricula, and a refresh of every official in every demo cycle (flushed; the
    caller commits).

    Raises RuleViolation when the catalog holds none of the demo courses (import them first:
    a curriculum created without its courses would stay that way).
    """
    if not db.session.scalar(select(Course.id).where(Course.code.in_(DEMO_COURSES)).limit(1)):
        raise RuleViolation(
            "No demo course is in the catalog: run `flask --app lms courses import courses` first.",
            "no_courses",
        )
    result = DemoCurricula(cycles_added=ensure_cycles())
    ensure_curricula(result)
    ids = list(db.session.scalars(select(Official.id)))
    for cycle in db.session.scalars(
        select(Cycle).where(Cycle.year.in_(YEARS)).order_by(Cycle.year)
    ):
        obligations.refresh(ids, cycle)
        if backdate_obligations(cycle):
            db.session.expire_all()
            obligations.refresh(ids, cycle)
        if cycle.starts_on <= clock.today() <= cycle.ends_on:
            backdate_programme_requirements(cycle)
    result.officials = len(ids)
    return result
