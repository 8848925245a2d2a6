"""The rule that brings the annual rating back (issue 21): which courses a rating of cycle Y
assigns in cycle Y+1, and why."""

from lms.compliance.rules import (
    DONE_LEVEL,
    EXCELLENT,
    GOOD,
    NOT_DONE,
    RATING_LEVELS,
    rating_assignments,
)

AREAS = {"ND1": None, "ND2": None, "ND3": "LD02", "ND4": "VT01", "ND5": "BB03"}


def test_not_done_assigns_the_positions_mandatory_courses_again_by_code():
    assert rating_assignments(NOT_DONE, [], ["VT02", "BB01"], AREAS) == [
        ("BB01", "not_done"),
        ("VT02", "not_done"),
    ]


def test_the_other_levels_alone_assign_nothing():
    for level in (EXCELLENT, GOOD, DONE_LEVEL):
        assert rating_assignments(level, [], ["BB01"], AREAS) == []


def test_a_weak_area_assigns_its_configured_course_whatever_the_level():
    for level in RATING_LEVELS:
        found = rating_assignments(level, ["ND5"], [], AREAS)
        assert found == [("BB03", "ND5")]


def test_an_area_with_no_course_configured_or_unknown_assigns_nothing():
    assert rating_assignments(GOOD, ["ND1", "ND2", "ND9"], [], AREAS) == []


def test_a_course_comes_once_with_its_first_reason():
    found = rating_assignments(NOT_DONE, ["ND5", "ND3", "ND5"], ["BB03", "BB01"], AREAS)
    assert found == [("BB01", "not_done"), ("BB03", "not_done"), ("LD02", "ND3")]


def test_a_course_found_weak_assigns_itself_whatever_the_level():
    for level in RATING_LEVELS:
        assert rating_assignments(level, [], [], AREAS, ["VT03", "BB02"]) == [
            ("BB02", "weak_course"),
            ("VT03", "weak_course"),
        ]


def test_a_weak_course_already_assigned_keeps_its_first_reason():
    found = rating_assignments(NOT_DONE, ["ND5"], ["BB01"], AREAS, ["BB03", "BB01", "LD09"])
    assert found == [("BB01", "not_done"), ("BB03", "ND5"), ("LD09", "weak_course")]
