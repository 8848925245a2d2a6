"""What a learner sees of each question kind, how a form is read back and graded, and the right
answers shown on review: the details the first mutation run of lms.assessments.kinds,
kindbase and textkinds found unpinned (docs/testing.md, "Mutation testing")."""

from decimal import Decimal as D

import pytest

from lms.assessments import gift, gift_export, kinds
from lms.assessments.kindbase import Kind, Option, View
from lms.assessments.questions import (
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    Answer,
    Question,
)


def q(source: str) -> Question:
    result = gift.parse(source)
    assert result.errors == [], [str(e) for e in result.errors]
    return result.questions[0]


def choice_question(kind=SINGLE_CHOICE, fractions=("1", "0", "0")) -> Question:
    texts = ("Một", "Hai", "Ba")
    return Question(
        kind=kind,
        name="Q",
        text="Chọn?",
        answers=tuple(
            Answer(text, D(f), text_format="html" if i == 0 else "moodle")
            for i, (text, f) in enumerate(zip(texts, fractions, strict=True))
        ),
    )


# --- choices: view, saved response, feedback, right answer, export ---------------------------
def test_a_choice_is_shown_in_the_drawn_order_with_its_answers_format_and_the_saved_choice():
    question = choice_question()
    view = kinds.kind_of(question).view(question, {"answers": [2, 0, 1]}, {"choice": 0})
    assert view == View(
        SINGLE_CHOICE,
        (
            Option("0", "Ba", "moodle", False),
            Option("1", "Một", "html", True),
            Option("2", "Hai", "moodle", False),
        ),
    )


def test_a_multiple_choice_view_ticks_every_saved_choice():
    question = choice_question(MULTIPLE_CHOICE, ("0.5", "0.5", "0"))
    view = kinds.kind_of(question).view(question, {"answers": [0, 1, 2]}, {"choices": [0, 2]})
    assert [o.checked for o in view.options] == [True, False, True]
    assert view.kind == MULTIPLE_CHOICE


def test_a_view_without_a_drawn_order_shows_no_answers_and_a_response_without_choices_ticks_none():
    question = choice_question()
    kind = kinds.kind_of(question)
    assert kind.view(question, {}, None) == View(SINGLE_CHOICE)
    view = kind.view(question, {"answers": [0, 1, 2]}, {"text": "x"})
    assert not any(o.checked for o in view.options)
    assert Kind._chosen({"text": "x"}) == [] and Kind._chosen(None) == []
    assert Kind._chosen({"choice": 2}) == [2] and Kind._chosen({"choices": [0, 1]}) == [0, 1]


def test_feedback_is_only_that_of_a_chosen_answer_that_has_some_and_exists():
    question = q("::Q::X?{=đúng#Khen ~sai ~%50%nửa#Gần đúng}")
    assert kinds.feedback(question, {"choice": 0}) == ["Khen"]
    assert kinds.feedback(question, {"choice": 1}) == []  # no feedback written
    assert kinds.feedback(question, {"choice": 3}) == []  # not an answer (a stale response)
    assert kinds.feedback(question, {"choice": -1}) == []
    multiple = choice_question(MULTIPLE_CHOICE, ("0.5", "0.5", "0"))
    assert kinds.feedback(multiple, {"choices": [0, 1, 3]}) == []


def test_the_right_answer_is_the_full_mark_one_else_every_answer_worth_something():
    assert kinds.kind_of(choice_question()).right_answer(choice_question()) == ["Một"]
    partial = choice_question(SINGLE_CHOICE, ("0.5", "0", "0.25"))
    assert kinds.kind_of(partial).right_answer(partial) == ["Một", "Ba"]
    nothing = choice_question(SINGLE_CHOICE, ("0", "0", "0"))
    assert kinds.kind_of(nothing).right_answer(nothing) == []


def test_a_kind_exports_its_question_as_gift_without_the_comment_lines():
    question = q("::Q::X?{=đúng ~sai}")
    text = kinds.kind_of(question).export(question)
    assert "//" not in text
    assert text == gift_export.export([question], comments=False)
    assert q(text) == question


# --- multiple choice: reading and grading ---------------------------------------------------
def test_multiple_choice_reads_nothing_from_an_empty_form_or_without_a_drawn_order():
    question = choice_question(MULTIPLE_CHOICE, ("0.5", "0.5", "0"))
    kind = kinds.kind_of(question)
    assert kind.read({"answers": [0, 1, 2]}, {}) is None
    assert kind.read({"answers": [0, 1, 2]}, {"": ["x", "7"]}) is None
    assert kind.read({}, {"": ["0"]}) is None


def test_multiple_choice_ignores_a_choice_that_is_not_an_answer():
    question = choice_question(MULTIPLE_CHOICE, ("0.5", "0.5", "0"))
    assert kinds.grade(question, {"choices": [0, 3]}) == D("0.5")
    assert kinds.grade(question, {"choices": [0, -1]}) == D("0.5")


# --- short answer, numerical, essay ------------------------------------------------------------
def test_feedback_of_a_short_answer_follows_the_grading_options():
    question = q("::Q::Thủ đô?{=Hà Nội#Đúng =Huế}")
    assert kinds.feedback(question, {"text": "hà nội"}) == ["Đúng"]
    assert kinds.feedback(question, {"text": "hà nội"}, {"case_sensitive": True}) == []
    assert kinds.feedback(question, {"text": "Ha Noi"}, {"ignore_diacritics": True}) == ["Đúng"]
    kind = kinds.kind_of(question)
    assert kind.feedback(question, {"text": "Ha Noi"}, {"ignore_diacritics": True}) == ["Đúng"]
    assert kind.feedback(question, {"text": "Huế"}) == []  # the answer has no feedback
    assert kind.feedback(question, {"text": "Đà Lạt"}) == []  # no answer matches


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Duong Le Duan", 1),
        ("Đuong Le Duẩn", 1),
        ("duong le duan", 0),  # case still counts
        ("Đường Lê Duẩn", 1),
        ("Duong Le Duan 2", 0),
    ],
)
def test_case_sensitive_matching_without_diacritics_keeps_the_case_and_drops_only_the_marks(
    typed, expected
):
    question = q("::Q::Đường?{=Đường Lê Duẩn}")
    options = {"case_sensitive": True, "ignore_diacritics": True}
    assert kinds.grade(question, {"text": typed}, options) == expected


def test_case_sensitive_matching_without_diacritics_reads_a_lower_case_d_with_stroke():
    question = q("::Q::Từ?{=đường}")
    options = {"case_sensitive": True, "ignore_diacritics": True}
    assert kinds.grade(question, {"text": "duong"}, options) == 1
    assert kinds.grade(question, {"text": "Duong"}, options) == 0


def test_typed_kinds_show_the_saved_text_and_read_nothing_from_an_empty_or_blank_field():
    for source, name in (
        ("::A::x{=a}", SHORT_ANSWER),
        ("::B::x{#3}", NUMERICAL),
        ("::C::x{}", ESSAY),
    ):
        question = q(source)
        kind = kinds.kind_of(question)
        assert kind.view(question, {}, {"text": "Hà Nội"}) == View(name, text="Hà Nội")
        assert kind.view(question, {}, None) == View(name)
        assert kind.read({}, {}) is None
        assert kind.read({}, {"": ["   "]}) is None
        assert kind.read({}, {"": [" 42 "]}) == {"text": "42"}


def test_an_essay_keeps_its_line_breaks_as_plain_newlines():
    essay = q("::E::Trình bày{}")
    assert kinds.kind_of(essay).read({}, {"": ["Ý một\r\nÝ hai\r\n"]}) == {"text": "Ý một\nÝ hai"}


def test_a_description_shows_only_its_kind():
    question = q("::D::Đọc kỹ đề.")
    assert kinds.kind_of(question).view(question, {}, {"choice": 0}) == View(DESCRIPTION)


def test_the_right_short_answers_are_those_of_the_best_mark():
    question = q("::Q::Thủ đô?{=Hà Nội =Hanoi =%50%Ha Noi =%0%Huế}")
    assert kinds.kind_of(question).right_answer(question) == ["Hà Nội", "Hanoi"]
    partial = q("::Q::Thủ đô?{=%50%Ha Noi =%0%Huế}")
    assert kinds.kind_of(partial).right_answer(partial) == ["Ha Noi"]
    none = Question(SHORT_ANSWER, "Q", "x", answers=(Answer("Huế", D(0)),))
    assert kinds.kind_of(none).right_answer(none) == []
    assert kinds.kind_of(none).right_answer(Question(SHORT_ANSWER, "Q", "x")) == []


def test_the_right_numerical_answers_state_their_tolerance_and_never_the_catch_all():
    question = q("::Q::Số?{#=3.14:0.010 =%50%3:0.5 =3.1416 =100:10 ~#Sai}")
    assert kinds.kind_of(question).right_answer(question) == ["3.14 ± 0.01", "3.1416", "100 ± 10"]
    catch_all = Question(
        NUMERICAL, "Q", "x", answers=(Answer("*", D(1)), Answer("5", D("0.5"), min=D(5), max=D(5)))
    )
    assert kinds.kind_of(catch_all).right_answer(catch_all) == []
    nothing = Question(NUMERICAL, "Q", "x", answers=(Answer("5", D(0), min=D(5), max=D(5)),))
    assert kinds.kind_of(nothing).right_answer(nothing) == []
    assert kinds.kind_of(nothing).right_answer(Question(NUMERICAL, "Q", "x")) == []


# --- matching -----------------------------------------------------------------------------------
MATCH = "::M::Ghép{=Hà Nội -> Thủ đô =Huế -> Cố đô =Đà Nẵng -> Biển}"


def test_matching_choices_are_the_distinct_answers_in_file_order():
    question = q("::M::Ghép{=Hà Nội -> Miền Bắc =Hải Phòng -> Miền Bắc =Huế -> Miền Trung}")
    assert kinds.match_choices(question) == ["Miền Bắc", "Miền Trung"]


def test_a_matching_view_lists_choices_and_items_in_the_drawn_order_with_the_saved_pairs():
    question = q(MATCH)
    shown = {"answers": [2, 0, 1], "choices": [1, 2, 0]}
    view = kinds.kind_of(question).view(question, shown, {"pairs": {"0": 0, "2": 2, "1": 9}})
    assert view == View(
        MATCHING,
        (
            Option("0", "Cố đô", "plain"),
            Option("1", "Biển", "plain"),
            Option("2", "Thủ đô", "plain"),
        ),
        (
            ("-0", "Đà Nẵng", "moodle", "1"),
            ("-1", "Hà Nội", "moodle", "2"),
            ("-2", "Huế", "moodle", ""),
        ),
    )
    empty = kinds.kind_of(question).view(question, shown, None)
    assert [item[3] for item in empty.items] == ["", "", ""]
    assert kinds.kind_of(question).view(question, {"choices": [0]}, None).items == ()


def test_matching_reads_nothing_from_an_empty_form_or_without_a_drawn_order():
    question = q(MATCH)
    kind = kinds.kind_of(question)
    shown = {"answers": [2, 0, 1], "choices": [1, 2, 0]}
    assert kind.read(shown, {}) is None
    assert kind.read(shown, {"-0": ["x"], "-1": ["3"]}) is None
    assert kind.read({}, {"-0": ["0"]}) is None
    assert kind.read({"answers": [0]}, {"-0": ["0"]}) is None
    assert kind.read(shown, {"-1": ["2"]}) == {"pairs": {"0": 0}}


def test_matching_grades_nothing_for_no_response_or_a_choice_that_is_not_one():
    question = q(MATCH)
    assert kinds.grade(question, None) == 0
    assert kinds.grade(question, {"text": "x"}) == 0
    assert kinds.grade(question, {"pairs": {"0": 3, "1": -1, "2": "2"}}) == 0
    assert kinds.grade(question, {"pairs": {"0": 0, "1": 3}}) == D(1) / D(3)


def test_a_choice_position_must_be_one_that_was_shown():
    question = choice_question()
    kind = kinds.kind_of(question)
    assert kind.read({"answers": [2, 0, 1]}, {"": ["2"]}) == {"choice": 1}
    assert kind.read({"answers": [2, 0, 1]}, {"": ["3"]}) is None  # one past the last
    assert kind.read({}, {"": ["0"]}) is None
    assert kinds.grade(question, {"choice": 3}) == 0
    assert kinds.grade(question, {"choice": -1}) == 0


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1e3", D(1000)),
        ("1E3", D(1000)),
        (" - 2 ", D(-2)),  # spaces are dropped
        (" 3, 5 ", D("3.5")),
        ("1,000.5", None),
        ("1,2,3", None),
        ("", None),
    ],
)
def test_a_typed_number(typed, value):
    assert kinds.read_number(typed) == value


def test_no_response_earns_nothing_even_against_a_catch_all_answer():
    question = q("::Q::Thủ đô?{=Hà Nội =%50%*#Gần đúng}")
    assert kinds.grade(question, None) == 0 and kinds.feedback(question, None) == []
    assert kinds.grade(question, {"text": "Huế"}) == D("0.5")


def test_a_wildcard_between_words_matches_nothing_too_without_diacritics():
    question = q("::Q::Ai?{=Lê*Duẩn}")
    for options in (
        {"ignore_diacritics": True},
        {"ignore_diacritics": True, "case_sensitive": True},
    ):
        assert kinds.grade(question, {"text": "LeDuan"}, options) == 1
        assert kinds.grade(question, {"text": "Le Van Duan"}, options) == 1


def test_without_diacritics_and_case_spaces_and_lookalike_letters_are_read_as_in_search():
    question = q("::Q::Thủ đô?{=Hà Nội}")
    spaced = q("::Q::Thủ đô?{=Hà   Nội}")  # a key typed with extra spaces
    options = {"ignore_diacritics": True}
    assert kinds.grade(question, {"text": "ha   noi"}, options) == 1
    assert kinds.grade(spaced, {"text": "Ha Noi"}, options) == 1
    assert kinds.grade(q("::Q::Thành phố?{=Đà Nẵng}"), {"text": "Ðà Nẵng"}, options) == 1  # Ð: eth
