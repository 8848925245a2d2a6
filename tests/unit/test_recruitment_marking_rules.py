"""The pure rules of marking, ranking and appeals (lms.recruitment.marking.rules)."""

from datetime import date
from decimal import Decimal as D

import pytest

from lms.recruitment.marking import rules
from lms.recruitment.marking.rules import Entry, Standing

PASSED_ROUND_ONE = ((D(30), D(60)), (D(15), D(30)))


def entry(cid, second, priority=0, first=PASSED_ROUND_ONE):
    return Entry(cid, first, None if second is None else D(second), D(priority))


def standings(ranked):
    return {r.candidate_id: (r.rank, r.standing) for r in ranked}


# --- marks of a paper ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "first,second,third_needed",
    [(60, 70, False), (70, 60, False), (60, "70.25", True), ("70.25", 60, True), (0, 100, True)],
)
def test_a_third_marker_is_needed_only_beyond_ten_percent_of_the_maximum(
    first, second, third_needed
):
    assert rules.needs_third_marker(D(first), D(second)) is third_needed


def test_the_margin_is_a_share_of_the_maximum_and_can_be_set():
    assert not rules.needs_third_marker(D(8), D(9), maximum=D(10))
    assert rules.needs_third_marker(D(8), D("9.25"), maximum=D(10))
    assert rules.needs_third_marker(D(60), D(66), margin_percent=D(5))


def test_two_close_marks_give_their_mean():
    assert rules.written_mark(D(60), D(65)) == D("62.50")
    assert rules.written_mark(D("60.25"), D(61)) == D("60.63")  # half a cent rounds up


def test_the_mark_waits_for_both_markers():
    assert rules.written_mark(D(60), None) is None
    assert rules.written_mark(None, D(60)) is None


def test_far_marks_wait_for_the_third_marker_whose_mark_stands():
    assert rules.written_mark(D(40), D(75)) is None
    assert rules.written_mark(D(40), D(75), D(58)) == D("58.00")


def test_a_third_mark_is_ignored_when_the_first_two_agree():
    assert rules.written_mark(D(60), D(62), D(20)) == D("61.00")


@pytest.mark.parametrize("bad", ["-0.25", "100.25", "60.1", "NaN", "Infinity"])
def test_a_mark_outside_the_scale_or_finer_than_a_quarter_is_refused(bad):
    with pytest.raises(ValueError):
        rules.check_mark(D(bad))


def test_marks_on_the_scale_are_kept():
    assert rules.check_mark(D("0")) == D("0.00")
    assert rules.check_mark(D("100")) == D("100.00")
    assert rules.check_mark(D("72.75")) == D("72.75")


def test_codes_are_random_distinct_and_unreadable():
    taken = set()
    for _ in range(300):
        code = rules.new_code(taken)
        assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)
        assert code not in taken
        taken.add(code)
    assert not set("01OIL") & set(rules.CODE_ALPHABET)


# --- pass conditions -----------------------------------------------------------------------
def test_half_of_each_part_passes_and_less_does_not():
    assert rules.passes_part(D(50), D(100))
    assert not rules.passes_part(D("49.75"), D(100))
    assert rules.passes_part(D(30), D(60))
    assert not rules.passes_part(D(29), D(60))
    assert not rules.passes_part(None, D(100))


def test_one_failed_first_round_part_fails_the_candidate_whatever_the_second_round():
    failed_it = ((D(29), D(60)), (D(30), D(30)))
    ranked = rules.rank_position([entry(1, 95, first=failed_it)], quota=3)
    assert standings(ranked) == {1: (None, Standing.FAILED)}


def test_priority_points_do_not_lift_a_second_round_under_fifty():
    ranked = rules.rank_position([entry(1, "49.75", priority=5)], quota=1)
    assert standings(ranked) == {1: (None, Standing.FAILED)}
    assert ranked[0].total == D("54.75")


# --- ranking against the quota ---------------------------------------------------------------
def test_the_best_totals_fill_the_quota_priority_points_included():
    ranked = rules.rank_position(
        [entry(1, 80), entry(2, 76, priority=5), entry(3, 78), entry(4, 60), entry(5, None)],
        quota=2,
    )
    assert [r.candidate_id for r in ranked] == [2, 1, 3, 4, 5]
    assert standings(ranked) == {
        2: (1, Standing.SELECTED),
        1: (2, Standing.SELECTED),
        3: (3, Standing.NOT_SELECTED),
        4: (4, Standing.NOT_SELECTED),
        5: (None, Standing.NO_MARK),
    }
    assert ranked[0].total == D("81.00")


def test_equal_totals_go_to_the_higher_second_round_mark():
    # 75 + 5 and 80 + 0: both 80, the one with 80 in the second round takes the one place.
    ranked = rules.rank_position([entry(1, 75, priority=5), entry(2, 80)], quota=1)
    assert standings(ranked) == {2: (1, Standing.SELECTED), 1: (2, Standing.NOT_SELECTED)}


def test_a_tie_on_both_keys_at_the_last_place_is_left_to_the_head():
    ranked = rules.rank_position([entry(1, 90), entry(2, 70), entry(3, 70), entry(4, 60)], quota=2)
    assert standings(ranked) == {
        1: (1, Standing.SELECTED),
        2: (2, Standing.TIE),
        3: (2, Standing.TIE),
        4: (4, Standing.NOT_SELECTED),
    }


def test_a_tie_inside_the_quota_selects_both():
    ranked = rules.rank_position([entry(1, 70), entry(2, 70), entry(3, 60)], quota=2)
    assert standings(ranked) == {
        1: (1, Standing.SELECTED),
        2: (1, Standing.SELECTED),
        3: (3, Standing.NOT_SELECTED),
    }


def test_a_tie_just_after_the_quota_selects_nobody_of_it():
    ranked = rules.rank_position([entry(1, 80), entry(2, 70), entry(3, 70)], quota=1)
    assert standings(ranked)[2] == (2, Standing.NOT_SELECTED)


def test_a_quota_of_zero_selects_no_one_and_an_empty_position_ranks_nothing():
    assert standings(rules.rank_position([entry(1, 90)], quota=0)) == {
        1: (1, Standing.NOT_SELECTED)
    }
    assert rules.rank_position([], quota=3) == []


# --- appeal deadline -----------------------------------------------------------------------
PUBLISHED = date(2026, 12, 7)


def test_the_deadline_is_the_set_number_of_days_after_publication():
    assert rules.appeal_deadline(PUBLISHED) == date(2026, 12, 22)
    assert rules.appeal_deadline(PUBLISHED, 5) == date(2026, 12, 12)
    assert rules.appeal_deadline(date(2026, 12, 27), 15) == date(2027, 1, 11)


@pytest.mark.parametrize(
    "today,in_time",
    [
        (date(2026, 12, 6), False),  # before publication
        (PUBLISHED, True),
        (date(2026, 12, 21), True),  # the day before the deadline
        (date(2026, 12, 22), True),  # the deadline itself
        (date(2026, 12, 23), False),  # the day after
    ],
)
def test_an_appeal_is_in_time_up_to_and_including_the_deadline(today, in_time):
    assert rules.may_appeal(PUBLISHED, today, 15) is in_time


def test_no_appeal_before_results_are_published():
    assert not rules.may_appeal(None, PUBLISHED, 15)
