"""The annual plan's pure rules (issue 23): quarters, classes proposed, consolidation, the
nearest planning unit, which plan line a completion counts for, the completion rate."""

from datetime import date

from lms.teams.planning.rules import (
    Need,
    classes_for,
    completion_rate,
    consolidate,
    plan_key,
    planning_unit,
    quarter_of,
)


def test_quarters_turn_on_the_first_day_of_april_july_and_october():
    assert [quarter_of(date(2027, 3, 31)), quarter_of(date(2027, 4, 1))] == [1, 2]
    assert [quarter_of(date(2027, 6, 30)), quarter_of(date(2027, 7, 1))] == [2, 3]
    assert [quarter_of(date(2027, 9, 30)), quarter_of(date(2027, 10, 1))] == [3, 4]
    assert [quarter_of(1), quarter_of(12)] == [1, 4]


def test_one_class_per_class_size_rounded_up():
    assert [classes_for(n, 40) for n in (0, 1, 39, 40, 41, 80, 81)] == [0, 1, 1, 1, 2, 2, 3]


def test_consolidation_sums_the_needs_of_a_unit_course_and_quarter():
    needs = [
        Need(1, 10, "", 1, 4),
        Need(1, 10, "", 1, 6),
        Need(1, 10, "", 2, 1),
        Need(2, 10, "", 1, 3),
        Need(2, None, "ND4", 3, 2),
        Need(2, None, "ND4", 3, 5),
        Need(2, 11, "ND5", 3, 1),  # a course keeps no area
    ]
    assert consolidate(needs) == {
        (1, 10, "", 1): 10,
        (1, 10, "", 2): 1,
        (2, 10, "", 1): 3,
        (2, None, "ND4", 3): 7,
        (2, 11, "", 3): 1,
    }


def test_the_nearest_planning_unit_holds_the_officials_unit():
    planned = ["/1/", "/1/2/", "/3/"]
    assert planning_unit("/1/2/5/", planned) == "/1/2/"
    assert planning_unit("/1/4/", planned) == "/1/"
    assert planning_unit("/3/", planned) == "/3/"
    assert planning_unit("/9/", planned) is None
    assert planning_unit("/11/", ["/1/"]) is None  # a path prefix of digits is no ancestor


def test_a_completion_counts_for_its_course_else_its_area_named_alone():
    assert plan_key(10, "ND3", {10}, {"ND3"}) == ("course", 10)
    assert plan_key(12, "ND4", {10}, {"ND4"}) == ("area", "ND4")
    assert plan_key(12, "ND2", {10}, {"ND4"}) is None


def test_the_rate_is_a_whole_percentage_of_the_planned():
    assert completion_rate(0, 3) is None and completion_rate(None, 3) is None
    assert [completion_rate(3, 1), completion_rate(4, 4), completion_rate(2, 3)] == [33, 100, 150]
