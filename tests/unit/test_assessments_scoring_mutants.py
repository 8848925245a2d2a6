"""lms.assessments.scoring pinned where make mutation found the suite loose (docs/testing.md,
"Mutation testing"): stored answers round-trip every field, the percent's rounding and its
ungraded questions, item statistics at one and two attempts and at the no-variation floor, the
bank order of drawn questions, the closing time of an untimed attempt, a question's weight."""

import random
from datetime import datetime
from decimal import Decimal as D

import pytest

from lms.assessments import scoring
from lms.assessments.questions import DESCRIPTION, SINGLE_CHOICE, Answer, Question

# --- stored answers


def test_stored_answers_keep_every_field():
    answers = (
        Answer("<b>Hà Nội</b>", D("1"), "<i>Đúng</i>", "html", "markdown"),
        Answer("3.14", D("0.5"), "gần", tolerance=D("0.01"), min=D("3.13"), max=D("3.15")),
        Answer("Thủ đô", D(0), "", "plain", "plain", match_text="Hà Nội"),
    )
    rows = scoring.answers_to_json(answers)
    assert rows[0] == {
        "text": "<b>Hà Nội</b>",
        "fraction": "1",
        "feedback": "<i>Đúng</i>",
        "text_format": "html",
        "feedback_format": "markdown",
    }
    assert (
        rows[1]["tolerance"] == "0.01" and rows[1]["min"] == "3.13" and "match_text" not in rows[1]
    )
    assert rows[2]["match_text"] == "Hà Nội"
    assert scoring.answers_from_json(rows) == answers


def test_a_stored_answer_written_before_formats_and_feedback_reads_with_the_defaults():
    # Rows stored before text_format / feedback_format (and without feedback) still read.
    assert scoring.answers_from_json([{"text": "A", "fraction": "0.5"}]) == (
        Answer("A", D("0.5"), "", "moodle", "moodle"),
    )


# --- percent


def test_percent_rounds_half_up_to_two_decimals():
    assert scoring.percent([(D(1), D("0.12345"))]) == D("12.35")  # half-even would give 12.34
    assert scoring.percent([(D(1), D("0.12355"))]) == D("12.36")
    assert scoring.percent([(D(1), D(0))]) == D("0.00")  # one question, weight 1, nothing earned


def test_percent_skips_ungraded_questions_wherever_they_are():
    assert scoring.percent([(D(0), None), (D(1), D(1)), (D(1), D(0))]) == D("50.00")
    assert scoring.percent([(D(1), D(1)), (D(0), None), (D(1), D(0))]) == D("50.00")


def test_a_test_of_descriptions_only_scores_a_hundred():
    assert scoring.percent([]) == D("100.00")
    assert scoring.percent([(D(0), None), (D(0), D(0))]) == D("100.00")


# --- item statistics


def test_one_attempt_gives_a_facility_and_no_discrimination():
    assert scoring.item_stats([(0.5, 3.0)]) == scoring.ItemStats(1, 50.0, None)


def test_two_attempts_that_vary_are_enough_for_a_discrimination():
    # x = 1, 0 and r = 4, 2: they move together, a perfect correlation.
    stats = scoring.item_stats([(1.0, 4.0), (0.0, 2.0)])
    assert stats.count == 2
    assert stats.facility == pytest.approx(50.0)
    assert stats.discrimination == pytest.approx(100.0)
    # And against each other: −100 %.
    assert scoring.item_stats([(1.0, 2.0), (0.0, 4.0)]).discrimination == pytest.approx(-100.0)


def test_a_small_real_variation_of_the_rest_still_counts():
    # r varies by half a mark (variance 0.125): far above float noise.
    stats = scoring.item_stats([(1.0, 2.5), (0.0, 2.0)])
    assert stats.discrimination == pytest.approx(100.0)


def test_no_variation_keeps_the_count_and_facility():
    assert scoring.item_stats([(1.0, 3.0), (1.0, 4.0)]) == scoring.ItemStats(2, 100.0, None)
    assert scoring.item_stats([(1.0, 3.0), (0.0, 3.0)]) == scoring.ItemStats(2, 50.0, None)


def test_a_variance_at_the_float_noise_floor_counts_as_none():
    # n = 2, x = r = 0 on average: var = sum of squares / 1, here exactly 1e-12.
    floor = scoring.stats_from_sums(2, 0, 1e-12, 0, 1, 0)
    assert floor == scoring.ItemStats(2, 0.0, None)
    assert scoring.stats_from_sums(2, 0, 1, 0, 1e-12, 0) == scoring.ItemStats(2, 0.0, None)
    assert scoring.stats_from_sums(2, 0, 2e-12, 0, 1, 0).discrimination is not None


# --- drawing, deadlines, marks


def test_drawn_questions_keep_bank_order_whatever_their_ids():
    # Bank order is not id order: 5 comes before 3, 9 before 1.
    bank = {"A": [5, 3], "B": [9, 1]}
    assert scoring.draw(bank, {}, 0, random.Random(1), False) == [5, 3, 9, 1]
    for seed in range(5):
        drawn = scoring.draw(bank, {}, 3, random.Random(seed), False)
        assert drawn == [qid for qid in [5, 3, 9, 1] if qid in drawn]
        drawn = scoring.draw(bank, {"A": 1, "B": 2}, 0, random.Random(seed), False)
        assert drawn == [qid for qid in [5, 3, 9, 1] if qid in drawn] and len(drawn) == 3


def test_a_draw_from_a_category_the_bank_no_longer_has_adds_nothing():
    bank = {"A": [5, 3]}
    assert scoring.draw(bank, {"A": 1, "Gone": 2}, 0, random.Random(1), False) in ([5], [3])


def test_a_test_that_closes_bounds_an_untimed_attempt():
    start = datetime(2026, 3, 2, 1, 0)
    closes = datetime(2026, 3, 2, 9, 0)
    assert scoring.deadline(start, 0, 0, closes) == closes
    assert scoring.deadline(start, 0, 15, closes) == closes


def test_a_graded_question_weighs_one_and_a_description_nothing():
    graded = Question(SINGLE_CHOICE, "q", "?", answers=(Answer("a", D(1)),))
    assert scoring.mark_of(graded) == D(1)
    assert scoring.mark_of(Question(DESCRIPTION, "d", "text")) == D(0)
