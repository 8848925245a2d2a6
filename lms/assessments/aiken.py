"""Moodle's Aiken question format: single-choice questions in plain text.

::

    Question text, on one line
    A) First choice
    B. Second choice
    ANSWER: B

The reader follows Moodle's importer (question/format/aiken/format.php): a line that starts with
a capital letter then ``)`` or ``.`` (``^[A-Z][).][ \\t]?``) is a choice, a line starting
``ANSWER:`` closes the question, any other line starts a new question; blank lines and lines of
one byte are skipped. Texts are stored HTML-escaped in HTML format, as Moodle stores them.
There is no feedback and no partial credit.

Besides Moodle's three errors (choice or ANSWER before a question, question left open by the
next one, fewer than two choices), this reader also reports an ANSWER letter that names no
choice and a question still open at the end of the file, both of which Moodle drops silently.
**A file with any error must not be imported at all** (Moodle's default, "stop on error").
"""

import html
import re
from collections.abc import Iterable
from decimal import Decimal

from lms.assessments.questions import (
    SINGLE_CHOICE,
    Answer,
    FileEncodingError,
    FileError,
    ParseResult,
    Question,
    decode_utf8,
    default_question_name,
    html_escape_text,
    php_trim,
    split_lines,
    strip_tags,
)
from lms.i18n import _l

__all__ = ["AikenEncodingError", "AikenError", "decode", "export", "parse"]

FORMAT_NAME = "Aiken format"
MAX_CHOICES = 26

# --- Messages (English; {placeholders} are filled in) ----------------------------------------
MSG_NOT_STARTED = _l("Question not started on line {line}")
MSG_MISSING_ANSWERS = _l("Question must have at least 2 answers on line {line}")
MSG_NOT_COMPLETE = _l("Question not completed before next question start on line {line}")
MSG_UNKNOWN_LETTER = _l('The answer "{letter}" on line {line} is not one of the choices')
MSG_NOT_FINISHED = _l("Question not completed: no ANSWER: line after line {line}")

_CHOICE = re.compile(r"[A-Z][).][ \t]?")
_ANSWER = "ANSWER:"


class AikenEncodingError(FileEncodingError):
    """The Aiken file is not UTF-8."""


class AikenError(FileError):
    """A problem in an Aiken file, with the line it is on."""


def decode(data: bytes) -> str:
    """Text of an uploaded Aiken file: UTF-8 with or without BOM, returned in NFC.

    Raises:
        AikenEncodingError: the file is in another encoding (Moodle refuses it too).
    """
    return decode_utf8(data, FORMAT_NAME, AikenEncodingError)


def _error(line: int, template: str, **params) -> AikenError:
    return AikenError.make(line, template, line=line, **params)


def parse(text: str) -> ParseResult:
    """Read Aiken text into single-choice questions, as Moodle's Aiken importer does.

    Returns:
        The questions and the errors (each with its line). **When there is any error the caller
        must import nothing**, not even the questions that did parse.
    """
    result = ParseResult()
    current: dict | None = None  # the open question: line, text, name, answers
    for number, raw in enumerate(split_lines(text), 1):
        line = php_trim(raw)
        if len(line.encode("utf-8")) < 2:  # Moodle skips lines shorter than 2 bytes
            continue
        if _CHOICE.match(line):
            if current is None:
                result.errors.append(_error(number, MSG_NOT_STARTED))
                continue
            current["answers"].append(php_trim(line[2:]))
        elif line.startswith(_ANSWER):
            if current is None:
                result.errors.append(_error(number, MSG_NOT_STARTED))
                continue
            question, current = current, None
            if len(question["answers"]) < 2:
                result.errors.append(_error(number, MSG_MISSING_ANSWERS))
                continue
            letter = php_trim(line[len(_ANSWER) :])[:1]
            right = ord(letter) - ord("A") if letter else -1
            if not 0 <= right < len(question["answers"]):
                result.errors.append(_error(number, MSG_UNKNOWN_LETTER, letter=letter))
                continue
            result.questions.append(_question(question, right))
        else:
            if current is not None:
                result.errors.append(_error(number, MSG_NOT_COMPLETE))
            current = {"line": number, "text": line, "answers": []}
    if current is not None:
        result.errors.append(_error(current["line"], MSG_NOT_FINISHED))
    return result


def _question(question: dict, right: int) -> Question:
    answers = tuple(
        Answer(
            text=html_escape_text(choice),
            fraction=Decimal(1 if index == right else 0),
            text_format="html",
            feedback_format="html",
        )
        for index, choice in enumerate(question["answers"])
    )
    return Question(
        kind=SINGLE_CHOICE,
        name=default_question_name(question["text"]),
        text=html_escape_text(question["text"]),
        text_format="html",
        general_feedback_format="html",
        answers=answers,
        line=question["line"],
    )


def _plain_line(text: str, text_format: str) -> str:
    """A text as one line of plain text (Moodle's question_utils::to_plain_text)."""
    if text_format == "html":
        text = html.unescape(strip_tags(re.sub(r"(?i)<br\s*/?>|</p>", " ", text)))
    return " ".join(text.split())


def export(questions: Iterable[Question]) -> str:
    """Write single-choice questions as Aiken.

    Texts become one line of plain text (HTML tags are dropped). Aiken cannot store feedback,
    general feedback, categories or partial credit; like Moodle's exporter these are left out
    (a partly right choice is written as a wrong one).

    Raises:
        ValueError: a question that is not single choice, has more than 26 choices, has no
            choice worth 100 %, or whose text would read back as a choice or ANSWER line.
    """
    out = []
    for question in questions:
        if question.kind != SINGLE_CHOICE:
            raise ValueError(f"Aiken can only hold single-choice questions, not {question.kind}")
        if len(question.answers) > MAX_CHOICES:
            raise ValueError(f"Aiken cannot hold more than {MAX_CHOICES} choices")
        if len(question.answers) < 2:
            raise ValueError("an Aiken question needs at least two choices")
        text = _plain_line(question.text, question.text_format)
        if len(text.encode("utf-8")) < 2 or _CHOICE.match(text) or text.startswith(_ANSWER):
            raise ValueError(f"the question text {text!r} would not read back as a question")
        lines = [text]
        right = None
        for index, answer in enumerate(question.answers):
            letter = chr(ord("A") + index)
            lines.append(f"{letter}) {_plain_line(answer.text, answer.text_format)}")
            if answer.fraction == 1:
                right = letter
        if right is None:
            raise ValueError("an Aiken question needs a choice worth 100%")
        lines.append(f"ANSWER: {right}")
        out.append("\n".join(lines) + "\n\n")
    return "".join(out)
