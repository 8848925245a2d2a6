"""Moodle XML (lms.assessments.moodle_xml and _export) against Moodle's own fixtures: per file,
the questions and their types are those Moodle imports (a table; Cloze included, and the types
this bank still refuses are listed with why); XML → GIFT → XML keeps every question's meaning
(a Cloze question goes XML → XML: GIFT cannot carry it); malformed input (another encoding,
cut short, entities, a DTD, oversize, unknown types) is refused with its line and nothing
parsed half."""

from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest

from lms.assessments import gift, gift_export, kinds_cloze, moodle_xml, moodle_xml_export
from lms.assessments.categories import course_path, localise
from lms.assessments.questions import CLOZE, FileEncodingError
from tests.shared_fixtures import FIXTURES, require

pytestmark = pytest.mark.usefixtures("english")

XML = FIXTURES / "moodle" / "xml"
TF, ESSAY, SHORT, SINGLE = "true_false", "essay", "short_answer", "single_choice"

# What Moodle 4.5 imports from each fixture (its importer and tests; PROVENANCE.md §1), and
# what this bank does: the same questions, or the file refused with an error per question.
MOODLE_IMPORTS = [
    # file, Moodle's questions by type, ours (None: the same), errors we report
    ("categories_reverse_order.xml", {ESSAY: 1, SHORT: 1}, None, 0),
    ("category_with_description.xml", {TF: 1}, None, 0),
    ("export_category.xml", {TF: 1}, None, 0),
    ("html_chars_in_idnumbers.xml", {TF: 1}, None, 0),
    ("multichoice.xml", {SINGLE: 1}, None, 0),
    ("nested_categories.xml", {TF: 1}, None, 0),
    ("nested_categories_with_questions.xml", {TF: 4, ESSAY: 1}, None, 0),
    ("old_format_file.xml", {TF: 2}, None, 0),
    ("truefalse.xml", {TF: 2}, None, 0),
    ("multianswer.xml", {CLOZE: 1}, None, 0),
    ("sample_questions_with_old_image_tag.xml", {SINGLE: 1, CLOZE: 1}, None, 0),
    # Moodle refuses these too: a grade of 33 %, and five broken cloze questions (no gap,
    # a gap {1:MULTICHOICE} with no choices, one choice, no fully right answer, NUMERICAL
    # "zero"), each reported with its question.
    ("error_invalid_grades.xml", {}, None, 1),
    ("broken_cloze_questions.xml", {}, None, 5),
]
# Moodle types this bank still refuses (none is in the fixtures), and why: the file imports
# nothing and each such question is reported by line and name.
REFUSED = {
    "calculated": "answers computed from wildcards {x} drawn per attempt: no equivalent",
    "calculatedsimple": "the same, with simpler wildcards",
    "calculatedmulti": "choices computed from wildcards",
    "ddwtos": "drag-and-drop into the text: a drag-and-drop interaction",
    "gapselect": "drop-down gaps grouped by sets: not Moodle's Cloze syntax",
    "ddimageortext": "drag-and-drop onto an image",
    "ddmarker": "markers dropped on an image",
    "randomsamatch": "matching built from random short-answer questions of a category",
    "ordering": "put items in order: no equivalent",
}


def read(name: str):
    return moodle_xml.parse(moodle_xml.decode(require(XML / name).read_bytes()))


@pytest.mark.parametrize(("name", "moodle", "ours", "errors"), MOODLE_IMPORTS)
def test_each_fixture_imports_what_moodle_imports(name, moodle, ours, errors):
    result = read(name)
    assert Counter(q.kind for q in result.questions) == Counter(moodle if ours is None else ours)
    assert len(result.errors) == errors, [str(e) for e in result.errors]


def test_every_fixture_is_in_the_table():
    listed = {row[0] for row in MOODLE_IMPORTS}
    assert {p.name for p in require(XML).glob("*.xml")} == listed


def test_fields_come_through_as_moodle_stores_them():
    (question,) = read("multichoice.xml").questions
    assert question.name == "Greeting" and question.text_format == "html"
    assert question.category == "$course$/Default for testhead/Multichoice"
    assert [a.fraction for a in question.answers] == [0, 1, 0, 0]
    assert question.answers[1].feedback == "<p>Yes, well done!</p>"
    (tf,) = read("html_chars_in_idnumbers.xml").questions
    assert tf.idnumber == "T & F"  # entities of the XML decoded
    assert [a.text for a in tf.answers] == ["True", "False"]
    nested = read("nested_categories_with_questions.xml")
    assert {q.category for q in nested.questions} >= {"$course$/Iota/Kappa/Lambda"}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_the_types_still_refused_are_reported_by_line_and_name(kind):
    text = f"<quiz>\n<question type='{kind}'><name><text>Q</text></name></question></quiz>"
    result = moodle_xml.parse(text)
    assert not result.questions and [(e.line, e.message) for e in result.errors] == [
        (2, f'Question "Q": the type "{kind}" cannot be imported into this bank')
    ]


def test_a_cloze_question_comes_through_with_its_gaps():
    (question,) = read("multianswer.xml").questions
    assert question.kind == CLOZE and question.name == "cloze with images"
    gaps = kinds_cloze.gaps_of(question.text)
    assert [g.kind for g in gaps] == ["choice"] * 4 + ["short"]
    assert [(a.text, a.fraction) for a in gaps[4].answers] == [
        ("Paris", 1),
        ("Marseille", Decimal("0.5")),
        ("*", 0),
    ]
    back = moodle_xml.parse(moodle_xml_export.export([question]))
    assert back.questions == [question]  # Moodle XML carries it unchanged


def test_broken_cloze_questions_are_reported_per_question_and_gap():
    errors = [(e.line, e.message) for e in read("broken_cloze_questions.xml").errors]
    assert errors == [
        (4, 'Question "Multianswer question without subquestions": no embedded answer was '
         "found; write gaps such as {1:SHORTANSWER:=Paris} in the text"),
        (20, 'Question "Multichoice subquestion without choices": no embedded answer was '
         "found; write gaps such as {1:SHORTANSWER:=Paris} in the text"),
        (36, 'Question "Multichoice subquestion with only one choice", gap 1: a multiple '
         "choice needs at least two choices"),
        (52, 'Question "Multichoice subquestion with no completely correct answer", gap 1: no '
         "answer is fully right (= or %100%)"),
        (68, 'Question "Numerical subquestion with buggy answer", gap 1: "zero" is not a number '
         "(or *)"),
    ]  # fmt: skip


def test_bad_grades_are_reported_by_line_and_name():
    grade = read("error_invalid_grades.xml").errors[0]
    assert grade.line == 4 and "grade 33%" in grade.message


def test_embedded_files_are_dropped_with_a_warning():
    (warning,) = read("multichoice.xml").warnings
    assert "bonjour.mp3" in warning.message and "flag-uk.jpg" in warning.message


def _meaning(question):
    """What a question means, whatever format carried it."""
    answers = tuple(
        (a.text, a.fraction, a.feedback, a.tolerance, a.match_text) for a in question.answers
    )
    texts = (question.text, question.text_format, question.general_feedback)
    return (question.kind, question.name, *texts, question.idnumber, question.tags, answers)


BANK = """$CATEGORY: TX01/Luật

::L1::Luật Cán bộ, công chức có hiệu lực từ năm nào?{=2010#Đúng rồi ~2008#Chưa đúng ~2019}

::L2::Công chức phải báo cáo bằng văn bản.{T#sai#đúng####Điều 9}

::M1::Chọn các nguyên tắc{~%50%công khai ~%50%minh bạch ~%-100%tùy tiện}

::N1::15 tiết bằng mấy tín chỉ?{#1:0.5#Đúng}

::S1::Thủ đô của Việt Nam?{=Hà Nội =%50%Ha Noi#gần đúng}

::G1::Ghép{=Luật -> Quốc hội =Nghị định -> Chính phủ = -> Bộ}

::E1::Trình bày ý kiến của anh/chị.{}

::D1::Phần tiếp theo nói về công vụ.
"""


@pytest.mark.parametrize(
    "name",
    [row[0] for row in MOODLE_IMPORTS if row[3] == 0],
)
def test_xml_to_gift_to_xml_keeps_the_meaning(name):
    questions = [q for q in read(name).questions if q.kind != CLOZE]  # GIFT has no Cloze
    as_gift = gift.parse(gift_export.export(questions))
    assert not as_gift.errors, [str(e) for e in as_gift.errors]
    assert [_meaning(q) for q in as_gift.questions] == [_meaning(q) for q in questions]
    back = moodle_xml.parse(moodle_xml_export.export(as_gift.questions))
    assert not back.errors
    assert [_meaning(q) for q in back.questions] == [_meaning(q) for q in questions]
    assert [q.category for q in back.questions] == [q.category for q in questions]


def test_our_gift_to_xml_to_gift_keeps_the_meaning_of_every_type():
    ours = gift.parse(BANK)
    assert not ours.errors and len(ours.questions) == 8
    xml_text = moodle_xml_export.export(ours.questions)
    back = moodle_xml.parse(xml_text)
    assert not back.errors, [str(e) for e in back.errors]
    assert [_meaning(q) for q in back.questions] == [_meaning(q) for q in ours.questions]
    again = gift.parse(gift_export.export(back.questions))
    assert [_meaning(q) for q in again.questions] == [_meaning(q) for q in ours.questions]
    assert back.questions[3].answers[0].tolerance == Decimal("0.5")


def test_a_file_in_another_encoding_is_refused():
    data = require(XML / "truefalse.xml").read_bytes()
    with pytest.raises(FileEncodingError):
        moodle_xml.decode(data.replace(b"<quiz>", "<quiz><!-- aö -->".encode("cp1252")))
    with pytest.raises(FileEncodingError):
        moodle_xml.decode(b'<?xml version="1.0" encoding="ISO-8859-1"?><quiz/>')


def test_a_file_cut_short_is_refused_with_its_line():
    text = require(XML / "nested_categories_with_questions.xml").read_text()
    result = moodle_xml.parse(text[: len(text) // 2])
    assert not result.questions and len(result.errors) == 1
    assert "not valid XML" in result.errors[0].message and result.errors[0].line > 1


@pytest.mark.parametrize(
    "text",
    [
        # billion laughs
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<quiz><question type='essay'><name><text>&lol2;</text></name></question></quiz>",
        # an external entity (a file read)
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<quiz><question type='essay'><name><text>&x;</text></name></question></quiz>",
        # a DTD alone
        '<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.invalid/q.dtd"><quiz/>',
    ],
)
def test_dtds_and_entities_are_refused(text):
    result = moodle_xml.parse(text)
    assert not result.questions and len(result.errors) == 1
    assert "DTD" in result.errors[0].message


def test_an_oversize_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(moodle_xml, "MAX_BYTES", 100)
    result = moodle_xml.parse("<quiz>" + " " * 200 + "</quiz>")
    assert not result.questions and "larger than" in result.errors[0].message


def test_an_unknown_type_stops_the_whole_file_but_each_is_reported():
    text = (
        "<quiz>"
        "<question type='essay'><name><text>E</text></name>"
        "<questiontext format='html'><text>Viết</text></questiontext></question>"
        "<question type='calculated'><name><text>C</text></name></question>"
        "<question type='ddwtos'><name><text>D</text></name></question>"
        "</quiz>"
    )
    result = moodle_xml.parse(text)
    assert [e.message for e in result.errors] == [
        'Question "C": the type "calculated" cannot be imported into this bank',
        'Question "D": the type "ddwtos" cannot be imported into this bank',
    ]
    assert not result.ok  # a caller imports nothing (the essay included)


def test_a_file_that_is_not_a_question_file_is_refused():
    assert "no <quiz>" in moodle_xml.parse("<html><body/></html>").errors[0].message


def test_names_default_as_moodle_names_them():
    text = (
        "<quiz><question type='essay'><name><text></text></name>"
        "<questiontext><text>Trình bày ý kiến</text></questiontext></question></quiz>"
    )
    (question,) = moodle_xml.parse(text).questions
    assert question.name == "Trình bày ý kiến" and question.text_format == "moodle"
    assert replace(question, name="x").name == "x"


@pytest.mark.parametrize(
    ("path", "local"),
    [
        ("$course$/top/Iota/Kappa", "Iota/Kappa"),
        ("$course$/Iota/Kappa", "Iota/Kappa"),
        ("$system$/top/Default for System", "Default for System"),
        ("$module$/top/A", "A"),
        ("$cat$/top/A", "A"),
        ("$course$/top", ""),
        ("$course$", ""),
        ("top/A/topic", "A/topic"),
        ("topic/A", "topic/A"),
        ("Một/Hai", "Một/Hai"),
        ("$other$/A", "$other$/A"),
        (None, None),
    ],
)
def test_a_moodle_category_path_is_mapped_into_the_course(path, local):
    assert course_path(path) == local


def test_a_parse_is_localised_for_the_bank():
    result = localise(read("nested_categories_with_questions.xml"))
    assert "Iota/Kappa/Lambda" in {q.category for q in result.questions}
    assert "Iota" in result.categories and not any("$" in c for c in result.categories)
