"""Tests for lms.assessments.aiken: Moodle's Aiken format, checked against Moodle's fixtures."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.assessments import aiken, gift
from lms.assessments.questions import (
    ESSAY,
    MULTIPLE_CHOICE,
    SINGLE_CHOICE,
    Answer,
    Question,
    php_trim,
)
from tests.shared_fixtures import FIXTURES, require

# The parsers' messages are checked in English (they are translated where they are shown).
pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parents[2]
MOODLE_AIKEN = FIXTURES / "moodle" / "aiken"
MOODLE_GIFT = FIXTURES / "moodle" / "gift"

D = Decimal


def fixture(path: Path) -> Path:
    """Return path; the test fails (never skips) if the shared fixture is not checked out."""
    return require(path)


def read(path: Path) -> aiken.ParseResult:
    return aiken.parse(aiken.decode(fixture(path).read_bytes()))


def choices(*texts: str, right: int) -> tuple[Answer, ...]:
    return tuple(
        Answer(text, D(1 if index == right else 0), "", "html", "html")
        for index, text in enumerate(texts)
    )


def test_valid_file_imports_as_moodle():
    result = read(MOODLE_AIKEN / "questions.aiken.txt")
    assert result.errors == []
    assert result.questions == [
        Question(
            SINGLE_CHOICE,
            "The Moodle project was started by:",
            "The Moodle project was started by:",
            "html",
            general_feedback_format="html",
            answers=choices("Petr Skoda", "Martin Dougiamas", "Eloy Lafuente", "Tim Hunt", right=1),
        ),
        Question(
            SINGLE_CHOICE,
            # The name is the text with tags removed (Moodle's PARAM_TEXT cleaning).
            "Moodle's abilities include handling user input that includes  & images:",
            "Moodle's abilities include handling user input that includes "
            '&lt;html class="cool"&gt; &amp; images:',
            "html",
            general_feedback_format="html",
            answers=choices("True", "False", right=0),
        ),
    ]
    assert [q.line for q in result.questions] == [1, 8]


def test_error_file_gives_three_questions_and_errors_on_lines_3_5_7_18():
    result = read(MOODLE_AIKEN / "aiken_errors.txt")
    assert [error.line for error in result.errors] == [3, 5, 7, 18]
    assert [str(error) for error in result.errors] == [
        "line 3: Question must have at least 2 answers on line 3",
        "line 5: Question not started on line 5",
        "line 7: Question not started on line 7",
        "line 18: Question not completed before next question start on line 18",
    ]
    assert [error.template for error in result.errors] == [
        aiken.MSG_MISSING_ANSWERS,
        aiken.MSG_NOT_STARTED,
        aiken.MSG_NOT_STARTED,
        aiken.MSG_NOT_COMPLETE,
    ]
    assert not result.ok  # a caller imports nothing from this file
    assert result.questions == [
        Question(
            SINGLE_CHOICE,
            "A good question",
            "A good question",
            "html",
            general_feedback_format="html",
            answers=choices("Correct", "Incorrect", right=0),
        ),
        Question(
            SINGLE_CHOICE,
            "A second good question",
            "A second good question",
            "html",
            general_feedback_format="html",
            # "A)Incorrect": a choice needs no space after its label.
            answers=choices("Incorrect (No space)", "Correct (No space)", right=1),
        ),
        Question(
            SINGLE_CHOICE,
            "A third good question with HTML chars such as > < &",
            "A third good question with HTML chars such as &gt; &lt; &amp;",
            "html",
            general_feedback_format="html",
            answers=choices("Correct (&lt; &gt; &amp;)", "Incorrect (&lt; &gt; &amp;)", right=0),
        ),
    ]
    assert [q.line for q in result.questions] == [9, 18, 23]


def test_labels_blank_and_short_lines():
    source = (
        "Câu hỏi một?\n\nA. Có\n \nx\nB) Không\nANSWER:   B trailing\n\nĐ\nA) a\nB) b\nANSWER: A"
    )
    result = aiken.parse(source)
    assert result.errors == []
    first, second = result.questions
    assert [a.text for a in first.answers] == ["Có", "Không"]
    assert [a.fraction for a in first.answers] == [D(0), D(1)]
    # Moodle skips lines shorter than two *bytes*: "x" is skipped, "Đ" (2 bytes) is a question.
    assert (second.text, second.line) == ("Đ", 9)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_keep_line_numbers(newline):
    source = newline.join(["A) stray", "", "Q?", "A) a", "B) b", "ANSWER: A"])
    result = aiken.parse(source)
    assert [error.line for error in result.errors] == [1]
    assert result.questions[0].line == 3


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Q?\nA) a\nB) b\nANSWER: C", [(4, aiken.MSG_UNKNOWN_LETTER)]),
        ("Q?\nA) a\nB) b\nANSWER: b", [(4, aiken.MSG_UNKNOWN_LETTER)]),
        ("Q?\nA) a\nB) b\nANSWER:", [(4, aiken.MSG_UNKNOWN_LETTER)]),
        ("Q?\nA) a\nB) b", [(1, aiken.MSG_NOT_FINISHED)]),
        ("ANSWER: A\nQ?\nA) a\nB) b\nANSWER: A", [(1, aiken.MSG_NOT_STARTED)]),
        ("Q1?\nA) a\nQ2?\nA) a\nB) b\nANSWER: A", [(3, aiken.MSG_NOT_COMPLETE)]),
    ],
)
def test_errors_have_lines(source, expected):
    result = aiken.parse(source)
    assert [(error.line, error.template) for error in result.errors] == expected


@pytest.mark.parametrize(
    "name",
    [
        "questions_encoding_windows-1252.gift.txt",
        "questions_encoding_windows-1252.gift.crlf-as-found.txt",
    ],
)
def test_non_utf8_is_refused(name):
    with pytest.raises(aiken.AikenEncodingError, match="Aiken format files must use UTF-8"):
        aiken.decode(fixture(MOODLE_GIFT / name).read_bytes())
    assert aiken.decode(b"\xef\xbb\xbfQ?") == "Q?"


@pytest.mark.parametrize("name", ["questions.aiken.txt", "aiken_errors.txt"])
def test_export_round_trips(name):
    questions = read(MOODLE_AIKEN / name).questions
    exported = aiken.export(questions)
    again = aiken.parse(exported)
    assert again.errors == [] and again.questions == questions


def test_export_writes_moodles_layout_and_plain_text():
    question = Question(
        SINGLE_CHOICE,
        "Q",
        "<p>Thủ đô của Việt Nam &amp; thủ phủ?</p>\n<p>Chọn một.</p>",
        "html",
        answers=(
            Answer("<b>Hà Nội</b>", D(1), "Đúng", "html"),
            Answer("Huế", D("0.5"), "", "moodle"),  # partial credit is lost, as in Moodle
            Answer("Đà\nNẵng", D(0), "", "plain"),
        ),
        general_feedback="lost",
    )
    assert aiken.export([question]) == (
        "Thủ đô của Việt Nam & thủ phủ? Chọn một.\nA) Hà Nội\nB) Huế\nC) Đà Nẵng\nANSWER: A\n\n"
    )


def test_export_of_course_single_choice_questions():
    bank = ROOT / "courses" / "BB01" / "questions.gift"
    assert bank.exists(), f"course bank missing: {bank}"
    questions = [
        q for q in gift.parse(bank.read_text(encoding="utf-8")).questions if q.kind == SINGLE_CHOICE
    ]
    assert questions
    result = aiken.parse(aiken.export(questions))
    assert result.errors == []
    assert [[a.fraction for a in q.answers] for q in result.questions] == [
        [a.fraction for a in q.answers] for q in questions
    ]


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (Question(ESSAY, "E", "Essay?"), "single-choice"),
        (
            Question(
                MULTIPLE_CHOICE,
                "M",
                "Many?",
                answers=choices("a", "b", right=0) + choices("c", right=0),
            ),
            "single-choice",
        ),
        (
            Question(
                SINGLE_CHOICE,
                "Big",
                "27 choices?",
                answers=choices(*[f"c{i}" for i in range(27)], right=0),
            ),
            "26",
        ),
        (
            Question(SINGLE_CHOICE, "N", "None right?", answers=choices("a", "b", right=9)),
            "100%",
        ),
        (
            Question(SINGLE_CHOICE, "L", "A. Lincoln?", answers=choices("a", "b", right=0)),
            "read back",
        ),
    ],
)
def test_export_refuses(question, problem):
    with pytest.raises(ValueError, match=problem):
        aiken.export([question])


VIETNAMESE = "ăâđêôơưàáảãạằắẳẵặầấẩẫậềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
line_text = (
    st.text("abcxyzĐ019 .,?&<>\"'" + VIETNAMESE, min_size=2, max_size=30)
    .map(lambda text: " ".join(text.split()))
    .filter(lambda text: len(text.encode()) >= 2)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(line_text, min_size=2, max_size=6), st.data())
def test_plain_questions_round_trip(texts, data):
    question_text, *options = texts
    if len(options) < 2:
        options.append("khác")
    question_text = "Hỏi: " + question_text
    right = data.draw(st.integers(0, len(options) - 1))
    source = "\n".join(
        [question_text]
        + [f"{chr(65 + i)}) {text}" for i, text in enumerate(options)]
        + [f"ANSWER: {chr(65 + right)}"]
    )
    result = aiken.parse(source)
    assert result.errors == []
    (question,) = result.questions
    assert [a.fraction for a in question.answers].index(D(1)) == right
    assert aiken.parse(aiken.export([question])).questions == [question]
    assert php_trim(question.text) == question.text
