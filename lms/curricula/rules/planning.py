"""Validity of completions, the obligations an official should have in a cycle (`plan`) and
the writes that turn the stored ones into them (`reconcile`) (DESIGN.md §3)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from lms.curricula.rules.dates import CycleRules, Held, Leave, reference_day
from lms.curricula.rules.due import leave_shifted_due, recertification_due, requirements
from lms.curricula.rules.states import (
    CURRICULUM_CHANGED,
    DONE,
    MANDATORY,
    OPEN,
    POSITION_ENDED,
    RECERTIFICATION,
)


@dataclass(frozen=True)
class CompletionFact:
    """A course completion as the rules see it (revoked completions are left out)."""

    id: int
    course_id: int
    completed_on: date
    expires_on: date | None


@dataclass(frozen=True)
class Planned:
    """The state an obligation should have: key (course, kind), due date, status, the
    completion that satisfies it, the position that requires it."""

    course_id: int
    kind: str
    due_on: date
    status: str  # open | done
    completion_id: int | None
    position_id: int
    arose_on: date | None = field(default=None, compare=False)


def requirement_start(since: date, cycle: CycleRules) -> date:
    """The day from which a mandatory requirement is judged in a cycle: the start of the posts
    requiring it, or the cycle's first day if they began earlier."""
    return max(since, cycle.starts_on)


def satisfies(expires_on: date | None, start: date) -> bool:
    """Whether a completion (not revoked, made by the cycle's reference day) satisfies a
    mandatory requirement judged from `start` (`requirement_start`): it is still valid that
    day — valid on its expiry day itself — or never expires. One made on or after `start` always
    is. An expiry later in the cycle does not undo it: the certificate's renewal is a
    recertification obligation (DESIGN.md §3 "Validity"), not the mandatory course owed again.

    The one validity rule of mandatory courses: `plan` and, when a completion is recorded,
    lms.curricula.completions.services.satisfy_obligations both use it."""
    return expires_on is None or expires_on >= start


def plan(
    held: Iterable[Held],
    completions: Iterable[CompletionFact],
    cycle: CycleRules,
    as_of: date,
    arisen: Mapping[tuple[int, str], date] | None = None,
    leave: Iterable[Leave] = (),
) -> list[Planned]:
    """The obligations an official should have in a cycle, sorted by (course, kind).

    `arisen` gives, by (course, kind), the day each obligation already stored (and not
    withdrawn) arose; any other arises on `as_of`. Due dates follow `due_date` and
    `recertification_due`: never before the day the obligation arose, and at least
    cycle.notice_days after it.

    For each requirement (see `requirements`), with `start` = max(since, cycle start):
    - a mandatory obligation, done when a completion of the course is valid on `start` or was
      made since ("any completion still valid, whatever cycle"), else open;
    - a recertification obligation when the latest-expiring completion expires inside
      [start, cycle end] and the renewal window has begun (expiry − renewal_window_days ≤ the
      reference day): open, due on the expiry date (at least notice_days after it arose).
      Once renewed (a later completion expires
      after it), the recertification is done by the first renewing completion.
    A completion that expired before `start` counts for nothing: the course is owed again as
    a mandatory course, with the ordinary due date; so does a completion made after the
    reference day (a past cycle is judged on its last day).
    Exempting `leave` moves both kinds of due dates later (`leave_shifted_due`).
    """
    leave = list(leave)
    day = reference_day(cycle, as_of)
    # Completions after the reference day do not count: a course done in 2027 does not make
    # 2026 compliant after the fact.
    facts = sorted(
        (c for c in completions if c.completed_on <= day), key=lambda c: (c.completed_on, c.id)
    )
    arisen = arisen or {}
    known = {course: day for (course, kind), day in arisen.items() if kind == MANDATORY}
    planned: list[Planned] = []
    for req in requirements(held, cycle, as_of, known):
        mine = [c for c in facts if c.course_id == req.course_id]
        start = requirement_start(req.since, cycle)
        valid = [c for c in mine if satisfies(c.expires_on, start)]
        done_by = valid[0].id if valid else None  # the first: later ones change nothing
        runs_from = max(start, req.arose_on or start)
        planned.append(
            Planned(
                req.course_id,
                MANDATORY,
                leave_shifted_due(req.due_on, runs_from, leave, cycle) if leave else req.due_on,
                DONE if done_by is not None else OPEN,
                done_by,
                req.position_id,
                req.arose_on,
            )
        )
        recert = _recertification(mine, start, day, cycle)
        if recert is not None:
            expiry, status, completion_id = recert
            arose = arisen.get((req.course_id, RECERTIFICATION), as_of)
            due = recertification_due(expiry, cycle, arose)
            if leave:
                due = leave_shifted_due(due, max(start, arose), leave, cycle)
            planned.append(
                Planned(
                    req.course_id,
                    RECERTIFICATION,
                    due,
                    status,
                    completion_id,
                    req.position_id,
                    arose,
                )
            )
    return planned


def _recertification(mine: list[CompletionFact], start: date, day: date, cycle: CycleRules):
    """(due, status, completion id) of the recertification owed for one course, or None."""
    if not mine or any(c.expires_on is None for c in mine):
        return None
    latest = max(mine, key=lambda c: (c.expires_on, c.completed_on, c.id))
    window = timedelta(days=cycle.renewal_window_days)
    if start <= latest.expires_on <= cycle.ends_on and latest.expires_on - window <= day:
        return latest.expires_on, OPEN, None
    # Renewed: a completion expiring in the cycle was replaced by a later one (however early).
    renewed = [
        c
        for c in mine
        if start <= c.expires_on <= cycle.ends_on and c.expires_on < latest.expires_on
    ]
    if not renewed:
        return None
    expired = max(renewed, key=lambda c: (c.expires_on, c.id))
    successors = [
        c
        for c in mine
        if c.expires_on > expired.expires_on and c.completed_on >= expired.completed_on
    ]
    successor = min(successors, key=lambda c: (c.completed_on, c.id), default=latest)
    return expired.expires_on, DONE, successor.id


@dataclass(frozen=True)
class Existing:
    """An obligation row as stored: its key, status, position, due date and the day it
    arose."""

    course_id: int
    kind: str
    status: str
    position_id: int | None
    due_on: date
    completion_id: int | None
    arose_on: date | None = None


@dataclass(frozen=True)
class Change:
    """What to write for one obligation key: `insert` a new row, `update` an existing one to
    the planned state (reopening a withdrawn one), or `withdraw` it with `reason`."""

    action: str  # insert | update | withdraw
    course_id: int
    kind: str
    planned: Planned | None = None
    reason: str | None = None


def reconcile(
    existing: Iterable[Existing], planned: Iterable[Planned], held_positions: Iterable[int]
) -> list[Change]:
    """The writes that turn the stored obligations into the planned ones, sorted by key.

    Nothing is ever deleted. A planned obligation with no row is inserted; a row that differs
    from its plan is updated (a withdrawn row that applies again is reopened). An open row that
    is no longer planned is withdrawn, with the reason `position_ended` when its position is
    not among `held_positions` (the positions held on the reference day), else
    `curriculum_changed`. Done and withdrawn rows that are no longer planned stay as they are:
    a completed course is history. Rows with no position were assigned to the official
    individually, not by a curriculum: the engine does not withdraw them (it takes one over
    only when a curriculum comes to require the same course).
    """
    stored = {(e.course_id, e.kind): e for e in existing}
    wanted = {(p.course_id, p.kind): p for p in planned}
    held_positions = set(held_positions)
    changes: list[Change] = []
    for key in sorted(set(stored) | set(wanted)):
        row, plan_ = stored.get(key), wanted.get(key)
        if plan_ is not None and row is None:
            changes.append(Change("insert", *key, planned=plan_))
        elif plan_ is not None and row is not None:
            same = (row.status, row.due_on, row.completion_id, row.position_id) == (
                plan_.status,
                plan_.due_on,
                plan_.completion_id,
                plan_.position_id,
            ) and (plan_.arose_on is None or row.arose_on == plan_.arose_on)
            if not same:
                changes.append(Change("update", *key, planned=plan_))
        elif row is not None and row.status == OPEN and row.position_id is not None:
            ended = row.position_id not in held_positions
            changes.append(
                Change("withdraw", *key, reason=POSITION_ENDED if ended else CURRICULUM_CHANGED)
            )
    return changes
