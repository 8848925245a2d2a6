"""Pure rules of marking, results and appeals of a recruitment exam (no Flask, no database):
the written mark of a paper from its markers, the pass conditions, the ranking of a position
against its quota with its ties, and the appeal deadline. docs/recruitment.md "Marking,
results and appeals" says which rule of Decree 138/2020/NĐ-CP and Circular 06/2020/TT-BNV
each one applies."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lms.common.labels import Labelled
from lms.i18n import _l

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# The written paper of the second round is marked out of 100 (Decree 138/2020, art. 8).
DEFAULT_MAXIMUM = Decimal(100)
# Two marks further apart than this share of the maximum call for a third marker.
DEFAULT_MARGIN_PERCENT = Decimal(10)
# A part of the first round, and the second round, are passed from half of their maximum.
PASS_SHARE = Decimal("0.5")
# An appeal is filed within this many days after the results are published (the recruitment's
# `appeal_days`).
DEFAULT_APPEAL_DAYS = 15
# The alphabet of the anonymous codes (số phách): no 0/O, 1/I/L that read alike on paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


class Standing(Labelled):
    """Where a candidate stands on a position's list after the ranking."""

    SELECTED = "selected", _l("Selected")
    TIE = "tie", _l("Tied at the last place: the head of the agency decides")
    NOT_SELECTED = "not_selected", _l("Passed, outside the quota")
    FAILED = "failed", _l("Did not pass")
    NO_MARK = "no_mark", _l("No mark yet")


def quantize(value: Decimal) -> Decimal:
    """A mark kept to two decimals, halves rounded up (as marks are read aloud)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def new_code(taken: Iterable[str] = ()) -> str:
    """A random anonymous code (số phách) not in `taken`: 8 characters of CODE_ALPHABET from
    the system's secure random source, so a code says nothing of the candidate or the order."""
    used = set(taken)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in used:
            return code


def check_mark(mark: Decimal, maximum: Decimal = DEFAULT_MAXIMUM) -> Decimal:
    """A marker's mark as stored: between 0 and `maximum`, in steps of 0.25 (a quarter point,
    the finest step of a marking scheme). Raises ValueError otherwise."""
    value = Decimal(mark)
    if not value.is_finite() or value < 0 or value > maximum or (value * 4) % 1 != 0:
        raise ValueError("mark out of range")
    return quantize(value)


def needs_third_marker(
    first: Decimal,
    second: Decimal,
    maximum: Decimal = DEFAULT_MAXIMUM,
    margin_percent: Decimal = DEFAULT_MARGIN_PERCENT,
) -> bool:
    """Whether two independent marks differ by more than `margin_percent` % of `maximum`
    (10 % of 100 points: 60 and 70 stand, 60 and 70.25 call a third marker)."""
    return (
        abs(Decimal(first) - Decimal(second)) > Decimal(maximum) * Decimal(margin_percent) / HUNDRED
    )


def written_mark(
    first: Decimal | None,
    second: Decimal | None,
    third: Decimal | None = None,
    maximum: Decimal = DEFAULT_MAXIMUM,
    margin_percent: Decimal = DEFAULT_MARGIN_PERCENT,
) -> Decimal | None:
    """The mark of a paper: None until both markers have marked; the mean of the two when they
    are within the margin; when they are not, None until the third marker has marked, then the
    third mark (the head of the marking board's decision, Circular 06/2020)."""
    if first is None or second is None:
        return None
    if not needs_third_marker(first, second, maximum, margin_percent):
        return quantize((Decimal(first) + Decimal(second)) / 2)
    return None if third is None else quantize(Decimal(third))


def passes_part(score: Decimal | None, maximum: Decimal) -> bool:
    """A part (or round) is passed with at least half of its maximum; no score does not pass."""
    return score is not None and Decimal(score) >= Decimal(maximum) * PASS_SHARE


@dataclass(frozen=True)
class Entry:
    """One candidate of a position as the ranking reads them: the first-round parts as
    (score, maximum) pairs (each must be passed), the second-round mark (None: not marked or
    absent) out of `second_maximum`, and the priority points (only the highest category)."""

    candidate_id: int
    first_round: tuple[tuple[Decimal, Decimal], ...]
    second_round: Decimal | None
    priority: Decimal = Decimal(0)
    second_maximum: Decimal = DEFAULT_MAXIMUM


@dataclass(frozen=True)
class Ranked:
    """A candidate's place: total (second round + priority, None without a mark), rank (1 for
    the best; equal totals and second-round marks share a rank; None when not passed) and
    standing."""

    candidate_id: int
    total: Decimal | None
    rank: int | None
    standing: Standing


def total_of(entry: Entry) -> Decimal | None:
    """Second-round mark plus priority points (Decree 138/2020, art. 9: the first round only
    qualifies and is not added)."""
    if entry.second_round is None:
        return None
    return quantize(Decimal(entry.second_round) + Decimal(entry.priority))


def qualifies(entry: Entry) -> bool:
    """Every first-round part at least half, and the second round at least half."""
    return all(passes_part(s, m) for s, m in entry.first_round) and passes_part(
        entry.second_round, entry.second_maximum
    )


def rank_position(entries: Sequence[Entry], quota: int) -> list[Ranked]:
    """Rank a position's candidates against its quota (Decree 138/2020, art. 9): those who
    qualify by total, then by second-round mark, highest first; the first `quota` are
    selected. Candidates equal on both keys share a rank; when such a group straddles the last
    place of the quota, every one of them is TIE (the head of the agency decides) and the
    places before it stay selected. The list keeps the ranking's order, then those who did not
    pass, then those without a mark."""
    passing = [e for e in entries if qualifies(e)]
    passing.sort(key=lambda e: (-total_of(e), -Decimal(e.second_round), e.candidate_id))
    out: list[Ranked] = []
    position = 0
    index = 0
    while index < len(passing):
        key = (total_of(passing[index]), Decimal(passing[index].second_round))
        group = [passing[index]]
        while index + len(group) < len(passing):
            other = passing[index + len(group)]
            if (total_of(other), Decimal(other.second_round)) != key:
                break
            group.append(other)
        rank = position + 1
        if position + len(group) <= quota:
            standing = Standing.SELECTED
        elif position < quota:
            standing = Standing.TIE
        else:
            standing = Standing.NOT_SELECTED
        out.extend(Ranked(e.candidate_id, total_of(e), rank, standing) for e in group)
        position += len(group)
        index += len(group)
    rest = [e for e in entries if not qualifies(e)]
    rest.sort(key=lambda e: (e.second_round is None, e.candidate_id))
    for e in rest:
        standing = Standing.NO_MARK if e.second_round is None else Standing.FAILED
        out.append(Ranked(e.candidate_id, total_of(e), None, standing))
    return out


def appeal_deadline(published_on: date, days: int = DEFAULT_APPEAL_DAYS) -> date:
    """The last day an appeal (phúc khảo) may be filed: `days` days after the day the results
    were published (published 07/12/2026, 15 days: 22/12/2026, filed that day still counts).
    A deadline falling on a holiday is not moved: the council sets `days` to cover it."""
    return published_on + timedelta(days=days)


def may_appeal(published_on: date | None, today: date, days: int) -> bool:
    """Whether an appeal filed `today` is in time: results published, and today between the
    publication day and the deadline, both included."""
    if published_on is None:
        return False
    return published_on <= today <= appeal_deadline(published_on, days)
