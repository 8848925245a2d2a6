"""The leave rule (DESIGN.md §3 "Leave"): a month counts towards the target only if on its 15th
the official holds a post and is not on exempting leave; fewer than 6 months worked flags "not
rated"; exempting leave moves due dates later by its length, capped as the go-live deadlines
are. Leave starting and ending on the 14th, 15th and 16th; the issue's scenarios."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from lms.curricula.rules.dates import CycleRules, Held, Leave
from lms.curricula.rules.due import counts_in_cycle, due_date, leave_shifted_due
from lms.curricula.rules.planning import CompletionFact, plan
from lms.curricula.rules.states import DONE, MANDATORY, OPEN, RECERTIFICATION
from lms.curricula.rules.targets import Months, Target, months_worked, prorated_target

Y2026 = CycleRules(date(2026, 1, 1), date(2026, 12, 31))
A = 1
BB01 = 101


def post(start, end=None, target="3", courses=()):
    return Held(A, start, end, D(target), frozenset(courses), True)


def leave(start, end):
    return Leave(start, end)


# --- the month's 15th decides ------------------------------------------------------------


@pytest.mark.parametrize(
    "first, counted",
    [
        (date(2026, 3, 14), 11),  # on leave on 15/03 → March is out
        (date(2026, 3, 15), 11),  # the 15th itself is a day of leave
        (date(2026, 3, 16), 12),  # March's 15th was worked
    ],
)
def test_leave_starting_around_the_15th(first, counted):
    months = months_worked([post(date(2025, 1, 1))], [leave(first, date(2026, 3, 31))], Y2026)
    assert (months.in_post, months.on_leave, months.counted) == (12, 12 - counted, counted)


@pytest.mark.parametrize(
    "last, counted",
    [
        (date(2026, 4, 14), 11),  # back on 15/04: only March is out
        (date(2026, 4, 15), 10),  # the 15th is the last day of leave: April is out too
        (date(2026, 4, 16), 10),
    ],
)
def test_leave_ending_around_the_15th(last, counted):
    months = months_worked([post(date(2025, 1, 1))], [leave(date(2026, 3, 1), last)], Y2026)
    assert months.counted == counted
    assert months.on_leave == 12 - counted


def test_a_day_of_leave_on_the_15th_takes_the_month_out_and_the_14th_or_16th_does_not():
    held = [post(date(2025, 1, 1))]
    for day, counted in ((14, 12), (15, 11), (16, 12)):
        periods = [leave(date(2026, 6, day), date(2026, 6, day))]
        assert months_worked(held, periods, Y2026).counted == counted
        assert prorated_target(held, Y2026, periods).months == counted


def test_the_issue_maternity_leave_in_a_3_tc_position_gives_1_5_tc():
    held = [post(date(2020, 1, 1), target="3")]
    periods = [leave(date(2026, 3, 1), date(2026, 8, 31))]
    assert prorated_target(held, Y2026, periods) == Target(D("1.5"), 6)
    months = months_worked(held, periods, Y2026)
    assert months == Months(in_post=12, on_leave=6, counted=6, not_rated=False)


def test_the_issue_joined_in_august_and_on_leave_from_october_is_not_rated():
    held = [post(date(2026, 8, 1))]
    periods = [leave(date(2026, 10, 1), date(2027, 3, 31))]
    months = months_worked(held, periods, Y2026)
    assert months == Months(in_post=5, on_leave=3, counted=2, not_rated=True)
    assert prorated_target(held, Y2026, periods) == Target(D("0.5"), 2)


@pytest.mark.parametrize("counted, not_rated", [(5, True), (6, False), (7, False)])
def test_not_rated_below_six_months_worked(counted, not_rated):
    # in post from the 15th of the month that leaves `counted` months in the year
    start = date(2026, 13 - counted, 15)
    assert months_worked([post(start)], [], Y2026).not_rated is not_rated


def test_the_threshold_is_a_setting():
    held = [post(date(2026, 7, 1))]
    assert months_worked(held, [], Y2026, not_rated_below=6).not_rated is False
    assert months_worked(held, [], Y2026, not_rated_below=7).not_rated is True


def test_leave_without_a_post_is_not_counted_as_leave():
    held = [post(date(2026, 7, 1))]
    periods = [leave(date(2026, 1, 1), date(2026, 8, 31))]  # two of its months in post
    assert months_worked(held, periods, Y2026) == Months(6, 2, 4, True)


def test_no_post_no_months_and_not_rated():
    assert months_worked([], [], Y2026) == Months(0, 0, 0, True)


def test_leave_outside_the_cycle_changes_nothing():
    held = [post(date(2020, 1, 1))]
    periods = [
        leave(date(2025, 1, 1), date(2025, 12, 31)),
        leave(date(2027, 1, 1), date(2027, 6, 30)),
    ]
    assert prorated_target(held, Y2026, periods) == Target(D(3), 12)


def test_two_leave_periods_in_the_year_both_count():
    held = [post(date(2020, 1, 1))]
    periods = [
        leave(date(2026, 2, 1), date(2026, 2, 28)),
        leave(date(2026, 11, 10), date(2026, 12, 31)),
    ]
    assert months_worked(held, periods, Y2026).counted == 9
    assert prorated_target(held, Y2026, periods) == Target(D("2.5"), 9)  # 2.25 → 2.5


# --- due dates move by the leave's length --------------------------------------------------


def test_leave_inside_the_obligation_moves_its_due_date_by_its_length():
    # required from 01/02: due 01/02 + 180 = 31/07; 30 days of leave in April → 30/08
    due = due_date(date(2026, 2, 1), Y2026)
    assert due == date(2026, 7, 31)
    moved = leave_shifted_due(
        due, date(2026, 2, 1), [leave(date(2026, 4, 1), date(2026, 4, 30))], Y2026
    )
    assert moved == date(2026, 8, 30)


@pytest.mark.parametrize(
    "first, moved",
    [
        (date(2026, 7, 30), date(2026, 8, 31)),  # two days before: moves by its 3 days … at least
        (date(2026, 7, 31), date(2026, 8, 31)),  # the due date itself is a day of leave
        (date(2026, 8, 1), date(2026, 7, 31)),  # after the due date: nothing moves
    ],
)
def test_leave_starting_around_the_due_date(first, moved):
    due = date(2026, 7, 31)
    periods = [leave(first, date(2026, 8, 1))]
    # … and at least notice_days (30) after the last day of leave: 01/08 + 30 = 31/08
    assert leave_shifted_due(due, date(2026, 2, 1), periods, Y2026) == moved


def test_leave_before_the_obligation_began_moves_nothing():
    periods = [leave(date(2026, 1, 1), date(2026, 1, 31))]
    due = date(2026, 7, 31)
    assert leave_shifted_due(due, date(2026, 2, 1), periods, Y2026) == due
    # only the days from the obligation's start count
    periods = [leave(date(2026, 1, 20), date(2026, 2, 10))]
    assert leave_shifted_due(due, date(2026, 2, 1), periods, Y2026) == date(2026, 8, 10)


def test_the_move_is_capped_at_the_cycle_end_but_the_official_gets_the_notice_after_coming_back():
    # due at the cycle end (required all year): maternity leave 01/03–31/08 moves nothing past
    # 31/12 — the official is back with four months left
    due = date(2026, 12, 31)
    periods = [leave(date(2026, 3, 1), date(2026, 8, 31))]
    assert leave_shifted_due(due, Y2026.starts_on, periods, Y2026) == due
    # leave until 20/12: back with at least 30 days, past the cycle end; it no longer counts
    periods = [leave(date(2026, 10, 1), date(2026, 12, 20))]
    moved = leave_shifted_due(due, Y2026.starts_on, periods, Y2026)
    assert moved == date(2026, 12, 20) + timedelta(days=30)
    assert not counts_in_cycle(moved, Y2026.ends_on)


def test_a_due_date_already_past_the_cycle_end_moves_by_the_whole_leave():
    due = date(2027, 1, 20)  # arose on 21/12 with 30 days' notice
    periods = [leave(date(2027, 1, 1), date(2027, 1, 10))]
    assert leave_shifted_due(due, date(2026, 12, 21), periods, Y2026) == date(2027, 2, 9)


def test_a_second_leave_that_the_first_move_reaches_moves_it_again():
    due = date(2026, 6, 30)
    periods = [
        leave(date(2026, 6, 1), date(2026, 6, 10)),
        leave(date(2026, 7, 5), date(2026, 7, 14)),
    ]
    # 30/06 + 10 = 10/07 (≥ 10/06 + 30 = 10/07), inside the second leave: + 10 → 20/07,
    # at least 14/07 + 30 = 13/08
    assert leave_shifted_due(due, date(2026, 1, 1), periods, Y2026) == date(2026, 8, 13)


def test_plan_moves_mandatory_due_dates_for_leave():
    held = [post(date(2026, 2, 1), courses=[BB01])]
    periods = [leave(date(2026, 4, 1), date(2026, 4, 30))]
    arisen = {(BB01, MANDATORY): date(2026, 2, 1)}
    [planned] = plan(held, [], Y2026, date(2026, 2, 1), arisen, periods)
    assert (planned.kind, planned.status, planned.due_on) == (MANDATORY, OPEN, date(2026, 8, 30))
    [unmoved] = plan(held, [], Y2026, date(2026, 2, 1), arisen)
    assert unmoved.due_on == date(2026, 7, 31)


def test_plan_moves_a_recertification_due_inside_leave():
    held = [post(date(2020, 1, 1), courses=[BB01])]
    done = [CompletionFact(7, BB01, date(2024, 6, 1), date(2026, 6, 1))]
    periods = [leave(date(2026, 5, 1), date(2026, 6, 30))]
    arisen = {(BB01, MANDATORY): date(2026, 1, 1), (BB01, RECERTIFICATION): date(2026, 1, 1)}
    planned = plan(held, done, Y2026, date(2026, 4, 15), arisen, periods)
    by_kind = {p.kind: p for p in planned}
    assert by_kind[MANDATORY].status == DONE
    # 01/06 + 61 days of leave = 01/08, ≥ 30/06 + 30
    assert by_kind[RECERTIFICATION].due_on == date(2026, 8, 1)
