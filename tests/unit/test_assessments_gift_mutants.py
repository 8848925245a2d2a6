"""GIFT written out (lms.assessments.gift_export) where the mutation run found the suite loose
(docs/testing.md, "Mutation testing"): the exact refusal for each question GIFT cannot express
and the rule it names (the editor words it for the reader), the comment line of a name with
brackets and line breaks, whole-number tolerances, and carriage returns."""

from decimal import Decimal as D

import pytest

from lms.assessments import gift, gift_export
from lms.assessments.questions import (
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Answer,
    Question,
)
from tests.unit.test_assessments_gift import any_other, choice, number, pair, short

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("question", "message", "code"),
    [
        (
            Question(DESCRIPTION, "D", "d", general_feedback="g"),
            "a description cannot have general feedback in GIFT",
            "other",
        ),
        (
            Question(TRUE_FALSE, "T", "t", answers=(Answer("True", D(1)),)),
            "a true/false question has exactly two answers (True, False)",
            "other",
        ),
        (
            Question(MULTIPLE_CHOICE, "M", "m", answers=(choice("a", 100),)),
            "a choice question needs at least two answers",
            "other",
        ),
        (
            Question(SINGLE_CHOICE, "C", "c", answers=(choice("a", 50), choice("b"))),
            "a single-choice question needs an answer worth 100%",
            "other",
        ),
        (
            Question(SINGLE_CHOICE, "C", "c", answers=(choice("a", 100), choice("  "))),
            "a choice cannot be empty",
            "other",
        ),
        (
            Question(SHORT_ANSWER, "S", "s"),
            "a short-answer question needs an answer",
            "other",
        ),
        (
            Question(SHORT_ANSWER, "S", "s", answers=(short(" "),)),
            "a short answer cannot be empty",
            "other",
        ),
        (
            Question(SHORT_ANSWER, "S", "s", answers=(short("a -> b"),)),
            "a short answer cannot contain '->' in GIFT: 'a -> b'",
            "arrow",
        ),
        (
            Question(SHORT_ANSWER, "S", "s", answers=(short("a", 100, "x -> y"),)),
            "short-answer feedback cannot contain '->' in GIFT: 'x -> y'",
            "arrow",
        ),
        (
            Question(ESSAY, "E", "e", tags=("a<b",)),
            "the tag 'a<b' cannot contain < > or `",
            "tag_chars",
        ),
        (
            Question(ESSAY, "E", "e", tags=("x [id:y]",)),
            "the tag 'x [id:y]' cannot contain [id: or [tag:",
            "tag_metadata",
        ),
        (
            Question(ESSAY, "E", "e", tags=("x [tag:y]",)),
            "the tag 'x [tag:y]' cannot contain [id: or [tag:",
            "tag_metadata",
        ),
        (
            Question(ESSAY, "E", "e", tags=("cuối\\",)),
            "the tag 'cuối\\\\' cannot be written in GIFT",
            "tag_unwritable",
        ),
        (
            Question(ESSAY, "E", "e", tags=(" đầu",)),
            "the tag ' đầu' cannot be written in GIFT",
            "tag_unwritable",
        ),
        (
            Question(NUMERICAL, "N", "n", answers=(any_other("Sai"),)),
            "a numerical question needs a numerical answer",
            "other",
        ),
        (
            Question(NUMERICAL, "N", "n", answers=(Answer("ba", D(1)),)),
            "'ba' is not a number",
            "other",
        ),
        (
            Question(MATCHING, "M", "m", answers=(pair("a", "b"),)),
            "a matching question needs at least two items",
            "other",
        ),
        (
            Question(MATCHING, "M", "m", answers=(pair("a->b", "c"), pair("d", "e"))),
            "a matching item cannot contain '->' in GIFT: 'a->b'",
            "arrow",
        ),
        (
            Question(MATCHING, "M", "m", answers=(pair("a", None), pair("d", "e"))),
            "a matching item needs an answer",
            "other",
        ),
        (
            Question(ESSAY, "E", "e", idnumber="a\tb"),
            "the id 'a\\tb' cannot be written in GIFT",
            "id_unwritable",
        ),
        (
            Question(ESSAY, "E", "e", category="a\nb"),
            "the category 'a\\nb' cannot be written in GIFT",
            "category",
        ),
    ],
)
def test_export_names_what_gift_cannot_express(question, message, code):
    with pytest.raises(gift_export.CannotWrite) as refused:
        gift_export.export([question])
    assert (str(refused.value), refused.value.code) == (message, code)
    assert isinstance(refused.value, ValueError)


def test_the_comment_line_holds_the_name_on_one_line_without_brackets():
    question = Question(ESSAY, "Câu [1]\n  hai", "e")
    exported = gift_export.export([question])
    assert exported.startswith("// question: 1  name: Câu (1) hai\n")
    assert gift.parse(exported).questions == [question]


def test_a_whole_number_tolerance_is_written_as_digits():
    question = Question(NUMERICAL, "N", "n", answers=(number("100", "10"), number("5", "0.50")))
    exported = gift_export.export([question], comments=False)
    assert "=%100%100:10#" in exported and "=%100%5:0.5#" in exported
    assert gift.parse(exported).questions == [question]


def test_carriage_returns_are_dropped_from_names_and_texts():
    question = Question(ESSAY, "A\rB", "Dòng một\r\nDòng hai")
    assert gift_export.export([question], comments=False) == "::AB::Dòng một\\nDòng hai{}\n\n"


# --- reading: what each error says, with its figures ---------------------------------------
NOT_A_NUMBER = '"{}" is not a number (write e.g. 3, 3.14, 3.14:0.01 or 3.1..3.2)'
ONE_BLOCK = (
    "A question can have only one {…} answer block: write a literal brace as \\{ or \\}, and "
    "leave a blank line between two questions"
)
SAID = {
    "::Q::Open {=a ~b": "line 1: Could not find a } to close the answers",
    "::Q::line one\nline two {\n=a\n~b\n": "line 2: Could not find a } to close the answers",
    "::Q::\nNo opening =a ~b}": "line 2: Could not find a { before this }",
    "::Q::} backwards {": "line 1: Could not find a { before this }",
    "::A::First{T}\n::B::Second{F}": f"line 2: {ONE_BLOCK}",
    "::A::a set {1, 2} here{}": f"line 1: {ONE_BLOCK}",
    "$CATEGORY: X\n::Q::a{T}": (
        "line 2: Leave a blank line after the $CATEGORY line; a question follows it here"
    ),
    "$CATEGORY:   ": "line 1: The $CATEGORY line gives no category",
    "::Q::One choice{\n~only\n}": (
        "line 1: There are not enough answers for this question type (at least 2)"
    ),
    "::Q::x{\n~a\n=b\n~\n}": "line 4: This answer is empty",
    "::Q::x{\n~a\n=#only feedback\n}": "line 3: This answer is empty",
    "::Q::x{\nstray\n~a\n=b}": (
        "line 2: Unknown answer syntax: each choice must start with = (right) or ~ (wrong), "
        'but "stray" comes before the first one'
    ),
    "::Q::x{\n=%50%a\n~b}": (
        "line 2: Unknown answer syntax: = always means 100%; for a partly right choice write ~%50%"
    ),
    "::Q::x{\n~%--50%a\n~%100%b}": 'line 2: The answer weight "%--50%" is not a number',
    "::Q::x{\n=a -> 1\n=b 2\n}": (
        'line 3: Matching question answers must be written "=item -> answer"'
    ),
    "::Q::x{\n=a -> 1\n=b ->\n}": "line 3: This matching item has nothing after ->",
    "::Q::x{=a -> 1}": "line 1: There are not enough answers for this question type (at least 2)",
    "::Q::x{#}": "line 1: No answers found for numerical question",
    "::Q::x{#\n~#only the catch-all\n}": "line 1: No answers found for numerical question",
    "::Q::Pi?{#\n=3,14\n}": "line 2: " + NOT_A_NUMBER.format("3,14"),
    "::Q::x{#3:two}": "line 1: " + NOT_A_NUMBER.format("two"),
    "::Q::x{#1..five}": "line 1: " + NOT_A_NUMBER.format("five"),
    "::Q::x{#3~wrong}": (
        'line 1: Unknown answer syntax: after ~ a numerical question takes only "#feedback" '
        "for any other answer"
    ),
    "::Q::x{=}": "line 1: This answer is empty",
    "::Q::x{\n=a\n=\n}": "line 3: This answer is empty",
    "::Q::x{=%33%a}": "line 1: Moodle does not allow the grade 33%",
    "::Q::reserved \ufdd0 char{}": (
        "line 1: The line contains a character reserved for internal use (U+FDD0)"
    ),
}


@pytest.mark.parametrize("source", list(SAID))
def test_each_error_says_what_is_wrong_with_its_figures(source):
    assert [str(error) for error in gift.parse(source).errors] == [SAID[source]]


def test_matching_pairs_before_the_first_equals_sign_count_and_a_lone_pair_is_a_warning():
    three = gift.parse("::M::Ghép{a -> x =b -> y =c -> z}")
    assert three.errors == [] and three.warnings == []
    assert [a.text for a in three.questions[0].answers] == ["a", "b", "c"]
    two = gift.parse("::M::Ghép{=a -> x =b -> y}")
    assert two.errors == [] and two.warnings == []
    lone = gift.parse("::M::Ghép{=a -> b = -> c}")
    assert [(w.line, str(w.message)) for w in lone.warnings] == [
        (1, "A matching question needs at least two items with an answer")
    ]


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("1..2..3", "2..3"),  # the range splits at its first ".."
        ("..5", "..5"),  # a range needs its low end
        ("..5..6", "..5..6"),
        ("3:1:2", "1:2"),  # the tolerance follows the first ":"
        ("\\:5", ":5"),  # a tolerance needs its number
        ("\\:3:1", ":3:1"),
    ],
)
def test_a_numerical_answer_that_is_not_a_number_is_named_as_moodle_splits_it(written, named):
    errors = gift.parse("::N::x{#" + written + "}").errors
    assert [str(error) for error in errors] == ["line 1: " + NOT_A_NUMBER.format(named)]


def test_a_range_is_read_as_its_middle_and_half_its_width_in_plain_digits():
    (answer,) = gift.parse("::N::x{#5..15}").questions[0].answers
    assert (answer.text, answer.tolerance, answer.min, answer.max) == ("10", 5, 5, 15)


def test_a_tilde_outside_a_numerical_block_is_text_and_inside_it_starts_the_catch_all():
    for source in ("::N::Giá ~ bao nhiêu?{#5}", "::N::Kết quả {#5} ~ đơn vị"):
        result = gift.parse(source)
        assert result.errors == []
        assert [(a.text, a.fraction) for a in result.questions[0].answers] == [("5", 1)]
    (right, other) = gift.parse("::N::x{#=5 ~#Sai ~ nữa}").questions[0].answers
    assert (other.text, other.fraction, other.feedback) == ("*", 0, "Sai ~ nữa")


def test_a_numerical_grade_moodle_refuses_is_reported_on_its_own_line():
    errors = gift.parse("::N::x{#\n=%33%5\n}").errors
    assert [str(error) for error in errors] == ["line 2: Moodle does not allow the grade 33%"]


def test_true_false_feedback_splits_at_the_first_two_hashes_only():
    true, false = gift.parse("::T::x{T#Sai#Đúng#thêm}").questions[0].answers
    assert (true.fraction, true.feedback, false.feedback) == (1, "Đúng#thêm", "Sai")


def test_multiple_answer_grades_are_checked_at_two_decimals_as_moodle_does():
    near = gift.parse("::M::x{~%11.11111%a ~%14.28571%b ~%75%c ~%0%d}")  # 100.39682 %
    assert near.errors == [] and near.warnings == []
    short = gift.parse("::M::x{~%11.11111%a ~%14.28571%b ~%70%c ~%0%d}")
    assert [str(w.message) for w in short.warnings] == [
        "The positive grades of this multiple-answer question add up to 95.39682%, not 100%"
    ]


def test_an_equals_sign_in_the_question_text_is_not_an_answer():
    question = gift.parse("::Q::a = b?{=c ~d}").questions[0]
    assert (question.text, [(a.text, a.fraction) for a in question.answers]) == (
        "a = b?",
        [("c", 1), ("d", 0)],
    )


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("::Q::a{=b ~c}\nthêm {\nvà {", 2),  # the first extra brace is named
        ("::Q::x{{=a ~b}", 1),
        ("::Q::x{=a ~b} và }", 1),
        ("::Q::x{=a ~b}\n}\n}", 2),
        ("::Q::x{=a ~b}}", 1),
        ("::Q::x{T} }", 1),
    ],
)
def test_an_extra_brace_is_reported_where_it_first_appears(source, line):
    assert [str(error) for error in gift.parse(source).errors] == [f"line {line}: {ONE_BLOCK}"]


def test_a_category_line_is_alone_even_with_a_comment_under_it():
    result = gift.parse("$CATEGORY: X\n// chú thích\n\n::Q::a{T}")
    assert result.errors == [] and result.categories == ["X"]
    assert result.questions[0].category == "X"
    crowded = gift.parse("$CATEGORY: X\n::Q::a{T}\n::R::b{T}").errors
    assert [error.line for error in crowded] == [2]


def test_hashes_outside_the_answers_are_text_and_the_last_separator_starts_the_feedback():
    before = gift.parse("::Q::Ghi chú ####{=a ~b}").questions[0]
    after = gift.parse("::Q::Điền {=a ~b} ####là gì").questions[0]
    assert (before.text, before.general_feedback) == ("Ghi chú ####", "")
    assert (after.text, after.general_feedback) == ("Điền _____ ####là gì", "")
    assert [a.text for a in before.answers] == [a.text for a in after.answers] == ["a", "b"]
    two = gift.parse("::Q::x{=a ~b ####chung ####thêm}").questions[0]
    assert two.general_feedback == "thêm"


def test_braces_in_a_question_name_are_part_of_the_name():
    question = gift.parse("::Tên {1}::Câu hỏi{T}").questions[0]
    assert (question.name, question.kind, question.text) == ("Tên {1}", TRUE_FALSE, "Câu hỏi")


def test_text_before_the_choices_is_reported_on_the_line_it_starts():
    errors = gift.parse("::Q::x{\nstray\nmore\n~a\n=b}").errors
    assert [error.line for error in errors] == [2]


@pytest.mark.parametrize("written", ["1e9999999..1", "1e9999999:1", "1e999999999"])
def test_a_number_too_large_to_compute_with_is_named_whole(written):
    errors = gift.parse("::N::x{#" + written + "}").errors
    assert [str(error) for error in errors] == ["line 1: " + NOT_A_NUMBER.format(written)]


def test_a_bad_weight_on_a_short_answer_is_reported_on_its_line():
    errors = gift.parse("::Q::x{\n=%--5%a\n=b}").errors
    assert [str(error) for error in errors] == ['line 2: The answer weight "%--5%" is not a number']


def test_metadata_is_read_from_every_comment_line_above_the_question():
    question = gift.parse("// [tag:a]\n// [tag:b] [id:Q-1]\n::Q::x{T}").questions[0]
    assert (question.tags, question.idnumber) == (("a", "b"), "Q-1")


def test_export_cannot_drop_a_category_and_escapes_a_backslash_in_one():
    questions = [Question(ESSAY, "A", "a", category="X"), Question(ESSAY, "B", "b")]
    with pytest.raises(gift_export.CannotWrite) as refused:
        gift_export.export(questions)
    assert str(refused.value) == "GIFT cannot go back to no category after a $CATEGORY line"
    question = Question(ESSAY, "E", "e", category="a\\b")
    exported = gift_export.export([question], comments=False)
    assert exported == "$CATEGORY: a\\\\b\n\n::E::e{}\n\n"
    assert gift.parse(exported).questions == [question]
