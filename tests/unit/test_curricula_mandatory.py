"""One row per mandatory course, whatever mix of first-time and recertification obligations it
has, and the state of that row on a day (lms.curricula.obligations.mandatory)."""

from datetime import date

import pytest

from lms.curricula.obligations.mandatory import (
    DONE,
    OPEN,
    STATE_DONE,
    STATE_NOT_YET_DUE,
    STATE_OWED,
    WITHDRAWN,
    MandatoryCourse,
    counts,
    one_per_course,
)


def row(course_id, kind, status, due, done_on=None, code=None):
    code = code or f"C{course_id:02}"
    return MandatoryCourse(course_id, code, f"Khóa {code}", kind, due, status, done_on)


def test_a_course_done_whose_recertification_is_open_is_one_open_row():
    """The crafted official: BB02 done in 2024 (valid on 01/01/2026), its certificate expires
    on 12/03/2026, so 2026 holds a done mandatory obligation and an open recertification."""
    done = row(2, "mandatory", DONE, date(2026, 12, 31), date(2024, 3, 12), "BB02")
    recert = row(2, "recertification", OPEN, date(2026, 3, 12), code="BB02")
    other = row(1, "mandatory", OPEN, date(2026, 12, 31), code="BB01")
    for items in ([done, recert, other], [recert, done, other], [other, done, recert]):
        rows = one_per_course(items)
        assert rows == [recert, other]  # by due date
        assert counts(rows) == (2, 0)


def test_when_every_obligation_of_a_course_is_done_the_latest_satisfied_one_is_shown():
    first = row(2, "mandatory", DONE, date(2026, 12, 31), date(2024, 3, 12))
    renewal = row(2, "recertification", DONE, date(2026, 3, 12), date(2026, 4, 1))
    for items in ([first, renewal], [renewal, first]):
        assert one_per_course(items) == [renewal]
    assert counts([renewal]) == (1, 1)


def test_same_completion_day_keeps_the_later_due_date():
    early = row(3, "recertification", DONE, date(2026, 3, 12), date(2026, 2, 1))
    late = row(3, "mandatory", DONE, date(2026, 12, 31), date(2026, 2, 1))
    assert one_per_course([early, late]) == [late]


def test_withdrawn_obligations_count_for_nothing():
    gone = row(4, "mandatory", WITHDRAWN, date(2026, 6, 30))
    assert one_per_course([gone]) == []
    kept = row(4, "recertification", DONE, date(2026, 5, 1), date(2026, 4, 20))
    assert one_per_course([gone, kept]) == [kept]


def test_of_two_open_obligations_the_one_due_first_is_shown():
    later = row(5, "mandatory", OPEN, date(2026, 12, 31))
    sooner = row(5, "recertification", OPEN, date(2026, 5, 1))
    assert one_per_course([later, sooner]) == [sooner]


def test_rows_are_ordered_by_due_date_then_code():
    items = [
        row(1, "mandatory", OPEN, date(2026, 12, 31), code="VT01"),
        row(2, "mandatory", OPEN, date(2026, 12, 31), code="BB01"),
        row(3, "mandatory", DONE, date(2026, 3, 1), date(2026, 2, 1), code="ZZ01"),
    ]
    assert [r.code for r in one_per_course(items)] == ["ZZ01", "BB01", "VT01"]


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2026, 3, 11), STATE_NOT_YET_DUE),  # the day before the due date
        (date(2026, 3, 12), STATE_NOT_YET_DUE),  # the due date itself: still in time
        (date(2026, 3, 13), STATE_OWED),  # the day after: past due, not done
    ],
)
def test_an_open_course_is_owed_only_after_its_due_date(day, state):
    assert row(2, "recertification", OPEN, date(2026, 3, 12)).state_on(day) == state


def test_a_done_course_is_done_whatever_the_day():
    done = row(2, "mandatory", DONE, date(2026, 3, 12), date(2026, 4, 1))
    assert done.state_on(date(2030, 1, 1)) == STATE_DONE
    assert done.state_on(date(2026, 1, 1)) == STATE_DONE
