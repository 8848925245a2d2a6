"""Programme rules at their boundaries: a course completion counts on its expiry day and not the
day after, a set is done on the day its rule is first met (all / any N / minimum credits), an
ordered set waits for the one before it, the renewal window opens six months before expiry, and
a requirement is held on the expiry day and to be renewed the day after."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from lms.programmes import rules
from lms.programmes.rules import CourseDone, Held, SetSpec

D = date(2027, 3, 10)
DAY = timedelta(days=1)

LEADERSHIP = [
    SetSpec("Nền tảng", "all", ("BB01", "BB02")),
    SetSpec("Quản lý", "all", ("LD02",)),
    SetSpec("Kỹ năng số", "any", ("BB03", "TC01"), count=1),
]


def done(code, on, expires=None, credits=1):
    return CourseDone(code, on, expires, Decimal(credits))


@pytest.mark.parametrize(
    ("as_of", "counted"),
    [(D - DAY, True), (D, True), (D + DAY, False)],
)
def test_a_completion_counts_until_its_expiry_day_inclusive(as_of, counted):
    item = done("BB01", date(2026, 1, 5), expires=D)
    assert rules.counts(item, as_of, None) is counted


@pytest.mark.parametrize(("since", "counted"), [(D - DAY, True), (D, True), (D + DAY, False)])
def test_on_the_renewal_path_only_completions_from_the_window_count(since, counted):
    assert rules.counts(done("LD02", D), date(2030, 1, 1), since) is counted


def test_a_completion_after_the_day_judged_does_not_count():
    assert not rules.counts(done("LD02", D), D - DAY, None)


def test_two_of_three_sets_done_then_the_last_completes_the_programme():
    history = [
        done("BB01", date(2026, 3, 1)),
        done("BB02", date(2026, 4, 1)),
        done("LD02", date(2026, 9, 15)),
    ]
    before = rules.progress("certification", LEADERSHIP, history, date(2026, 12, 31))
    assert [s.done_on for s in before.sets] == [date(2026, 4, 1), date(2026, 9, 15), None]
    assert before.completed_on is None and before.done_count == 2
    assert before.next_set.title == "Kỹ năng số"
    after = rules.progress(
        "certification", LEADERSHIP, [*history, done("TC01", D)], date(2027, 3, 10)
    )
    assert after.completed_on == D and after.next_set is None


@pytest.mark.parametrize(("count", "done_on"), [(1, date(2026, 1, 1)), (2, date(2026, 2, 1))])
def test_any_n_is_done_on_the_day_of_the_nth_course(count, done_on):
    spec = SetSpec("S", "any", ("A", "B", "C"), count=count)
    items = [done("B", date(2026, 2, 1)), done("A", date(2026, 1, 1))]
    assert rules.progress("certification", [spec], items, D).sets[0].done_on == done_on


def test_any_n_with_fewer_courses_is_not_done():
    spec = SetSpec("S", "any", ("A", "B", "C"), count=3)
    items = [done("B", date(2026, 2, 1)), done("A", date(2026, 1, 1))]
    result = rules.progress("certification", [spec], items, D).sets[0]
    assert not result.done and result.remaining == ("C",) and result.counted == ("A", "B")


@pytest.mark.parametrize(
    ("minimum", "done_on"),
    [
        (Decimal("2.99"), date(2026, 2, 1)),
        (Decimal("3"), date(2026, 2, 1)),
        (Decimal("3.01"), None),
        (Decimal("1"), date(2026, 1, 1)),
    ],
)
def test_minimum_credits_is_done_when_the_sum_reaches_it(minimum, done_on):
    spec = SetSpec("S", "credits", ("A", "B"), min_credits=minimum)
    items = [done("A", date(2026, 1, 1), credits=1), done("B", date(2026, 2, 1), credits=2)]
    assert rules.progress("certification", [spec], items, D).sets[0].done_on == done_on


def test_ordered_sets_count_only_courses_done_after_the_set_before():
    sets = [SetSpec("1", "all", ("A",)), SetSpec("2", "all", ("B",))]
    early = [done("B", date(2026, 1, 1)), done("A", date(2026, 2, 1))]
    assert rules.progress("certification", sets, early, D, ordered=True).completed_on is None
    assert rules.progress("certification", sets, early, D).completed_on == date(2026, 2, 1)
    same_day = [done("A", date(2026, 2, 1)), done("B", date(2026, 2, 1))]
    result = rules.progress("certification", sets, same_day, D, ordered=True)
    assert result.completed_on == date(2026, 2, 1)


def test_an_ordered_set_waits_and_shows_all_its_courses_remaining():
    sets = [SetSpec("1", "all", ("A",)), SetSpec("2", "all", ("B",))]
    result = rules.progress("certification", sets, [done("B", D)], D, ordered=True)
    assert result.next_set.title == "1" and result.sets[1].remaining == ("B",)


def test_a_course_expired_before_the_last_set_no_longer_counts():
    items = [
        done("BB01", date(2025, 1, 1), expires=date(2027, 1, 1)),
        done("BB02", date(2026, 4, 1)),
        done("LD02", date(2026, 9, 15)),
        done("TC01", D),
    ]
    result = rules.progress("certification", LEADERSHIP, items, D)
    assert result.completed_on is None and result.next_set.remaining == ("BB01",)


@pytest.mark.parametrize(
    ("validity", "expected"), [(24, date(2029, 3, 10)), (None, None), (1, date(2027, 4, 10))]
)
def test_expiry_adds_the_validity_months(validity, expected):
    assert rules.expiry(D, validity) == expected


def test_the_path_is_certification_first_then_renewal_from_the_window():
    assert rules.next_path([]) == ("certification", None)
    held = [Held(date(2027, 3, 10), date(2029, 3, 10))]
    assert rules.next_path(held) == ("recertification", date(2028, 9, 10))
    assert rules.next_path([Held(D, None)]) is None


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D - DAY, ("missing", None)),
        (D, ("held", date(2029, 3, 10))),
        (date(2029, 3, 10), ("held", date(2029, 3, 10))),
        (date(2029, 3, 11), ("renew", date(2029, 3, 10))),
    ],
)
def test_a_requirement_is_held_through_the_expiry_day(as_of, expected):
    assert rules.status([Held(D, date(2029, 3, 10))], as_of) == expected


def test_a_renewal_makes_the_requirement_held_again():
    history = [Held(D, date(2029, 3, 10)), Held(date(2029, 5, 2), date(2031, 5, 2))]
    assert rules.status(history, date(2029, 5, 1)) == ("renew", date(2029, 3, 10))
    assert rules.status(history, date(2029, 5, 2)) == ("held", date(2031, 5, 2))
