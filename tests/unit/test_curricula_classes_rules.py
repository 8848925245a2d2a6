"""The pure rules of in-person classes at their boundaries: overlapping sessions, the sign-up
and cancellation windows (day before, of, after), the QR check-in window and late arrival (a
minute before, at, after), and the attendance rule (Circular 01/2018: 100 % by default)."""

from datetime import date, datetime, timedelta

import pytest

from lms.curricula.classes import rules

START = datetime(2026, 6, 8, 8, 0)
END = datetime(2026, 6, 8, 11, 30)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (END, END + timedelta(hours=1), False),  # starts when the other ends
        (END - MINUTE, END + timedelta(hours=1), True),
        (START - timedelta(hours=1), START, False),  # ends when the other starts
        (START - timedelta(hours=1), START + MINUTE, True),
        (START + MINUTE, END - MINUTE, True),  # inside
        (START - MINUTE, END + MINUTE, True),  # around
    ],
)
def test_sessions_overlap_only_when_they_share_a_minute(start, end, expected):
    assert rules.overlaps(START, END, start, end) is expected
    assert rules.overlaps(start, end, START, END) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 5, 31), False),
        (date(2026, 6, 1), True),
        (date(2026, 6, 5), True),
        (date(2026, 6, 6), False),
    ],
)
def test_sign_up_is_open_from_its_first_to_its_last_day(today, expected):
    assert rules.enrolment_open(today, date(2026, 6, 1), date(2026, 6, 5)) is expected


def test_sign_up_without_dates_is_always_open():
    assert rules.enrolment_open(date(2030, 1, 1), None, None)
    assert rules.enrolment_open(date(2000, 1, 1), None, date(2026, 6, 5))


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 6, 6), True), (date(2026, 6, 7), True), (date(2026, 6, 8), False)],
)
def test_officials_cancel_until_the_day_before_the_first_day(today, expected):
    assert rules.cancel_deadline(None, date(2026, 6, 8)) == date(2026, 6, 7)
    assert rules.can_cancel(today, None, date(2026, 6, 8)) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 6, 2), True), (date(2026, 6, 3), True), (date(2026, 6, 4), False)],
)
def test_a_class_s_own_cancellation_day_is_the_last(today, expected):
    assert rules.can_cancel(today, date(2026, 6, 3), date(2026, 6, 8)) is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (START - timedelta(minutes=30) - MINUTE, False),
        (START - timedelta(minutes=30), True),
        (START, True),
        (END - MINUTE, True),
        (END, False),  # the session is over
        (END + timedelta(days=1), False),
    ],
)
def test_qr_check_in_counts_from_the_margin_before_the_start_until_the_end(now, expected):
    assert rules.in_checkin_window(now, START, END, 30) is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [(START + timedelta(minutes=15) - MINUTE, False), (START + timedelta(minutes=15), False)]
    + [(START + timedelta(minutes=15, seconds=1), True), (START - MINUTE, False)],
)
def test_arriving_more_than_the_grace_minutes_after_the_start_is_late(now, expected):
    assert rules.is_late(now, START, 15) is expected


def test_the_attendance_rule_is_full_attendance_by_default():
    assert rules.DEFAULT_MIN_ATTENDANCE == 100
    assert rules.attendance_passes(5, 5, 100)
    assert not rules.attendance_passes(4, 5, 100)


@pytest.mark.parametrize(
    ("attended", "total", "percent", "expected"),
    [(4, 5, 80, True), (3, 5, 80, False), (3, 4, 75, True), (2, 4, 75, False), (0, 0, 0, False)],
)
def test_attendance_passes_at_the_share_exactly(attended, total, percent, expected):
    assert rules.attendance_passes(attended, total, percent) is expected


@pytest.mark.parametrize(
    ("total", "percent", "needed"), [(5, 80, 4), (5, 100, 5), (3, 50, 2), (4, 75, 3), (6, 0, 0)]
)
def test_sessions_needed_round_up(total, percent, needed):
    assert rules.sessions_needed(total, percent) == needed


@pytest.mark.parametrize(
    ("capacity", "enrolled", "left"), [(None, 99, None), (30, 29, 1), (30, 30, 0), (30, 31, 0)]
)
def test_free_places(capacity, enrolled, left):
    assert rules.free_places(capacity, enrolled) == left
