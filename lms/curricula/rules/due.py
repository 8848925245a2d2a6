"""The mandatory courses of the posts held and their due dates, moved later by exempting leave
(DESIGN.md §3 "Due dates", "Leave")."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from lms.curricula.rules.dates import CycleRules, Held, Leave, month_days, reference_day


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
