"""Curricula rules with no Flask and no database: dates of cycles and validity, pro-rated
targets, due dates of obligations, which obligations to open or withdraw, and recertification
(DESIGN.md §3). Everything here is a pure function of its arguments."""

import calendar
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

# Obligation kinds and statuses (the same strings as lms.curricula.obligations.models).
MANDATORY, RECERTIFICATION = "mandatory", "recertification"
# An obligation assigned from the official's annual rating (lms.compliance.ratings): no
# position, so the engine never withdraws it; met by a completion like a recertification.
RATING = "rating"
OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"
# Why an obligation was withdrawn.
POSITION_ENDED = "position_ended"  # the position that required it is no longer held
CURRICULUM_CHANGED = "curriculum_changed"  # still held, but the course left the curriculum
# Compliance statuses.
MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET = "met", "on_track", "at_risk", "overdue", "not_met"

MONTH_DAY = 15  # a month counts when a position is held on this day


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31/01 + 1 → 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class CycleRules:
    """A cycle as the rules see it: its dates and its settings (DESIGN.md §3 defaults)."""

    starts_on: date
    ends_on: date
    due_days: int = 180
    renewal_window_days: int = 60
    at_risk_days: int = 30
    pace_slack: Decimal = Decimal(1)
    notice_days: int = 30

    @classmethod
    def of(cls, cycle) -> "CycleRules":
        """The rules of a Cycle row (or anything with the same attributes)."""
        return cls(
            cycle.starts_on,
            cycle.ends_on,
            cycle.due_days,
            cycle.renewal_window_days,
            cycle.at_risk_days,
            Decimal(cycle.pace_slack),
            cycle.notice_days,
        )


@dataclass(frozen=True)
class Held:
    """A position held by an official over a period, with what its curriculum asks.

    `target` is the curriculum's cycle target (0 when the position has no curriculum);
    `courses` the ids of its mandatory courses; `ended_on` None while it is held.
    """

    position_id: int
    started_on: date
    ended_on: date | None
    target: Decimal = Decimal(0)
    courses: frozenset[int] = frozenset()
    is_primary: bool = True

    def holds_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


def month_days(cycle: CycleRules) -> list[date]:
    """The 15th of every month whose 15th lies inside the cycle (12 for a calendar year)."""
    days, day = [], date(cycle.starts_on.year, cycle.starts_on.month, MONTH_DAY)
    while day <= cycle.ends_on:
        if day >= cycle.starts_on:
            days.append(day)
        day = add_months(day, 1)
    return days


def round_up_half(value: Fraction | Decimal) -> Decimal:
    """Round up to the next 0.5 (1.25 → 1.5, 1.5 → 1.5, 0 → 0), exactly."""
    halves = math.ceil(Fraction(value) * 2)
    return Decimal(halves) / 2


@dataclass(frozen=True)
class Target:
    """An official's pro-rated target: credits and the months that counted."""

    credits: Decimal
    months: int


def prorated_target(
    held: Iterable[Held], cycle: CycleRules, leave: Iterable["Leave"] = ()
) -> Target:
    """The cycle credit target of an official (DESIGN.md §3).

    A month of the cycle counts when some position is held on its 15th and the official is not
    on exempting leave that day (`leave`: the exempting periods only), at the highest target
    among the positions held that day (concurrent posts included); the target is the sum over
    counted months of target ÷ (months in the cycle: 12 for a calendar year), rounded up to
    0.5 TC. Examples: joined 01/07 in a 3-TC position → 6 months → 1.5 TC; in the post all
    year with maternity leave 01/03–31/08 → 6 months → 1.5 TC.
    """
    held, leave = list(held), list(leave)
    days = month_days(cycle)
    if not days:
        return Target(Decimal(0), 0)
    total, months = Fraction(0), 0
    for day in days:
        targets = [Fraction(h.target) for h in held if h.holds_on(day)]
        if targets and not on_leave(day, leave):
            months += 1
            total += max(targets)
    return Target(round_up_half(total / len(days)), months)


# --- leave (DESIGN.md §3 "Leave") ----------------------------------------------------------


@dataclass(frozen=True)
class Leave:
    """A period of exempting leave of an official, both days included (the caller leaves out
    the kinds that do not exempt: the setting LMS_LEAVE_EXEMPTING_KINDS)."""

    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def on_leave(day: date, leave: Iterable[Leave]) -> bool:
    """Whether `day` falls in one of the exempting leave periods."""
    return any(period.covers(day) for period in leave)


@dataclass(frozen=True)
class Months:
    """An official's months in a cycle: with a post on the 15th (`in_post`), of those on
    exempting leave that day (`on_leave`), and the rest (`counted`: the months worked, the
    months the target counts). `not_rated`: fewer than the threshold months worked — the
    annual rating does not rate the official that year (Decree 90/2020: 6 months)."""

    in_post: int
    on_leave: int
    counted: int
    not_rated: bool


def months_worked(
    held: Iterable[Held], leave: Iterable[Leave], cycle: CycleRules, not_rated_below: int = 6
) -> Months:
    """Count the cycle's months (their 15th inside the cycle, as `prorated_target` does): in a
    post that day, on exempting leave that day (while in a post), counted = the difference.
    The statement is flagged not rated when counted < `not_rated_below` (a setting,
    LMS_NOT_RATED_MONTHS). Posts and leave ahead of today count as they are known (an open
    post runs to the cycle's end), as the target does."""
    held, leave = list(held), list(leave)
    in_post = away = 0
    for day in month_days(cycle):
        if any(h.holds_on(day) for h in held):
            in_post += 1
            away += on_leave(day, leave)
    counted = in_post - away
    return Months(in_post, away, counted, counted < not_rated_below)


def leave_shifted_due(due: date, start: date, leave: Iterable[Leave], cycle: CycleRules) -> date:
    """A due date moved later by the exempting leave taken while the obligation runs
    (DESIGN.md §3 "Due dates"): `start` is the day the obligation began to run (the latest of
    the post's start, the day it arose and the cycle's first day).

    Each leave period, earliest first, that overlaps [start, due] (the due date as moved by the
    periods before it) moves it later by the days of the leave from `start` on, but — as the
    go-live deadlines are capped — not past the cycle's last day (unless it was already past
    it), and in any case to at least cycle.notice_days after the leave's last day, even past the
    cycle end (the official comes back with the notice a new requirement gets; such an
    obligation does not count against the cycle: `counts_in_cycle`). Never earlier than `due`.
    """
    for period in sorted(leave, key=lambda p: (p.starts_on, p.ends_on)):
        if period.starts_on > due or period.ends_on < start:
            continue
        lost = (period.ends_on - max(period.starts_on, start)).days + 1
        moved = min(due + timedelta(days=lost), max(due, cycle.ends_on))
        due = max(moved, period.ends_on + timedelta(days=cycle.notice_days))
    return due


def reference_day(cycle: CycleRules, as_of: date) -> date:
    """The day whose positions decide a cycle's obligations: `as_of` kept inside the cycle
    (a cycle refreshed after its end is judged on its last day)."""
    return min(max(as_of, cycle.starts_on), cycle.ends_on)


@dataclass(frozen=True)
class Requirement:
    """A mandatory course an official must hold in a cycle: since when it has been required
    without a break, its due date, the position that requires it, and the day the requirement
    arose (was first known: a curriculum change, an import, the go-live)."""

    course_id: int
    since: date
    due_on: date
    position_id: int
    arose_on: date | None = None


def due_date(since: date, cycle: CycleRules, arose: date | None = None) -> date:
    """Due date of a mandatory course required from `since`, a requirement that arose (was
    created in the system) on `arose` (None: on `since`). DESIGN.md §3 "Due dates":

    - start = the later of `since` and `arose`; an obligation is never due before the day it
      arose;
    - start on or before the cycle's first day: the cycle's last day — the official has the
      whole cycle, as everyone else in the position;
    - start inside the cycle: start + cycle.due_days, but not after the cycle's last day;
    - and in any case at least cycle.notice_days after `arose`, even when that is past the
      cycle's last day (a course required in the cycle's last weeks, or in a cycle already
      over at the go-live). Such an obligation does not count against that cycle
      (`counts_in_cycle`).
    """
    start = since if arose is None else max(since, arose)
    if start <= cycle.starts_on:
        due = cycle.ends_on
    else:
        due = min(start + timedelta(days=cycle.due_days), cycle.ends_on)
    if arose is not None:
        due = max(due, arose + timedelta(days=cycle.notice_days))
    return due


def recertification_due(expires_on: date, cycle: CycleRules, arose: date | None = None) -> date:
    """Due date of a recertification: the old certificate's expiry, but at least
    cycle.notice_days after the recertification arose (a certificate already expired, or about
    to, when the requirement became known: the go-live, an import of old certificates)."""
    if arose is None:
        return expires_on
    return max(expires_on, arose + timedelta(days=cycle.notice_days))


def counts_in_cycle(due_on: date, cycle_ends_on: date) -> bool:
    """Whether an open obligation counts for its cycle's status and figures: one due after the
    cycle's last day (it arose too late to be met inside the cycle) does not make the official
    `not_met`, `overdue` or `at_risk` in that cycle (it still shows, and is reminded of, with
    its due date)."""
    return due_on <= cycle_ends_on


def _coverage_start(held: list[Held], course_id: int, day: date) -> date:
    """Start of the unbroken run of posts requiring `course_id` that covers `day` (posts that
    follow each other day to day, or overlap, make one run)."""
    spans = sorted((h.started_on, h.ended_on or date.max) for h in held if course_id in h.courses)
    runs: list[list[date]] = []
    for begin, finish in spans:
        if runs and (runs[-1][1] == date.max or begin <= runs[-1][1] + timedelta(days=1)):
            runs[-1][1] = max(runs[-1][1], finish)
        else:
            runs.append([begin, finish])
    for begin, finish in runs:
        if begin <= day <= finish:
            return begin
    raise ValueError("no post requires the course on that day")


def requirements(
    held: Iterable[Held],
    cycle: CycleRules,
    as_of: date,
    arisen: Mapping[int, date] | None = None,
) -> list[Requirement]:
    """The mandatory courses of the positions held on the reference day (primary and
    concurrent), each with its due date, sorted by course id.

    `arisen` gives, by course id, the day a requirement already known arose (the stored
    obligation's); a course not in it arises now, on `as_of` (see `due_date`).

    A course required by several posts is one requirement: the earliest due date wins (ties:
    the primary post, then the lowest position id). A course stays required without a break
    across a position change when both positions require it, so its due date does not move.
    A requirement whose run starts after the cycle's last 15th (a post taken in the last
    half-month) belongs to the next cycle, as the month does for the target.
    """
    held = list(held)
    day = reference_day(cycle, as_of)
    days = month_days(cycle)
    last_month_day = days[-1] if days else cycle.starts_on - timedelta(days=1)
    found: dict[int, tuple] = {}
    for post in held:
        if not post.holds_on(day):
            continue
        for course_id in post.courses:
            since = _coverage_start(held, course_id, day)
            if since > last_month_day:
                continue
            arose = arisen.get(course_id, as_of) if arisen is not None else as_of
            due = due_date(since, cycle, arose)
            key = (due, not post.is_primary, post.position_id)
            if course_id not in found or key < found[course_id][0]:
                requirement = Requirement(course_id, since, due, post.position_id, arose)
                found[course_id] = (key, requirement)
    return [found[c][1] for c in sorted(found)]


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


def cycle_days(starts_on: date, ends_on: date) -> int:
    """Number of days in a cycle, both ends included (365 or 366 for a calendar year)."""
    return (ends_on - starts_on).days + 1


def elapsed_days(starts_on: date, ends_on: date, as_of: date) -> int:
    """Days of the cycle gone by on `as_of`, `as_of` included: 0 before the start, every day
    after the end."""
    return min(max((as_of - starts_on).days + 1, 0), cycle_days(starts_on, ends_on))


# --- credits of a course completion (DESIGN.md §3: repeatable courses) -----------------------


def earns_credits(
    repeatable: bool, completed_on: date, credited: Iterable[tuple[date, date]]
) -> bool:
    """Whether a completion of a course on `completed_on` earns the course's credits.

    `credited` lists the cycles, as (first day, last day), in which the official already holds
    credits for the course (net: a reversed credit is not held). A course earns its credits
    once: any later completion — a retake, the renewal of an expiring certificate, a refresher
    in another cycle — earns nothing (it still meets the mandatory obligations it is valid
    for). A course marked repeatable earns them once in each cycle: a completion earns unless
    a credited cycle contains its day, so a second completion in the same cycle earns nothing.
    """
    cycles = list(credited)
    if not repeatable:
        return not cycles
    return not any(starts_on <= completed_on <= ends_on for starts_on, ends_on in cycles)
