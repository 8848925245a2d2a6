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
