"""Which completion of a course earns its credits (rules.earns_credits, DESIGN.md §3): a course
earns them once, whatever cycle a later completion falls in; a repeatable course once in each
cycle. Boundaries: the day before, of and after the first and last days of a credited cycle."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.curricula.rules.credits import earns_credits

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))
Y2026 = (date(2026, 1, 1), date(2026, 12, 31))
# A cycle that is not a calendar year (from 1 July): the boundary is the cycle's, not 1 January.
FY2025 = (date(2025, 7, 1), date(2026, 6, 30))


def test_the_first_completion_earns_the_credits_repeatable_or_not():
    assert earns_credits(False, date(2026, 3, 1), [])
    assert earns_credits(True, date(2026, 3, 1), [])


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 1),  # the credited cycle's first day
        date(2025, 6, 15),
        date(2025, 12, 31),  # its last day
        date(2026, 1, 1),  # the next cycle's first day
        date(2026, 1, 2),
        date(2030, 5, 1),  # a renewal years later
        date(2024, 12, 31),  # an older completion recorded afterwards (an import)
    ],
)
def test_a_course_that_is_not_repeatable_earns_nothing_once_credited_in_any_cycle(day):
    assert not earns_credits(False, day, [Y2025])


@pytest.mark.parametrize(
    ("day", "earns"),
    [
        (date(2024, 12, 31), True),  # the day before the credited cycle
        (date(2025, 1, 1), False),  # its first day
        (date(2025, 1, 2), False),
        (date(2025, 12, 30), False),
        (date(2025, 12, 31), False),  # its last day
        (date(2026, 1, 1), True),  # 1 January: a new cycle earns again
        (date(2026, 1, 2), True),
    ],
)
def test_a_repeatable_course_earns_again_from_the_first_day_of_the_next_cycle(day, earns):
    assert earns_credits(True, day, [Y2025]) is earns


@pytest.mark.parametrize(
    ("day", "earns"),
    [
        (date(2025, 6, 30), True),
        (date(2025, 7, 1), False),
        (date(2026, 1, 1), False),  # 1 January is inside this cycle
        (date(2026, 6, 30), False),
        (date(2026, 7, 1), True),
    ],
)
def test_the_cycle_boundary_is_the_cycles_own_first_and_last_day(day, earns):
    assert earns_credits(True, day, [FY2025]) is earns


def test_a_repeatable_course_earns_in_a_cycle_between_two_credited_ones():
    credited = [Y2024, Y2026]
    assert earns_credits(True, date(2025, 7, 1), credited)
    assert not earns_credits(True, date(2024, 7, 1), credited)
    assert not earns_credits(True, date(2026, 7, 1), credited)
    assert not earns_credits(False, date(2025, 7, 1), credited)


def test_the_credited_cycles_may_be_any_iterable():
    assert not earns_credits(True, date(2025, 3, 1), iter([Y2025]))
    assert not earns_credits(False, date(2027, 3, 1), (span for span in [Y2025]))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=4 * 366), min_size=1, max_size=12),
    st.booleans(),
)
def test_recording_completions_one_after_another_credits_once_or_once_per_cycle(
    offsets, repeatable
):
    """Completions recorded in any order, each judged by the cycles credited before it: a
    course is credited once, by the first recorded; a repeatable one once in each year that has
    a completion, by the first recorded in that year."""
    days = [date(2024, 1, 1) + timedelta(days=offset) for offset in offsets]
    credited: list[tuple[date, date]] = []
    earned = []
    for day in days:
        if earns_credits(repeatable, day, credited):
            earned.append(day)
            credited.append((date(day.year, 1, 1), date(day.year, 12, 31)))
    firsts = {}
    for day in days:
        firsts.setdefault(day.year, day)  # the first recorded of each year
    assert earned == (list(firsts.values()) if repeatable else [days[0]])
