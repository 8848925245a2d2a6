"""When a course's test opens again after a completion (assessments.rules.retake_opens_on and
window_opened_on): in the renewal window before the certificate expires, on the first day of
the next cycle for a repeatable course, never for a course done once; the day before, of and
after each boundary."""

from datetime import date, timedelta

import pytest

from lms.assessments import rules

DONE = date(2026, 3, 2)
END_2026 = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("expires_on", "repeatable", "window_days", "opens_on"),
    [
        (None, False, 60, None),  # done once, done for good
        (None, True, 60, date(2027, 1, 1)),  # repeatable: the next cycle's first day
        (date(2028, 3, 2), False, 60, date(2028, 1, 2)),  # 60 days before the expiry
        (date(2028, 3, 2), False, 30, date(2028, 2, 1)),  # the cycle's own window
        (date(2028, 3, 2), True, 60, date(2027, 1, 1)),  # the earlier of the two
        (date(2027, 2, 1), True, 60, date(2026, 12, 3)),  # renewal before the new cycle
        (date(2026, 4, 1), False, 60, date(2026, 3, 3)),  # never on the completion's own day
    ],
)
def test_the_window_opens_on_renewal_or_on_the_next_cycle(
    expires_on, repeatable, window_days, opens_on
):
    assert rules.retake_opens_on(DONE, expires_on, repeatable, window_days, END_2026) == opens_on


@pytest.mark.parametrize(
    ("today", "opened_on"),
    [
        (date(2026, 12, 31), None),  # the day before the second window: still the first
        (date(2027, 1, 1), date(2027, 1, 1)),  # the day it opens
        (date(2027, 1, 2), date(2027, 1, 1)),
        (date(2028, 1, 1), date(2027, 1, 1)),  # the day before the third window
        (date(2028, 1, 2), date(2028, 1, 2)),
    ],
)
def test_the_current_window_is_the_latest_opened_by_today(today, opened_on):
    openings = [date(2027, 1, 1), None, date(2028, 1, 2)]
    assert rules.window_opened_on(openings, today) == opened_on


def test_a_window_opening_tomorrow_is_not_open_today():
    tomorrow = date(2027, 1, 1)
    assert rules.window_opened_on([tomorrow], tomorrow - timedelta(days=1)) is None
    assert rules.window_opened_on([], tomorrow) is None
