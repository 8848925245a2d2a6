"""Moodle XML, the format Moodle exports question banks in by default: read into Questions.

The reader follows Moodle's importer (question/format/xml/format.php) for the types this bank
has: multichoice (single or multiple answers), truefalse, shortanswer, numerical, matching,
essay and description, with categories (``<question type="category">``), names, idnumbers,
tags, text formats, general and per-answer feedback. Grades are percentages from Moodle's list
(33.33333 is allowed, 33 is not: an error, as Moodle's default "error if grade not listed").

Cloze (embedded answers, ``type="cloze"``) is read as Moodle's qtype_multianswer reads it
(lms.assessments.kinds_cloze): a text whose gaps cannot be read is an error on its question,
naming the gap. Any other type (calculated, drag-and-drop…) is an error on that question, so
a file holding one imports nothing; embedded files (``<file>``, ``@@PLUGINFILE@@``) are
dropped with a warning. The XML is read with defusedxml: a DTD, an entity declaration or an external
reference is refused (no "billion laughs", no file reads), as is a file over MAX_BYTES, one
that is not UTF-8 or one that is cut short. Errors name the line of their question.
"""

import re
import xml.etree.ElementTree as StdET
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from lms.assessments import kinds_cloze
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
    Answer,
    FileEncodingError,
    FileError,
    ParseResult,
    Question,
    clean_question_name,
    decode_utf8,
    default_question_name,
    match_grade,
)
from lms.i18n import _l

__all__ = ["MAX_BYTES", "XmlError", "decode", "parse"]

FORMAT_NAME = "Moodle XML"
MAX_BYTES = 20 * 1024 * 1024  # a bank with a few images; larger files are refused

MSG_NOT_XML = _l("The file is not valid XML: {reason}")
MSG_FORBIDDEN = _l(
    "The file declares a DTD or entities, which are refused for safety: export it again from Moodle"
)
MSG_NO_QUIZ = _l("The file is not a Moodle XML question file (no <quiz> element)")
MSG_TOO_LARGE = _l("The file is larger than {mb} MB")
MSG_UNKNOWN_TYPE = _l('Question "{name}": the type "{type}" cannot be imported into this bank')
MSG_BAD_GRADE = _l('Question "{name}": Moodle does not allow the grade {grade}%')
MSG_NO_ANSWERS = _l('Question "{name}": it has no answers')
MSG_NO_RIGHT = _l('Question "{name}": no answer is fully right')
MSG_BAD_NUMBER = _l('Question "{name}": "{value}" is not a number')
MSG_FILES_DROPPED = _l('Question "{name}": embedded files are not imported ({files})')

# Moodle's text formats (FORMAT_*) by their XML names.
_FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
KNOWN_TYPES = (
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
    "cloze",
)


class XmlError(FileError):
    """A problem in a Moodle XML file, with the line it is on."""


class XmlEncodingError(FileEncodingError):
    """The file is not UTF-8."""


def decode(data: bytes) -> str:
    """The file's text, if it is UTF-8 (with or without BOM) and its declaration names no
    other encoding; NFC.

    Raises:
        XmlEncodingError: another encoding (Moodle writes only UTF-8).
    """
    text = decode_utf8(data, FORMAT_NAME, XmlEncodingError)
    declared = re.match(r"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", text)
    if declared and declared.group(1).lower() not in ("utf-8", "utf8"):
        raise XmlEncodingError(f"The file declares the encoding {declared.group(1)}; {FORMAT_NAME}")
    return text


class _Lines(StdET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self):
        super().__init__()
        self.parser = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber if self.parser else 0
        return element


def _tree(text: str):
    builder = _Lines()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    # The text is already decoded: feed it as UTF-8 bytes without its declaration's encoding.
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    parser.feed(body.encode("utf-8"))
    return parser.close(), builder.lines


def parse(text: str) -> ParseResult:
    """Questions of a Moodle XML file. A result with errors must not be imported at all."""
    result = ParseResult()
    if len(text.encode("utf-8")) > MAX_BYTES:
        result.errors.append(XmlError.make(1, MSG_TOO_LARGE, mb=MAX_BYTES // (1024 * 1024)))
        return result
    try:
        root, lines = _tree(text)
    except DefusedXmlException:
        result.errors.append(XmlError.make(1, MSG_FORBIDDEN))
        return result
    except StdET.ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else 1
        reason = re.sub(r": line \d+, column \d+$", "", str(error))
        result.errors.append(XmlError.make(line, MSG_NOT_XML, reason=reason))
        return result
    if root.tag != "quiz":
        result.errors.append(XmlError.make(lines.get(id(root), 1), MSG_NO_QUIZ))
        return result
    category = None
    for element in root.findall("question"):
        line = lines.get(id(element), 0)
        kind = element.get("type", "")
        if kind == "category":
            category = _text(element, "category") or None
            if category is not None:
                result.categories.append(category)
            continue
        _read_question(element, kind, line, category, result)
    return result


def _read_question(element, kind: str, line: int, category, result: ParseResult) -> None:
    text, text_format = _formatted(element, "questiontext")
    name = clean_question_name(_text(element, "name")) or default_question_name(text)
    if kind not in KNOWN_TYPES:
        result.errors.append(XmlError.make(line, MSG_UNKNOWN_TYPE, name=name, type=kind))
        return
    files = [f.get("name", "?") for f in element.iter("file")]
    files += [(i.text or "?").strip() for i in element.iter("image") if (i.text or "").strip()]
    if files or "@@PLUGINFILE@@" in StdET.tostring(element, encoding="unicode"):
        shown = ", ".join(files) or "@@PLUGINFILE@@"
        result.warnings.append(XmlError.make(line, MSG_FILES_DROPPED, name=name, files=shown))
    feedback, feedback_format = _formatted(element, "generalfeedback")
    if kind == "cloze":
        problems = kinds_cloze.parse_gaps(text)[1]
        for problem in problems:
            values = dict(problem.params)
            result.errors.append(XmlError.make(line, problem.template, name=name, **values))
        if problems:
            return
        answers, kind = (), CLOZE
    else:
        try:
            answers, kind = _answers(element, kind, name, line)
        except _Problem as problem:
            result.errors.append(problem.error)
            return
    tags = tuple(t for t in (_text(tag) for tag in element.findall("tags/tag")) if t)
    result.questions.append(
        Question(
            kind=kind,
            name=name,
            text=text,
            text_format=text_format,
            general_feedback=feedback,
            general_feedback_format=feedback_format,
            answers=answers,
            category=category,
            idnumber=_text(element, "idnumber") or None,
            tags=tags,
            line=line,
        )
    )


class _Problem(Exception):
    def __init__(self, error: XmlError):
        super().__init__(error.message)
        self.error = error


def _text(element, path: str | None = None) -> str:
    """The trimmed text of `path`'s <text> (or of the element's own <text>)."""
    node = element.find(path) if path else element
    if node is None:
        return ""
    inner = node.find("text")
    value = inner.text if inner is not None else node.text
    return (value or "").strip()


def _formatted(element, path: str) -> tuple[str, str]:
    node = element.find(path)
    if node is None:
        return "", "moodle"
    return _text(node), _FORMATS.get(node.get("format", ""), "moodle")


def _fraction(answer, name: str, line: int) -> Decimal:
    raw = answer.get("fraction", "0")
    try:
        grade = match_grade(Decimal(raw) / 100)
    except InvalidOperation:
        grade = None
    if grade is None:
        raise _Problem(XmlError.make(line, MSG_BAD_GRADE, name=name, grade=raw))
    return grade


def _answer(answer, name: str, line: int, **extra) -> Answer:
    text, text_format = _text(answer), _FORMATS.get(answer.get("format", ""), "moodle")
    feedback, feedback_format = _formatted(answer, "feedback")
    return Answer(
        text=text,
        fraction=_fraction(answer, name, line),
        feedback=feedback,
        text_format=text_format,
        feedback_format=feedback_format,
        **extra,
    )


def _answers(element, kind: str, name: str, line: int) -> tuple[tuple[Answer, ...], str]:
    """The answers and our kind of a question of Moodle type `kind`."""
    nodes = element.findall("answer")
    if kind in ("essay", "description"):
        return (), ESSAY if kind == "essay" else DESCRIPTION
    if kind == "matching":
        pairs = []
        for sub in element.findall("subquestion"):
            item = _text(sub)
            pairs.append(
                Answer(
                    text=item,
                    fraction=Decimal(1 if item else 0),
                    text_format=_FORMATS.get(sub.get("format", ""), "moodle"),
                    match_text=_text(sub, "answer"),
                )
            )
        if not any(a.text for a in pairs):
            raise _Problem(XmlError.make(line, MSG_NO_ANSWERS, name=name))
        return tuple(pairs), MATCHING
    if not nodes:
        raise _Problem(XmlError.make(line, MSG_NO_ANSWERS, name=name))
    if kind == "truefalse":
        by_word = {}
        for node in nodes:
            word = "True" if _text(node).lower() == "true" else "False"
            by_word[word] = _answer(node, name, line)
        answers = tuple(
            Answer(
                text=word,
                fraction=Decimal(1)
                if by_word.get(word) and by_word[word].fraction > 0
                else Decimal(0),
                feedback=by_word[word].feedback if word in by_word else "",
                feedback_format=by_word[word].feedback_format if word in by_word else "moodle",
            )
            for word in ("True", "False")
        )
        return answers, TRUE_FALSE
    if kind == "numerical":
        answers = []
        for node in nodes:
            answers.append(_number(node, name, line))
        return tuple(answers), NUMERICAL
    answers = tuple(_answer(node, name, line) for node in nodes)
    if kind == "shortanswer":
        if not any(a.fraction == 1 for a in answers):
            raise _Problem(XmlError.make(line, MSG_NO_RIGHT, name=name))
        return answers, SHORT_ANSWER
    single = _text(element, "single").lower() in ("true", "1", "")
    if single and not any(a.fraction == 1 for a in answers):
        raise _Problem(XmlError.make(line, MSG_NO_RIGHT, name=name))
    return answers, SINGLE_CHOICE if single else MULTIPLE_CHOICE


def _number(node, name: str, line: int) -> Answer:
    value = _text(node)
    base = _answer(node, name, line)
    if value == "*":
        return Answer("*", base.fraction, base.feedback, "plain", base.feedback_format)
    try:
        centre = Decimal(value)
        tolerance = Decimal(_text(node, "tolerance") or "0")
    except InvalidOperation:
        raise _Problem(XmlError.make(line, MSG_BAD_NUMBER, name=name, value=value)) from None
    if not centre.is_finite() or not tolerance.is_finite():
        raise _Problem(XmlError.make(line, MSG_BAD_NUMBER, name=name, value=value))
    return Answer(
        text=value,
        fraction=base.fraction,
        feedback=base.feedback,
        text_format="plain",
        feedback_format=base.feedback_format,
        tolerance=tolerance,
        min=centre - abs(tolerance),
        max=centre + abs(tolerance),
    )
