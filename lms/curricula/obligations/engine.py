"""The obligations engine: from officials' assignments, the position curricula and their
completions, write each official's pro-rated target and obligations for a cycle (the rules are
in lms.curricula.rules). Bulk and batched: the number of queries depends on the number of
batches, never on the number of officials."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, or_, select

from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.obligations.closures import closures_of, is_closed
from lms.curricula.obligations.models import WITHDRAWN, Obligation, OfficialTarget
from lms.curricula.obligations.notices import announce
from lms.curricula.rules import planning
from lms.curricula.rules.dates import CycleRules, Held, Leave, reference_day
from lms.curricula.rules.due import requirements
from lms.curricula.rules.planning import CompletionFact, Existing, Planned, reconcile
from lms.curricula.rules.targets import Months, Target, months_worked, prorated_target
from lms.extensions import db
from lms.organisation import leave
from lms.organisation.models import OrgUnit, PositionAssignment

BATCH = 500  # officials per batch: bounds the IN lists and the memory of one flush


@dataclass
class Report:
    """What a refresh did: officials computed, officials skipped because the cycle is closed
    for their unit, and rows written."""

    officials: int = 0
    skipped_closed: int = 0
    targets_written: int = 0
    inserted: int = 0
    updated: int = 0
    withdrawn: int = 0

    def add(self, other: "Report") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Computed:
    """One official's computed state for a cycle (nothing written)."""

    official_id: int
    unit_path: str | None
    target: Target
    planned: list[Planned]
    held_positions: set[int] = field(default_factory=set)


# --- reading ------------------------------------------------------------------------------


def cycle_on(day: date) -> Cycle | None:
    """The cycle containing `day`, if one is defined."""
    return db.session.scalar(select(Cycle).where(Cycle.starts_on <= day, Cycle.ends_on >= day))


def _curricula() -> dict[tuple[int, int | None], tuple[Decimal, frozenset[int]]]:
    """(position id, rank id or None) → (target, mandatory course ids), in two queries."""
    courses: dict[int, set[int]] = defaultdict(set)
    for curriculum_id, course_id in db.session.execute(
        select(CurriculumCourse.curriculum_id, CurriculumCourse.course_id)
    ):
        courses[curriculum_id].add(course_id)
    rows = db.session.execute(
        select(Curriculum.id, Curriculum.position_id, Curriculum.rank_id, Curriculum.target_credits)
    )
    return {
        (position_id, rank_id): (Decimal(target), frozenset(courses[cid]))
        for cid, position_id, rank_id, target in rows
    }


def _closures(cycle: Cycle) -> list[tuple[str, tuple, str]]:
    return closures_of([cycle.id]).get(cycle.id, [])


def _held(
    official_ids: list[int], cycle: Cycle, curricula: dict
) -> dict[int, list[tuple[Held, str]]]:
    """Each official's posts overlapping the cycle, with the post's unit path (one query)."""
    rows = db.session.execute(
        select(
            PositionAssignment.official_id,
            PositionAssignment.position_id,
            PositionAssignment.rank_id,
            PositionAssignment.is_primary,
            PositionAssignment.started_on,
            PositionAssignment.ended_on,
            OrgUnit.path,
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(
            PositionAssignment.official_id.in_(official_ids),
            PositionAssignment.started_on <= cycle.ends_on,
            or_(
                PositionAssignment.ended_on.is_(None),
                PositionAssignment.ended_on >= cycle.starts_on,
            ),
        )
        .order_by(
            PositionAssignment.official_id, PositionAssignment.started_on, PositionAssignment.id
        )
    )
    found: dict[int, list] = defaultdict(list)
    for official_id, position_id, rank_id, primary, started, ended, path in rows:
        target, courses = curricula.get(
            (position_id, rank_id), curricula.get((position_id, None), (Decimal(0), frozenset()))
        )
        found[official_id].append(
            (Held(position_id, started, ended, target, courses, primary), path)
        )
    return found


def _completions(official_ids: list[int]) -> dict[int, list[CompletionFact]]:
    """Each official's completions that are not revoked (one query)."""
    rows = db.session.execute(
        select(
            Completion.id,
            Completion.official_id,
            Completion.course_id,
            Completion.completed_on,
            Completion.expires_on,
        ).where(Completion.official_id.in_(official_ids), Completion.revoked_at.is_(None))
    )
    found: dict[int, list] = defaultdict(list)
    for cid, official_id, course_id, completed, expires in rows:
        found[official_id].append(CompletionFact(cid, course_id, completed, expires))
    return found


def _leave(official_ids: list[int], cycle: Cycle) -> dict[int, list[Leave]]:
    """Each official's exempting leave ending in the cycle or later (one query)."""
    periods = leave.exempting_periods(official_ids, cycle.starts_on)
    return {oid: [Leave(*dates) for dates in found] for oid, found in periods.items()}


def _unit_path(posts: list[tuple[Held, str]], day: date) -> str | None:
    """The official's unit: that of the primary post held on `day`, else of the latest post."""
    primary = [path for held, path in posts if held.is_primary and held.holds_on(day)]
    if primary:
        return primary[0]
    return posts[-1][1] if posts else None


def _compute_batch(
    ids: list[int], cycle: Cycle, as_of: date, curricula: dict, arisen: dict | None = None
) -> list[Computed]:
    """`arisen`: per official id, the day each stored obligation not withdrawn arose, by
    (course, kind) — its due date is computed from that day, not from `as_of`."""
    arisen = arisen or {}
    cycle_rules = CycleRules.of(cycle)
    day = reference_day(cycle_rules, as_of)
    held, completions = _held(ids, cycle, curricula), _completions(ids)
    away = _leave(ids, cycle)
    result = []
    for official_id in ids:
        posts = held.get(official_id, [])
        helds = [h for h, _path in posts]
        periods = away.get(official_id, [])
        result.append(
            Computed(
                official_id,
                _unit_path(posts, day),
                prorated_target(helds, cycle_rules, periods),
                planning.plan(
                    helds,
                    completions.get(official_id, []),
                    cycle_rules,
                    as_of,
                    arisen.get(official_id),
                    periods,
                ),
                {h.position_id for h in helds if h.holds_on(day)},
            )
        )
    return result


def months(
    official_ids: Iterable[int], cycle: Cycle, not_rated_below: int = 6
) -> dict[int, Months]:
    """Each official's months in `cycle` (months_worked: in a post, on exempting leave,
    counted, not rated), from their posts and leave as stored now. Three queries per BATCH
    officials, whatever their number."""
    cycle_rules, curricula = CycleRules.of(cycle), _curricula()
    found: dict[int, Months] = {}
    for ids in _batches(official_ids):
        held, away = _held(ids, cycle, curricula), _leave(ids, cycle)
        for official_id in ids:
            helds = [h for h, _path in held.get(official_id, [])]
            periods = away.get(official_id, [])
            found[official_id] = months_worked(helds, periods, cycle_rules, not_rated_below)
    return found


def requirement_start(official_id: int, cycle: Cycle, course_id: int) -> date:
    """The day from which the official's mandatory `course_id` is judged in `cycle`
    (planning.requirement_start of the posts that require it, as `plan` sees them today); the
    cycle's first day when no curriculum requires it (an obligation assigned individually)."""
    cycle_rules = CycleRules.of(cycle)
    posts = _held([official_id], cycle, _curricula()).get(official_id, [])
    for requirement in requirements([h for h, _path in posts], cycle_rules, clock.today()):
        if requirement.course_id == course_id:
            return planning.requirement_start(requirement.since, cycle_rules)
    return cycle.starts_on


def _batches(official_ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(official_ids))
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def compute(official_ids: Iterable[int], cycle: Cycle, as_of: date | None = None) -> list[Computed]:
    """Targets and planned obligations of officials in a cycle, without writing anything
    (what `refresh` would write). Ordered by official id."""
    as_of = as_of or clock.today()
    curricula = _curricula()
    return [
        c for ids in _batches(official_ids) for c in _compute_batch(ids, cycle, as_of, curricula)
    ]


# --- writing ------------------------------------------------------------------------------


def refresh(
    official_ids: Iterable[int], cycle: Cycle, actor=None, as_of: date | None = None
) -> Report:
    """Recompute and write the targets and obligations of officials in `cycle` (flushed).

    Officials whose unit has the cycle closed are skipped (their statement is frozen).
    Targets are upserted (one row per official and cycle); obligations are inserted, updated
    or withdrawn with a reason — never deleted (reconcile). Deterministic: the same
    data and `as_of` give the same rows, and a second run writes nothing. `actor` is accepted
    for the call convention; the engine's writes are derived data and are not audited.
    """
    del actor
    as_of = as_of or clock.today()
    curricula, closures = _curricula(), _closures(cycle)
    report = Report()
    for ids in _batches(official_ids):
        report.add(_refresh_batch(ids, cycle, as_of, curricula, closures))
    return report


def _refresh_batch(ids, cycle, as_of, curricula, closures) -> Report:
    report = Report()
    stored: dict[int, dict[tuple, Obligation]] = defaultdict(dict)
    for row in db.session.scalars(
        select(Obligation).where(Obligation.cycle_id == cycle.id, Obligation.official_id.in_(ids))
    ):
        stored[row.official_id][(row.course_id, row.kind)] = row
    arisen = {
        official_id: {key: row.arose_on for key, row in rows.items() if row.status != WITHDRAWN}
        for official_id, rows in stored.items()
    }
    computed = [
        c
        for c in _compute_batch(ids, cycle, as_of, curricula, arisen)
        if not is_closed(c.unit_path, closures)
    ]
    report.skipped_closed = len(ids) - len(computed)
    report.officials = len(computed)
    if not computed:
        return report
    open_ids = [c.official_id for c in computed]
    targets = {
        t.official_id: t
        for t in db.session.scalars(
            select(OfficialTarget).where(
                OfficialTarget.cycle_id == cycle.id, OfficialTarget.official_id.in_(open_ids)
            )
        )
    }
    now = clock.now()
    new_targets: list[dict] = []
    new_obligations: list[dict] = []
    for item in computed:
        report.targets_written += _write_target(
            item, targets.get(item.official_id), cycle, now, new_targets
        )
        _write_obligations(item, stored[item.official_id], cycle, now, report, new_obligations)
    db.session.flush()
    # New rows in one executemany each (the ORM would send one INSERT per row on SQLite).
    if new_targets:
        db.session.execute(insert(OfficialTarget), new_targets)
    if new_obligations:
        db.session.execute(insert(Obligation), new_obligations)
        announce(new_obligations, set(targets), cycle)
    return report


def _write_target(item: Computed, row: OfficialTarget | None, cycle: Cycle, now, new) -> int:
    credits, months = item.target.credits, item.target.months
    if row is None:
        new.append(
            {
                "official_id": item.official_id,
                "cycle_id": cycle.id,
                "target_credits": credits,
                "months": months,
                "computed_at": now,
            }
        )
        return 1
    if Decimal(row.target_credits) == credits and row.months == months:
        return 0
    row.target_credits, row.months, row.computed_at = credits, months, now
    return 1


def _write_obligations(item: Computed, rows: dict, cycle: Cycle, now, report: Report, new) -> None:
    existing = [
        Existing(
            r.course_id, r.kind, r.status, r.position_id, r.due_on, r.completion_id, r.arose_on
        )
        for r in rows.values()
    ]
    for change in reconcile(existing, item.planned, item.held_positions):
        key = (change.course_id, change.kind)
        if change.action == "withdraw":
            row = rows[key]
            row.status, row.withdrawn_at, row.withdrawn_reason = WITHDRAWN, now, change.reason
            report.withdrawn += 1
            continue
        plan = change.planned
        row = rows.get(key)
        if row is None:
            new.append(
                {
                    "official_id": item.official_id,
                    "cycle_id": cycle.id,
                    "course_id": plan.course_id,
                    "kind": plan.kind,
                    "position_id": plan.position_id,
                    "due_on": plan.due_on,
                    "arose_on": plan.arose_on,
                    "status": plan.status,
                    "completion_id": plan.completion_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            report.inserted += 1
            continue
        report.updated += 1
        row.position_id, row.due_on, row.status = plan.position_id, plan.due_on, plan.status
        row.arose_on = plan.arose_on or row.arose_on
        row.completion_id, row.withdrawn_at, row.withdrawn_reason = plan.completion_id, None, None


def open_cycles(on: date) -> list[Cycle]:
    """Cycles not yet over on `on` (the current one and any defined ahead), by start date."""
    return list(
        db.session.scalars(select(Cycle).where(Cycle.ends_on >= on).order_by(Cycle.starts_on))
    )


def refresh_open_cycles(official_ids: Iterable[int], actor=None) -> Report:
    """Refresh officials in every cycle not yet over (after a curriculum change)."""
    ids = sorted(set(official_ids))
    report = Report()
    for cycle in open_cycles(clock.today()):
        report.add(refresh(ids, cycle, actor))
    return report


def refresh_all(as_of: date | None = None, progress=None) -> dict:
    """The nightly refresh: every official in every cycle not yet over on `as_of`, in batches
    of BATCH. `progress(done, total)` is called after each batch; the nightly job's commits
    there, so a city's officials never sit in one transaction (this function only flushes).
    Returns the counts of the Report, summed over the cycles."""
    from lms.organisation.models import Official

    as_of = as_of or clock.today()
    cycles = open_cycles(as_of)
    ids = list(db.session.scalars(select(Official.id).order_by(Official.id)))
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    total, done = len(batches) * len(cycles), 0
    report = Report()
    curricula = _curricula()
    for cycle in cycles:
        closures = _closures(cycle)
        for batch in batches:
            report.add(_refresh_batch(batch, cycle, as_of, curricula, closures))
            done += 1
            if progress is not None:
                progress(done, total)
    return {"cycles": [cycle.year for cycle in cycles], **report.__dict__}
