"""Pro-rated credit targets and the months worked in a cycle (DESIGN.md §3 "Targets", "Leave")."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from lms.curricula.rules.dates import CycleRules, Held, Leave, month_days, on_leave


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
