"""Questions written as Moodle XML (what Moodle's importer reads; lms.assessments.moodle_xml
reads it back to the same questions). Built with ElementTree, so every text is escaped."""

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from decimal import Decimal

from lms.assessments.questions import (
    CLOZE,
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
    format_percent,
)

_FORMATS = {"html": "html", "moodle": "moodle_auto_format", "plain": "plain_text"}
_FORMATS["markdown"] = "markdown"
_TYPES = {
    SINGLE_CHOICE: "multichoice",
    MULTIPLE_CHOICE: "multichoice",
    TRUE_FALSE: "truefalse",
    SHORT_ANSWER: "shortanswer",
    NUMERICAL: "numerical",
    MATCHING: "matching",
    ESSAY: "essay",
    DESCRIPTION: "description",
    CLOZE: "cloze",  # the gaps are in the question text, as Moodle writes them
}


def _text(parent, tag: str, value: str, text_format: str | None = None):
    node = ET.SubElement(parent, tag)
    if text_format is not None:
        node.set("format", _FORMATS.get(text_format, "moodle_auto_format"))
    ET.SubElement(node, "text").text = value or ""
    return node


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _question(root, question: Question) -> None:
    node = ET.SubElement(root, "question", type=_TYPES[question.kind])
    _text(node, "name", question.name)
    _text(node, "questiontext", question.text, question.text_format)
    _text(node, "generalfeedback", question.general_feedback, question.general_feedback_format)
    if question.idnumber:
        ET.SubElement(node, "idnumber").text = question.idnumber
    if question.kind in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        ET.SubElement(node, "single").text = "true" if question.kind == SINGLE_CHOICE else "false"
        ET.SubElement(node, "shuffleanswers").text = "true"
    if question.kind == MATCHING:
        for answer in question.answers:
            sub = _text(node, "subquestion", answer.text, answer.text_format)
            _text(sub, "answer", answer.match_text or "")
    elif question.kind not in (ESSAY, DESCRIPTION):
        for answer in question.answers:
            text = answer.text.lower() if question.kind == TRUE_FALSE else answer.text
            item = _text(node, "answer", text, answer.text_format)
            item.set("fraction", format_percent(answer.fraction))
            _text(item, "feedback", answer.feedback, answer.feedback_format)
            if question.kind == NUMERICAL and answer.text != "*":
                ET.SubElement(item, "tolerance").text = _decimal(answer.tolerance or Decimal(0))
    if question.tags:
        tags = ET.SubElement(node, "tags")
        for tag in question.tags:
            _text(tags, "tag", tag)


def export(questions: Iterable[Question]) -> str:
    """The questions as a Moodle XML file (UTF-8 text), a category entry before each change of
    category."""
    root = ET.Element("quiz")
    category = None
    for question in questions:
        if question.category is not None and question.category != category:
            category = question.category
            node = ET.SubElement(root, "question", type="category")
            _text(node, "category", category)
        _question(root, question)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
