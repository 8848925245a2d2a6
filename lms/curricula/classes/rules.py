"""The pure rules of in-person classes (no Flask, no database): overlapping sessions, the
enrolment and cancellation windows, the QR check-in window, late arrival, and the attendance
rule (Circular 01/2018/TT-BNV: full attendance unless the class says otherwise).

Session times are naive local (Vietnam) datetimes, as the timetable reads them."""

from datetime import date, datetime, timedelta

# Circular 01/2018/TT-BNV asks a civil servant to attend the whole class: the default rule.
DEFAULT_MIN_ATTENDANCE = 100


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two sessions overlap; one ending when the other starts does not."""
    return a_start < b_end and b_start < a_end


def enrolment_open(today: date, opens_on: date | None, closes_on: date | None) -> bool:
    """Whether sign-up is open on `today`: from `opens_on` to `closes_on`, both included (an
    empty end is open)."""
    return (opens_on is None or opens_on <= today) and (closes_on is None or today <= closes_on)


def cancel_deadline(cancel_closes_on: date | None, first_day: date) -> date:
    """The last day an official may cancel their place: the class's own date, else the day
    before its first day."""
    return cancel_closes_on or first_day - timedelta(days=1)


def can_cancel(today: date, cancel_closes_on: date | None, first_day: date) -> bool:
    """Whether an official may still cancel on `today` (the deadline day included)."""
    return today <= cancel_deadline(cancel_closes_on, first_day)


def checkin_window(
    starts_at: datetime, ends_at: datetime, margin_minutes: int
) -> tuple[datetime, datetime]:
    """[opens, closes) of a session's QR check-in: `margin_minutes` before the start until the
    session ends."""
    return starts_at - timedelta(minutes=margin_minutes), ends_at


def in_checkin_window(
    now: datetime, starts_at: datetime, ends_at: datetime, margin_minutes: int
) -> bool:
    """Whether a QR check-in at `now` (local time) counts: opens ≤ now < closes."""
    opens, closes = checkin_window(starts_at, ends_at, margin_minutes)
    return opens <= now < closes


def is_late(now: datetime, starts_at: datetime, late_minutes: int) -> bool:
    """Whether arriving at `now` is late: more than `late_minutes` after the start."""
    return now > starts_at + timedelta(minutes=late_minutes)


def sessions_needed(total: int, percent: int) -> int:
    """How many of `total` sessions the attendance rule asks for (rounded up)."""
    return -(-percent * total // 100)


def attendance_passes(attended: int, total: int, percent: int) -> bool:
    """Whether `attended` sessions of `total` reach `percent` (attended × 100 ≥ percent ×
    total); no session held yet passes nobody."""
    return total > 0 and attended * 100 >= percent * total


def free_places(capacity: int | None, enrolled: int) -> int | None:
    """Places left (None: no limit)."""
    return None if capacity is None else max(capacity - enrolled, 0)
