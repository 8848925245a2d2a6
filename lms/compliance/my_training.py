"""Read-side query of "My training" (/me): an official's standing in the current and earlier
cycles (live status, or the frozen statement's figures once the cycle is closed for them),
mandatory courses and ledger entries, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from lms.catalog.models import Course
from lms.catalog.rules import percent
from lms.compliance.models import FINAL, Statement
from lms.compliance.programme_counts import counts_of
from lms.compliance.queries import closure_rows
from lms.compliance.rules import compliance_status
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations import engine
from lms.curricula.obligations.closures import is_closed
from lms.curricula.obligations.mandatory import MandatoryCourse, one_per_course
from lms.curricula.obligations.models import OPEN, WITHDRAWN, Obligation, OfficialTarget
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, PositionAssignment
from lms.programmes.requirements import requirements_of


@dataclass(frozen=True)
class CycleStanding:
    """An official's standing in one cycle: target, earned, mandatory courses still open
    (`open_count` counts courses, not obligations: a course and its recertification are one)
    and status."""

    cycle: Cycle
    target: Decimal
    months: int
    earned: Decimal
    open_count: int
    earliest_due: date | None
    closed: bool
    status: str

    @property
    def percent(self) -> int:
        """Earned as a whole percentage of the target (catalog.rules.percent: half up, 100 only
        once reached); 100 when the target is 0."""
        return 100 if self.target <= 0 else percent(self.earned, self.target)


@dataclass
class MyTraining:
    """Everything /me shows for one official."""

    official: Official
    cycle: Cycle | None
    standing: CycleStanding | None = None
    obligations: list[MandatoryCourse] = field(default_factory=list)  # one per course
    withdrawn: list[Obligation] = field(default_factory=list)
    entries: list[LedgerEntry] = field(default_factory=list)
    previous: list[CycleStanding] = field(default_factory=list)
    target_estimated: bool = False  # no stored target yet: computed on the fly

    @property
    def overdue(self) -> list[Obligation]:
        today = self.as_of
        return [o for o in self.obligations if o.status == OPEN and o.due_on < today]

    @property
    def due_soon(self) -> list[Obligation]:
        if self.cycle is None:
            return []
        today, days = self.as_of, self.cycle.at_risk_days
        return [
            o
            for o in self.obligations
            if o.status == OPEN and today <= o.due_on and (o.due_on - today).days <= days
        ]

    as_of: date = date.min


def _unit_path(official_id: int, day: date) -> str | None:
    """Path of the official's unit: the primary post held on `day`, else the latest one."""
    return db.session.scalar(
        select(OrgUnit.path)
        .join(PositionAssignment, PositionAssignment.unit_id == OrgUnit.id)
        .where(
            PositionAssignment.official_id == official_id,
            PositionAssignment.is_primary.is_(True),
            PositionAssignment.started_on <= day,
        )
        .order_by(PositionAssignment.started_on.desc(), PositionAssignment.id.desc())
        .limit(1)
    )


def _targets(official_id: int, cycle_ids: list[int]) -> dict[int, tuple[Decimal, int]]:
    """Stored (target, months) per cycle id (one query)."""
    rows = db.session.execute(
        select(OfficialTarget.cycle_id, OfficialTarget.target_credits, OfficialTarget.months).where(
            OfficialTarget.official_id == official_id, OfficialTarget.cycle_id.in_(cycle_ids)
        )
    )
    return {cycle_id: (Decimal(credits), months) for cycle_id, credits, months in rows}


def _standings(official_id: int, cycles: list[Cycle], as_of: date, unit_path, targets) -> dict:
    """CycleStanding per cycle id, in four queries for any number of cycles (and those of the
    required programmes, few, for the cycle of `as_of`)."""
    ids = [c.id for c in cycles]
    earned = dict(
        db.session.execute(
            select(LedgerEntry.cycle_id, func.sum(LedgerEntry.credits))
            .where(LedgerEntry.official_id == official_id, LedgerEntry.cycle_id.in_(ids))
            .group_by(LedgerEntry.cycle_id)
        ).all()
    )
    owed = {
        cycle_id: (count, due)
        for cycle_id, count, due in db.session.execute(
            select(
                Obligation.cycle_id,
                func.count(Obligation.course_id.distinct()),
                func.min(Obligation.due_on),
            )
            .join(Cycle, Cycle.id == Obligation.cycle_id)
            .where(
                Obligation.official_id == official_id,
                Obligation.cycle_id.in_(ids),
                Obligation.status == OPEN,
                # rules.counts_in_cycle: one due after the cycle's end does not count in it
                Obligation.due_on <= Cycle.ends_on,
            )
            .group_by(Obligation.cycle_id)
        )
    }
    # The programmes the posts require count as mandatory courses in the cycle of `as_of`
    # (lms.compliance.programme_counts: the dashboard counts the same in SQL).
    current = next((c for c in cycles if c.contains(as_of)), None)
    if current is not None:
        extra = counts_of(requirements_of(official_id, as_of), current, as_of)
        if extra.open:
            count, due = owed.get(current.id, (0, None))
            dues = [d for d in (due, extra.earliest_due) if d is not None]
            owed[current.id] = (count + extra.open, min(dues))
    closures = closure_rows(ids)
    # A cycle closed for the official: its frozen statement's figures, whatever came later.
    frozen = {
        row.cycle_id: row
        for row in db.session.execute(
            select(
                Statement.cycle_id,
                Statement.target_credits,
                Statement.earned_credits,
                Statement.status,
            ).where(
                Statement.official_id == official_id,
                Statement.cycle_id.in_(ids),
                Statement.kind == FINAL,
                Statement.superseded_at.is_(None),
            )
        )
    }
    result = {}
    for cycle in cycles:
        target, months = targets.get(cycle.id, (Decimal(0), 0))
        count, due = owed.get(cycle.id, (0, None))
        closed = is_closed(unit_path, closures.get(cycle.id, []))
        got = Decimal(earned.get(cycle.id) or 0).quantize(Decimal("0.01"))
        statement = frozen.get(cycle.id)
        if statement is not None:
            target, got = Decimal(statement.target_credits), Decimal(statement.earned_credits)
            result[cycle.id] = CycleStanding(
                cycle, target, months, got, count, due, True, statement.status
            )
            continue
        status = compliance_status(
            as_of=as_of,
            starts_on=cycle.starts_on,
            ends_on=cycle.ends_on,
            closed=closed,
            target=target,
            earned=got,
            open_obligations=count,
            earliest_open_due=due,
            at_risk_days=cycle.at_risk_days,
            pace_slack=Decimal(cycle.pace_slack),
        )
        result[cycle.id] = CycleStanding(cycle, target, months, got, count, due, closed, status)
    return result


def my_training(official: Official, as_of: date) -> MyTraining:
    """The /me data of an official on `as_of`: the cycle containing that day (or none), its
    standing, obligations, ledger entries, and the earlier cycles' standings. When the engine
    has not yet stored the official's target for the cycle, it is computed (not written)."""
    cycles = list(
        db.session.scalars(
            select(Cycle).where(Cycle.starts_on <= as_of).order_by(Cycle.starts_on.desc())
        )
    )
    current = next((c for c in cycles if c.contains(as_of)), None)
    data = MyTraining(official, current, as_of=as_of)
    if not cycles:
        return data
    targets = _targets(official.id, [c.id for c in cycles])
    if current is not None and current.id not in targets:
        [computed] = engine.compute([official.id], current, as_of)
        targets[current.id] = (computed.target.credits, computed.target.months)
        data.target_estimated = True
    standings = _standings(official.id, cycles, as_of, _unit_path(official.id, as_of), targets)
    data.previous = [standings[c.id] for c in cycles if c is not current]
    if current is None:
        return data
    data.standing = standings[current.id]
    rows = db.session.execute(
        select(Obligation, Completion.completed_on)
        .join(Course, Course.id == Obligation.course_id)
        .outerjoin(Completion, Completion.id == Obligation.completion_id)
        .where(Obligation.official_id == official.id, Obligation.cycle_id == current.id)
        .options(contains_eager(Obligation.course))
        .order_by(Obligation.due_on, Course.code, Obligation.kind)
    ).all()
    data.obligations = one_per_course(_as_course(o, done_on) for o, done_on in rows)
    data.withdrawn = [o for o, _done_on in rows if o.status == WITHDRAWN]
    data.entries = list(
        db.session.scalars(
            select(LedgerEntry)
            .outerjoin(Course, Course.id == LedgerEntry.course_id)
            .where(LedgerEntry.official_id == official.id, LedgerEntry.cycle_id == current.id)
            .options(contains_eager(LedgerEntry.course))
            .order_by(LedgerEntry.seq)
        )
    )
    return data


def _as_course(obligation: Obligation, done_on: date | None) -> MandatoryCourse:
    course = obligation.course
    return MandatoryCourse(
        obligation.course_id,
        course.code,
        course.title,
        obligation.kind,
        obligation.due_on,
        obligation.status,
        done_on if obligation.status != OPEN else None,
    )
