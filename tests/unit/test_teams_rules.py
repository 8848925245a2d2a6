"""Teams' pure rules: head positions from the setting, dated assignments at their ends, the
nearest head up a path, and the first day of escalation (day before, of, after)."""

from datetime import date

from lms.teams import rules


def test_head_positions_are_read_from_the_setting():
    assert rules.head_position_codes("LD-GD, LD-TP ,,") == {"LD-GD", "LD-TP"}
    assert rules.head_position_codes(["LD-GD", " "]) == {"LD-GD"}
    assert rules.head_position_codes("") == frozenset()
    assert rules.head_position_codes(None) == frozenset()


def test_an_assignment_holds_from_its_first_to_its_last_day():
    first, last = date(2026, 3, 1), date(2026, 3, 31)
    assert not rules.holds_on(first, last, date(2026, 2, 28))
    assert rules.holds_on(first, last, first)
    assert rules.holds_on(first, last, last)
    assert not rules.holds_on(first, last, date(2026, 4, 1))
    assert rules.holds_on(first, None, date(2099, 1, 1))


def test_path_ids_nearest_first():
    assert rules.path_ids("/1/5/9/") == [9, 5, 1]
    assert rules.path_ids("/3/") == [3]
    assert rules.path_ids("") == []


def test_the_nearest_unit_with_a_head_other_than_oneself():
    heads = {9: {40}, 5: {20, 21}, 1: {10}}
    assert rules.nearest_heads("/1/5/9/", heads, official_id=7) == (9, [40])
    # The head of division 9 answers to the heads of its department.
    assert rules.nearest_heads("/1/5/9/", heads, official_id=40) == (5, [20, 21])
    assert rules.nearest_heads("/1/5/", heads, official_id=20) == (5, [21])
    assert rules.nearest_heads("/1/", heads, official_id=10) == (None, [])
    assert rules.nearest_heads("/2/", heads) == (None, [])


def test_escalation_starts_the_day_after_the_due_date_plus_the_setting():
    due = date(2026, 6, 30)
    assert rules.escalates_on(due, 0) == date(2026, 7, 1)
    assert not rules.is_escalated(due, 0, date(2026, 6, 30))
    assert rules.is_escalated(due, 0, date(2026, 7, 1))
    assert rules.escalates_on(due, 14) == date(2026, 7, 15)
    assert not rules.is_escalated(due, 14, date(2026, 7, 14))
    assert rules.is_escalated(due, 14, date(2026, 7, 15))
    assert rules.is_escalated(due, 14, date(2026, 7, 16))
    assert rules.escalates_on(due, -3) == date(2026, 7, 1)
