"""Catalog rules: status changes, where a learner resumes, progress, prerequisite cycles."""

import pytest

from lms.catalog import rules


@pytest.mark.parametrize(
    "current, target, allowed",
    [
        ("draft", "published", True),
        ("published", "archived", True),
        ("archived", "published", True),
        ("published", "draft", True),
        ("draft", "draft", False),
        ("published", "published", False),
        ("draft", "deleted", False),
    ],
)
def test_status_changes(current, target, allowed):
    assert rules.can_move(current, target) is allowed


@pytest.mark.parametrize(
    "done, expected",
    [(set(), 11), ({11}, 12), ({11, 12}, 13), ({12}, 11), ({11, 12, 13}, None)],
)
def test_resume_at_the_first_lesson_not_done(done, expected):
    assert rules.resume_at([11, 12, 13], done) == expected


def test_resume_in_a_course_without_lessons():
    assert rules.resume_at([], set()) is None


@pytest.mark.parametrize(
    "done, total, expected",
    [
        (0, 3, 0),
        (1, 3, 33),
        (2, 3, 67),
        (1, 8, 13),
        (299, 300, 99),
        (3, 3, 100),
        (0, 0, 0),
        (4, 3, 100),
    ],
)
def test_percent(done, total, expected):
    assert rules.percent(done, total) == expected


def test_mandatory_for_any_position_held():
    assert rules.is_mandatory_for(["XA-MC", "CM-PC"], {"CM-PC", "LD-TP"})
    assert not rules.is_mandatory_for(["XA-MC"], {"CM-PC"})
    assert not rules.is_mandatory_for([], {"CM-PC"})


def test_prerequisite_cycles_are_found():
    assert rules.find_cycle({"A": {"B"}, "B": {"C"}, "C": set()}) is None
    assert rules.find_cycle({"A": {"B"}, "B": {"C"}, "C": {"A"}}) == ["A", "B", "C", "A"]
    assert rules.find_cycle({"A": {"A"}}) == ["A", "A"]
    assert rules.find_cycle({"X": {"A"}, "A": {"B"}, "B": {"A"}}) == ["A", "B", "A"]
