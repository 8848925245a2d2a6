"""The compliance status of an official in a cycle (DESIGN.md §3) and its values, with no Flask
and no database: a pure function of plain scalars, so a report can compute the same in SQL."""

from datetime import date, timedelta
from decimal import Decimal

from lms.curricula.rules.dates import cycle_days, elapsed_days

MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET = "met", "on_track", "at_risk", "overdue", "not_met"
LIVE_STATUSES = (MET, ON_TRACK, AT_RISK, OVERDUE)
CLOSED_STATUSES = (MET, NOT_MET)
STATUSES = (MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET)


def compliance_status(
    *,
    as_of: date,
    starts_on: date,
    ends_on: date,
    closed: bool,
    target: Decimal,
    earned: Decimal,
    open_obligations: int,
    earliest_open_due: date | None,
    at_risk_days: int = 30,
    pace_slack: Decimal = Decimal(1),
) -> str:
    """An official's compliance status in a cycle on `as_of` (DESIGN.md §3).

    Inputs are plain scalars so a report can compute the same thing in SQL:
    `target` (OfficialTarget.target_credits), `earned` (sum of the cycle's ledger credits),
    `open_obligations` (count of the cycle's obligations with status open and due by the
    cycle's last day — `counts_in_cycle`; done and withdrawn do not count, nor does one due
    after the cycle end), `earliest_open_due` (min due_on of those), the cycle's dates, its
    `at_risk_days` and `pace_slack`, and `closed` (the cycle is closed for the official's unit).

    The first rule that holds decides:
    1. closed: `met` when earned ≥ target and open_obligations = 0, else `not_met`;
    2. `met`: earned ≥ target and open_obligations = 0;
    3. `overdue`: earliest_open_due < as_of (an open obligation is past its due date);
    4. `at_risk`: earliest_open_due ≤ as_of + at_risk_days, or the pace is behind:
       (earned + pace_slack) × D < target × E, where D = cycle days (ends_on − starts_on + 1)
       and E = elapsed days, min(max(as_of − starts_on + 1, 0), D) — i.e. earned is more than
       pace_slack below target × E/D, written without a division;
    5. otherwise `on_track`.
    """
    target, earned = Decimal(target), Decimal(earned)
    done = earned >= target and open_obligations == 0
    if closed:
        return MET if done else NOT_MET
    if done:
        return MET
    if earliest_open_due is not None and open_obligations and earliest_open_due < as_of:
        return OVERDUE
    if (
        earliest_open_due is not None
        and open_obligations
        and earliest_open_due <= as_of + timedelta(days=at_risk_days)
    ):
        return AT_RISK
    total = cycle_days(starts_on, ends_on)
    gone = elapsed_days(starts_on, ends_on, as_of)
    if (earned + Decimal(pace_slack)) * total < target * gone:
        return AT_RISK
    return ON_TRACK


# --- the annual rating comes back (issue 21; docs/compliance.md "Ratings") ------------------

# The four levels of the annual rating (Decree 90/2020), best first.
EXCELLENT, GOOD, DONE_LEVEL, NOT_DONE = "excellent", "good", "done", "not_done"
RATING_LEVELS = (EXCELLENT, GOOD, DONE_LEVEL, NOT_DONE)
# The content areas a rating may find weak (the catalog's ND1–ND5).
WEAK_AREAS = ("ND1", "ND2", "ND3", "ND4", "ND5")
# Why a course is assigned from a rating: the level "not done", a weak area (its code), or the
# course itself found weak.
REASON_NOT_DONE = "not_done"
REASON_WEAK_COURSE = "weak_course"


def rating_assignments(
    level: str,
    weak_areas: list[str] | tuple[str, ...],
    position_courses: list[str] | tuple[str, ...],
    area_courses: dict[str, str | None],
    weak_courses: list[str] | tuple[str, ...] = (),
) -> list[tuple[str, str]]:
    """The courses a rating of cycle Y assigns in cycle Y+1, as (course code, reason).

    `not_done` → every mandatory course of the official's current position again
    (`position_courses`), reason `not_done`; each weak area → the course configured for it in
    `area_courses` (none configured: nothing), reason the area's code; each course found weak
    (`weak_courses`, any level) → that course, reason `weak_course`. A course comes once, with
    its first reason; order: the position's courses (by code), then the areas (ND1…ND5), then
    the weak courses (by code). Any other level with no weak area or course assigns nothing.
    """
    found: dict[str, str] = {}
    if level == NOT_DONE:
        for code in sorted(position_courses):
            found.setdefault(code, REASON_NOT_DONE)
    for area in sorted(set(weak_areas)):
        code = area_courses.get(area)
        if code:
            found.setdefault(code, area)
    for code in sorted(set(weak_courses)):
        found.setdefault(code, REASON_WEAK_COURSE)
    return list(found.items())
