"""Moodle's Cloze (embedded answers) as lms.assessments.kinds_cloze reads and grades it: every gap
type and its short names, weights, per-gap marks, escapes; grading per gap with partial credit
as Moodle's qtype_multianswer (sum of gap marks × fractions over the sum of marks); what a
learner's page and the review may show (never the key)."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.assessments import kinds
from lms.assessments.kinds_cloze import (
    CHOICE,
    HORIZONTAL,
    NUMBER,
    SELECT,
    SHORT,
    SHORT_CASE,
    VERTICAL,
    gap_fractions,
    gaps_of,
    learner_text,
    masked_text,
    parse_gaps,
)
from lms.assessments.questions import CLOZE, Question

pytestmark = pytest.mark.usefixtures("english")

TEXT = (
    "<p>Thủ đô: {1:SHORTANSWER:=Hà Nội#Đúng~%50%Ha Noi#Gần đúng~*#Sai}. "
    "Cơ quan lập pháp: {2:MULTICHOICE:=Quốc hội#Đúng~Chính phủ#Sai~%-50%Tòa án}. "
    "Số tỉnh: {1:NUMERICAL:=34:1#Đúng~%50%63}. "
    "Mã: {1:SAC:=ABC}. {1:MCV:Một~=Hai} {1:MULTICHOICE_H:=A~B}</p>"
)


def question(text=TEXT) -> Question:
    return Question(kind=CLOZE, name="Cloze", text=text, text_format="html")


def test_each_gap_type_and_its_weights_are_read():
    gaps = gaps_of(TEXT)
    assert [(g.kind, g.layout, g.mark) for g in gaps] == [
        (SHORT, "", 1),
        (CHOICE, SELECT, 2),
        (NUMBER, "", 1),
        (SHORT_CASE, "", 1),
        (CHOICE, VERTICAL, 1),
        (CHOICE, HORIZONTAL, 1),
    ]
    assert [(a.text, a.fraction, a.feedback) for a in gaps[0].answers] == [
        ("Hà Nội", 1, "Đúng"),
        ("Ha Noi", Decimal("0.5"), "Gần đúng"),
        ("*", 0, "Sai"),
    ]
    assert [a.fraction for a in gaps[1].answers] == [1, 0, Decimal("-0.5")]
    number = gaps[2].answers[0]
    assert (number.text, number.tolerance, number.min, number.max) == ("34", 1, 33, 35)
    assert gaps[2].answers[1].tolerance == 0


@pytest.mark.parametrize(
    ("short", "long"),
    [("SA", "SHORTANSWER"), ("MW", "SHORTANSWER"), ("SAC", "SHORTANSWER_C"), ("MC", "MULTICHOICE"),
     ("MCV", "MULTICHOICE_V"), ("MCH", "MULTICHOICE_H"), ("NM", "NUMERICAL"),
     ("MCS", "MULTICHOICE_S"), ("MCVS", "MULTICHOICE_VS"), ("MCHS", "MULTICHOICE_HS")],
)  # fmt: skip
def test_short_names_mean_the_long_ones(short, long):
    body = ":=1~2}" if "CHOICE" in long else ":=1}"
    (a,), (b,) = gaps_of("{1:" + short + body), gaps_of("{1:" + long + body)
    assert (a.kind, a.layout, a.shuffle, a.answers) == (b.kind, b.layout, b.shuffle, b.answers)


def test_escapes_and_entities_are_read_as_moodle():
    (gap,) = gaps_of(r"{1:SA:=a\}b\~c\#d#phản \} hồi}")
    assert gap.answers[0].text == "a}b~c#d" and gap.answers[0].feedback == "phản } hồi"
    (gap,) = gaps_of("{1:SA:=R&amp;D}")
    assert gap.answers[0].text == "R&D"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Không có chỗ trống.", "no embedded answer"),
        ("{1:MULTICHOICE}", "no embedded answer"),
        ("{1:MULTICHOICE:=Táo}", "at least two choices"),
        ("{1:MC:Lê~%50%Táo}", "no answer is fully right"),
        ("{1:NUMERICAL:=không}", '"không" is not a number'),
        ("{1:MULTIRESPONSE:=a~b}", "MULTIRESPONSE (several answers ticked)"),
        ("{1:SA:=a} {1:SA:%150%b~=c}", "gap 2: grade 150% — Moodle does not allow it"),
    ],
)
def test_malformed_gaps_are_problems_named_by_gap(text, message):
    gaps, problems = parse_gaps(text)
    rendered = [str(p.template).format(name="Q", **dict(p.params)) for p in problems]
    assert problems and any(message in m for m in rendered), rendered


def _answer(q, values: dict) -> dict:
    return {"gaps": {str(k): v for k, v in values.items()}}


def test_grading_gives_partial_credit_per_gap_by_marks():
    q = question()
    right = _answer(q, {0: "hà nội", 1: 0, 2: "34,5", 3: "ABC", 4: 1, 5: 0})
    assert kinds.grade(q, right) == 1
    # marks 1+2+1+1+1+1 = 7: "Ha Noi" earns 0.5 of 1, the wrong choice of the 2-mark gap 0.
    partial = _answer(q, {0: "Ha Noi", 1: 1, 2: "63", 3: "abc", 4: 1, 5: 0})
    assert gap_fractions(q, partial) == [Decimal("0.5"), 0, Decimal("0.5"), 0, 1, 1]
    assert kinds.grade(q, partial) == Decimal("0.4285714")
    assert kinds.grade(q, None) == 0
    negative = _answer(q, {1: 2})  # a negative choice costs nothing outside its own gap
    assert kinds.grade(q, negative) == 0


def test_hostile_responses_earn_nothing_and_do_not_fail():
    q = question()
    for response in ({"gaps": "x"}, {"gaps": {"0": 5, "1": "0", "2": None, "99": "a"}}, {}):
        assert kinds.grade(q, response) == 0


def test_the_page_sees_no_key_and_reads_one_field_per_gap():
    q = question()
    kind = kinds.kind_of(q)
    shown = kind.shown(q, random.Random(1), True)
    assert shown["answers"] == [0, 1, 2, 3, 4, 5] and shown["gaps"][0] is None
    assert shown["gaps"][1] == [0, 1, 2]  # MULTICHOICE keeps its order; only _S shuffles
    view = kind.view(q, shown, None)
    assert "Hà Nội" not in view.text and "{" not in view.text and "[[[cloze-gap-5]]]" in view.text
    assert [c[1] for c in view.extra["gaps"][1].choices] == ["Quốc hội", "Chính phủ", "Tòa án"]
    form = {"-0": [" Hà Nội "], "-1": ["0"], "-2": ["34"], "-3": [""], "-4": ["9"], "-5": ["1"]}
    response = kind.read(shown, form)
    assert response == {"gaps": {"0": "Hà Nội", "1": 0, "2": "34", "5": 1}}
    again = kind.view(q, shown, response)
    assert [g.value for g in again.extra["gaps"]] == ["Hà Nội", "0", "34", "", "", "1"]
    assert learner_text(q) == masked_text(TEXT)
    assert kinds.kind_of(q).right_answer(q)[:3] == ["(1) Hà Nội", "(2) Quốc hội", "(3) 34 ± 1"]
    assert kinds.feedback(q, response) == ["(1) Đúng", "(2) Đúng", "(3) Đúng"]


_WORD = st.text(alphabet="abcdefghĐđàáạ ", min_size=1, max_size=8).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.lists(_WORD, min_size=2, max_size=4, unique=True)),
        min_size=1,
        max_size=5,
    ),
    st.randoms(),
)
def test_any_cloze_reads_back_its_gaps_and_grades_between_0_and_1(spec, rng):
    text = " ".join(
        f"Câu {n}: {{{mark}:MULTICHOICE:=" + "~".join(words) + "}"
        for n, (mark, words) in enumerate(spec)
    )
    gaps = gaps_of(text)
    assert [(g.mark, [a.text for a in g.answers]) for g in gaps] == [
        (mark, words) for mark, words in spec
    ]
    q = question(text)
    picks = {str(n): rng.randrange(len(words)) for n, (_mark, words) in enumerate(spec)}
    grade = kinds.grade(q, {"gaps": picks})
    assert 0 <= grade <= 1
    total = sum(mark for mark, _words in spec)
    earned = sum(mark for n, (mark, _w) in enumerate(spec) if picks[str(n)] == 0)
    assert grade == (Decimal(earned) / total).quantize(Decimal("0.0000001"))
