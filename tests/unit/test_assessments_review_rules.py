"""Review options (lms.assessments.rules): which moment an attempt's review is at — at every
boundary (the second before, of and after the two-minute window and the close) — and which
parts the settings show then, with the fair defaults and the reading of legacy settings."""

from datetime import datetime, timedelta

import pytest

from lms.assessments import rules
from lms.assessments.rules import AFTER_CLOSE, ANSWERS, FEEDBACK, IMMEDIATELY, LATER_OPEN

SUBMITTED = datetime(2026, 3, 2, 2, 0)
CLOSES = datetime(2026, 3, 9, 10, 0)
SECOND = timedelta(seconds=1)
WINDOW = rules.IMMEDIATE_WINDOW


@pytest.mark.parametrize(
    ("now", "closes_at", "finished", "moment"),
    [
        (SUBMITTED, None, False, IMMEDIATELY),
        (SUBMITTED + WINDOW - SECOND, None, False, IMMEDIATELY),
        (SUBMITTED + WINDOW, None, False, LATER_OPEN),
        (SUBMITTED + WINDOW + SECOND, None, False, LATER_OPEN),
        (CLOSES - SECOND, CLOSES, False, LATER_OPEN),
        (CLOSES, CLOSES, False, AFTER_CLOSE),
        (CLOSES + SECOND, CLOSES, False, AFTER_CLOSE),
        (CLOSES - timedelta(days=1), CLOSES, False, LATER_OPEN),
        (CLOSES + timedelta(days=1), CLOSES, False, AFTER_CLOSE),
        # No attempt left: after close at once, even inside the two minutes.
        (SUBMITTED, None, True, AFTER_CLOSE),
        (SUBMITTED + WINDOW + SECOND, CLOSES, True, AFTER_CLOSE),
    ],
)
def test_the_review_moment_at_each_boundary(now, closes_at, finished, moment):
    assert rules.review_moment(SUBMITTED, now, closes_at, finished) == moment


def test_a_test_closing_inside_the_window_is_closed_for_the_review():
    closes = SUBMITTED + SECOND
    assert rules.review_moment(SUBMITTED, closes, closes, False) == AFTER_CLOSE


def test_the_fair_defaults_show_right_answers_and_feedback_only_after_close():
    review = rules.default_review()
    for moment in (IMMEDIATELY, LATER_OPEN):
        parts = rules.review_parts(review, moment)
        assert ANSWERS not in parts and FEEDBACK not in parts
        assert {"responses", "marks", "score"} <= parts
    assert rules.review_parts(review, AFTER_CLOSE) == frozenset(rules.REVIEW_PARTS)
    review[IMMEDIATELY].append(ANSWERS)
    assert ANSWERS not in rules.default_review()[IMMEDIATELY]  # a copy, not the constant


def test_legacy_settings_keep_their_parts_but_answers_wait_for_the_close():
    legacy = rules.normalise_review(["score", "responses", "answers"])
    assert legacy[IMMEDIATELY] == ["responses", "marks", "score", "feedback"]
    assert legacy[LATER_OPEN] == legacy[IMMEDIATELY]
    assert legacy[AFTER_CLOSE] == list(rules.REVIEW_PARTS)
    assert rules.normalise_review(["score"]) == {m: ["score"] for m in rules.REVIEW_MOMENTS}
    assert rules.normalise_review([]) == {m: [] for m in rules.REVIEW_MOMENTS}


def test_unknown_names_and_shapes_are_dropped():
    assert rules.normalise_review({"open": ["score", "secret"], "later": ["answers"]}) == {
        IMMEDIATELY: [],
        LATER_OPEN: ["score"],
        AFTER_CLOSE: [],
    }
    assert rules.normalise_review(None) == rules.default_review()
    assert rules.normalise_review("answers") == rules.default_review()


# --- Starting again: the window, the delay, overrides, the bank ------------------------------
OPENS = datetime(2026, 3, 2, 1, 0)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (OPENS - DAY, rules.NOT_YET),
        (OPENS - MINUTE, rules.NOT_YET),
        (OPENS, rules.OPEN),
        (OPENS + MINUTE, rules.OPEN),
        (CLOSES - MINUTE, rules.OPEN),
        (CLOSES, rules.CLOSED),
        (CLOSES + MINUTE, rules.CLOSED),
        (CLOSES + DAY, rules.CLOSED),
    ],
)
def test_the_window_at_each_boundary(now, state):
    assert rules.window_state(now, OPENS, CLOSES) == state


def test_a_missing_bound_does_not_limit_the_window():
    assert rules.window_state(OPENS - DAY, None, None) == rules.OPEN
    assert rules.window_state(CLOSES + DAY, OPENS, None) == rules.OPEN
    assert rules.window_state(OPENS - DAY, None, CLOSES) == rules.OPEN


@pytest.mark.parametrize(
    ("now", "waits"),
    [
        (SUBMITTED + DAY - DAY, True),
        (SUBMITTED + DAY - MINUTE, True),
        (SUBMITTED + DAY, False),
        (SUBMITTED + DAY + MINUTE, False),
        (SUBMITTED + 2 * DAY, False),
    ],
)
def test_the_delay_after_a_failed_attempt_at_each_boundary(now, waits):
    opens = rules.reopens_at(SUBMITTED, False, 24 * 60)
    assert opens == SUBMITTED + DAY
    assert (now < opens) is waits


def test_no_delay_after_a_pass_without_a_delay_or_before_any_submission():
    assert rules.reopens_at(SUBMITTED, True, 1440) is None
    assert rules.reopens_at(SUBMITTED, None, 1440) == SUBMITTED + DAY  # waiting for a grader
    assert rules.reopens_at(SUBMITTED, False, 0) is None
    assert rules.reopens_at(None, False, 1440) is None


def test_overrides_add_attempts_and_only_move_the_close_later():
    assert rules.allowed_attempts(3, 1) == 4
    assert rules.allowed_attempts(3, 0) == 3
    assert rules.allowed_attempts(0, 2) == 0  # unlimited stays unlimited
    assert rules.allowed_attempts(3, -1) == 3
    assert rules.later_close(CLOSES, CLOSES + DAY) == CLOSES + DAY
    assert rules.later_close(CLOSES, CLOSES - DAY) == CLOSES
    assert rules.later_close(CLOSES, None) == CLOSES
    assert rules.later_close(None, CLOSES) is None


@pytest.mark.parametrize(
    ("bank", "per_attempt", "attempts", "warnings"),
    [
        (21, 10, 1, []),
        (21, 11, 1, [rules.DRAWS_MOST]),  # more than half
        (20, 10, 1, []),  # exactly half is fine
        (30, 10, 3, []),  # questions × attempts = bank
        (29, 10, 3, [rules.BANK_TOO_SMALL]),
        (21, 21, 3, [rules.DRAWS_MOST, rules.BANK_TOO_SMALL]),
        (21, 21, 0, [rules.DRAWS_MOST]),  # unlimited attempts: only the share
        (0, 0, 3, []),
    ],
)
def test_bank_warnings_at_each_boundary(bank, per_attempt, attempts, warnings):
    assert rules.bank_warnings(bank, per_attempt, attempts) == warnings


@pytest.mark.parametrize(
    ("facility", "discrimination", "flags"),
    [
        (50.0, 30.0, []),
        (50.0, 0.0, []),  # zero is not negative
        (50.0, -0.01, [rules.NEGATIVE_DISCRIMINATION]),
        (95.0, 10.0, []),
        (95.01, 10.0, [rules.TOO_EASY]),
        (100.0, None, [rules.TOO_EASY]),
        (5.0, 10.0, []),
        (4.99, 10.0, [rules.TOO_HARD]),
        (0.0, -20.0, [rules.NEGATIVE_DISCRIMINATION, rules.TOO_HARD]),
        (None, None, []),
    ],
)
def test_item_flags_at_each_boundary(facility, discrimination, flags):
    assert rules.item_flags(facility, discrimination) == flags
