"""Dates of the rules: a cycle and its settings, the posts an official holds, exempting leave,
the months of a cycle (their 15th) and its days (DESIGN.md §3)."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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


def reference_day(cycle: CycleRules, as_of: date) -> date:
    """The day whose positions decide a cycle's obligations: `as_of` kept inside the cycle
    (a cycle refreshed after its end is judged on its last day)."""
    return min(max(as_of, cycle.starts_on), cycle.ends_on)


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


def cycle_days(starts_on: date, ends_on: date) -> int:
    """Number of days in a cycle, both ends included (365 or 366 for a calendar year)."""
    return (ends_on - starts_on).days + 1


def elapsed_days(starts_on: date, ends_on: date, as_of: date) -> int:
    """Days of the cycle gone by on `as_of`, `as_of` included: 0 before the start, every day
    after the end."""
    return min(max((as_of - starts_on).days + 1, 0), cycle_days(starts_on, ends_on))
