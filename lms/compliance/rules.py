"""The compliance status of an official in a cycle (DESIGN.md §3) and its values, with no Flask
and no database: a pure function of plain scalars, so a report can compute the same in SQL."""

from datetime import date, timedelta
from decimal import Decimal

from lms.curricula.rules import cycle_days, elapsed_days

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
