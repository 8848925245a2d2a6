"""The question kinds (shown order, reading a form, grading, right answers, GIFT export) and the
pure scoring rules (draw, deadline, score, Moodle's item statistics)."""

import random
from datetime import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.assessments import gift, kinds, scoring

RNG = random.Random(7)


def q(source: str):
    result = gift.parse(source)
    assert result.errors == [], [str(e) for e in result.errors]
    return result.questions[0]


def answer(question, form, shown=None):
    kind = kinds.kind_of(question)
    shown = shown if shown is not None else kind.shown(question, random.Random(1), False)
    return kind.read(shown, form), shown


def test_single_choice_reads_the_shown_position_and_grades_the_answer_behind_it():
    question = q("::Q::Thủ đô?{=Hà Nội ~Huế ~%50%Thăng Long}")
    shown = {"answers": [2, 0, 1]}
    response, _ = answer(question, {"": ["1"]}, shown)
    assert response == {"choice": 0}
    assert kinds.grade(question, response) == 1
    assert kinds.grade(question, {"choice": 2}) == D("0.5")
    assert kinds.grade(question, None) == 0
    assert answer(question, {"": ["9"]}, shown)[0] is None  # a position not shown
    assert answer(question, {"": ["-1"]}, shown)[0] is None


def test_multiple_choice_partial_credit_and_negative_weights_floor_at_zero():
    question = q("::Q::Chọn?{~%50%a ~%50%b ~%-100%c ~d}")
    assert kinds.grade(question, {"choices": [0]}) == D("0.5")
    assert kinds.grade(question, {"choices": [0, 1]}) == 1
    assert kinds.grade(question, {"choices": [0, 1, 2]}) == 0
    assert kinds.grade(question, {"choices": [2]}) == 0
    response, _ = answer(question, {"": ["0", "1", "1", "x"]})
    assert response == {"choices": [0, 1]}
    assert kinds.kind_of(question).right_answer(question) == ["a", "b"]


def test_true_false_keeps_true_first():
    question = q("::Q::Đúng?{F#Sai rồi#Đúng}")
    kind = kinds.kind_of(question)
    assert kind.shown(question, RNG, True) == {"answers": [0, 1]}
    assert kinds.grade(question, {"choice": 1}) == 1
    assert kinds.feedback(question, {"choice": 0}) == ["Sai rồi"]


@pytest.mark.parametrize(
    "typed, options, expected",
    [
        ("Hà Nội", {}, 1),
        ("  hà nội ", {}, 1),
        ("Ha Noi", {}, D("0.5")),
        ("Ha Noi", {"ignore_diacritics": True}, 1),
        ("hà nội", {"case_sensitive": True}, 0),
        ("Huế", {}, 0),
        ("", {}, 0),
    ],
)
def test_short_answer_case_and_diacritics_options(typed, options, expected):
    question = q("::Q::Thủ đô?{=Hà Nội =%50%Ha Noi}")
    assert kinds.grade(question, {"text": typed}, options) == expected


def test_short_answer_wildcards_as_moodle():
    question = q("::Q::Tên?{=Nghị định * =%50%a\\*b}")
    assert kinds.grade(question, {"text": "Nghị định 90/2020"}) == 1
    assert kinds.grade(question, {"text": "a*b"}) == D("0.5")
    assert kinds.grade(question, {"text": "axb"}) == 0
    assert kinds.wildcard_match("x.y", "x.y", True) and not kinds.wildcard_match("xzy", "x.y", True)


@pytest.mark.parametrize(
    "typed, expected",
    [("15", 1), ("15,0", 1), ("14.5", 1), ("16", D("0.5")), ("20", 0), ("abc", 0), ("1.000", 0)],
)
def test_numerical_tolerance_ranges_and_decimal_comma(typed, expected):
    question = q("::Q::Số tiết?{#=15:0.5 =%50%16..17}")
    assert kinds.grade(question, {"text": typed}) == expected


def test_numerical_catch_all_feedback():
    question = q("::Q::Số?{#=3 ~#Sai}")
    assert kinds.feedback(question, {"text": "4"}) == ["Sai"]


def test_matching_grades_each_pair_and_reads_shown_positions():
    question = q("::Q::Ghép{=Hà Nội -> Thủ đô =Đà Nẵng -> Miền Trung = -> Miền Tây}")
    kind = kinds.kind_of(question)
    shown = kind.shown(question, random.Random(3), True)
    assert sorted(shown["answers"]) == [0, 1] and sorted(shown["choices"]) == [0, 1, 2]
    names = kinds.match_choices(question)
    form = {f"-{pos}": [str(shown["choices"].index(names.index(question.answers[i].match_text)))]
            for pos, i in enumerate(shown["answers"])}  # fmt: skip
    response = kind.read(shown, form)
    assert kinds.grade(question, response) == 1
    assert kinds.grade(question, {"pairs": {"0": 0}}) == D("0.5")
    view = kind.view(question, shown, response)
    assert len(view.items) == 2 and len(view.options) == 3


def test_essay_waits_for_a_grader_unless_empty_and_description_is_not_graded():
    essay = q("::E::Trình bày{}")
    assert kinds.grade(essay, {"text": "Bài làm"}) is None
    assert kinds.grade(essay, None) == 0
    description = q("::D::Đọc kỹ đề.")
    assert not kinds.kind_of(description).graded and scoring.mark_of(description) == 0


def test_views_never_carry_fractions_or_feedback():
    question = q("::Q::X?{=đúng#khen ~sai#chê}")
    view = kinds.kind_of(question).view(question, {"answers": [1, 0]}, None)
    assert "fraction" not in repr(view) and "khen" not in repr(view)
    assert [o.value for o in view.options] == ["0", "1"]


def test_each_kind_exports_gift_that_reads_back():
    for source in ("::A::x{=a ~b}", "::B::x{T}", "::C::x{#3:1}", "::D::x{=a -> 1 =b -> 2}",
                   "::E::x{}", "::F::x{~%50%a ~%50%b}", "::G::x{=ab}"):  # fmt: skip
        question = q(source)
        assert q(kinds.kind_of(question).export(question)) == question


# --- scoring -----------------------------------------------------------------------------------
def test_draw_per_category_and_from_the_whole_bank():
    pool = {"A": [1, 2, 3], "B": [4, 5]}
    drawn = scoring.draw(pool, {"A": 2, "B": 5}, 0, random.Random(1), False)
    assert len(drawn) == 4 and {4, 5} <= set(drawn) and drawn == sorted(drawn)
    assert scoring.draw(pool, {}, 0, random.Random(1), False) == [1, 2, 3, 4, 5]
    assert len(scoring.draw(pool, {}, 3, random.Random(1), True)) == 3


def test_deadline_adds_extra_time_and_stops_at_closing():
    start = datetime(2026, 3, 2, 1, 0)
    assert scoring.deadline(start, 20, 10, None) == datetime(2026, 3, 2, 1, 30)
    assert scoring.deadline(start, 20, 0, datetime(2026, 3, 2, 1, 5)) == datetime(2026, 3, 2, 1, 5)
    assert scoring.deadline(start, 0, 30, None) is None
    assert scoring.seconds_left(datetime(2026, 3, 2, 1, 30), start) == 1800
    assert scoring.seconds_left(start, datetime(2026, 3, 2, 2, 0)) == 0


def test_percent_and_pass_mark():
    assert scoring.percent([(D(1), D(1)), (D(1), D("0.5")), (D(0), None)]) == D("75.00")
    assert scoring.percent([(D(1), D(1)), (D(1), None)]) is None
    assert scoring.percent([(D(1), D("0.3333333")), (D(1), D(0)), (D(1), D(0))]) == D("11.11")
    assert scoring.passed(D("50.00"), D(50)) and not scoring.passed(D("49.99"), D(50))


def test_item_statistics_match_a_hand_computation():
    # Five attempts: x = the question's score, r = the rest of the test.
    rows = [(1.0, 8.0), (1.0, 6.0), (0.0, 5.0), (1.0, 7.0), (0.0, 2.0)]
    stats = scoring.item_stats(rows)
    assert stats.facility == pytest.approx(60.0)
    # By hand: cov(x, r) = 4.2 / 4 = 1.05; var x = 0.3; var r = 21.2 / 4 = 5.3;
    # 1.05 / √(0.3 × 5.3) = 0.8327 → 83.27 %.
    assert stats.discrimination == pytest.approx(83.27, abs=0.01)
    assert scoring.item_stats([(1.0, 3.0), (1.0, 4.0)]).discrimination is None  # no variation
    assert scoring.item_stats([]).count == 0


def test_histogram_bins():
    assert scoring.histogram([D(0), D("9.99"), D(50), D(100)]) == [2, 0, 0, 0, 0, 1, 0, 0, 0, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0, 20)), max_size=12))
def test_discrimination_is_a_correlation(rows):
    stats = scoring.item_stats(rows)
    if stats.discrimination is not None:
        assert -100.0001 <= stats.discrimination <= 100.0001
