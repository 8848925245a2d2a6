"""Moodle's GIFT question format, written: `export(questions)` gives the text Moodle's importer
(and lms.assessments.gift.parse) reads back as the same questions."""

import re
from collections.abc import Iterable
from decimal import Decimal

from lms.assessments.gift_text import NUMBER_PATTERN
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
    format_percent,
    php_trim,
)


class CannotWrite(ValueError):
    """A question GIFT cannot express; `code` names the rule broken, for the editor to say it
    in the reader's language ("category", "tag_unwritable", "tag_metadata", "tag_chars",
    "id_unwritable", "id_metadata", "arrow"; "other" for the rest)."""

    def __init__(self, message: str, code: str = "other"):
        super().__init__(message)
        self.code = code


def _escape(text: str) -> str:
    """Escape text for writing, as Moodle's repchar(): \\ # = ~ { } : and line breaks."""
    text = text.replace("\r", "").replace("\\", "\\\\")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _write_text(text: str, text_format: str, default: str) -> str:
    """A text with its format prefix when it differs from `default`, escaped.

    The prefix is also written when the text itself starts with "[" or "%", which the reader
    would otherwise take for a format or a weight."""
    text = php_trim(text.replace("\r", ""))
    prefix = ""
    if text_format != default or text.startswith(("[", "%")):
        prefix = f"[{text_format}]"
    return prefix + _escape(text)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _feedback(answer: Answer, text_format: str) -> str:
    written = _write_text(answer.feedback, answer.feedback_format, text_format)
    return "#" + written if written else ""


def _comment_text(text: str) -> str:
    """Text safe inside a // comment: one line, and no [ ] that could read as [id:] or [tag:]."""
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


def _metadata_line(question: Question) -> str:
    bits = []
    values = ([("id", question.idnumber)] if question.idnumber else []) + [
        ("tag", tag) for tag in question.tags
    ]
    for key, value in values:
        if value != php_trim(value) or value.endswith("\\") or re.search(r"[\x00-\x1f\x7f]", value):
            raise CannotWrite(f"the {key} {value!r} cannot be written in GIFT", f"{key}_unwritable")
        if "[id:" in value or "[tag:" in value:
            raise CannotWrite(
                f"the {key} {value!r} cannot contain [id: or [tag:", f"{key}_metadata"
            )
        if key == "tag" and re.search("[<>`]", value):
            raise CannotWrite(f"the tag {value!r} cannot contain < > or `", "tag_chars")
        escaped = value.replace("]", "\\]")
        bits.append(f"[{key}:{escaped}]")
    return "// " + " ".join(bits) + "\n" if bits else ""


def _no_arrow(text: str, what: str) -> None:
    if "->" in text:
        raise CannotWrite(f"{what} cannot contain '->' in GIFT: {text!r}", "arrow")


def _answers_block(question: Question) -> str:
    """The {…} part of a question (empty for a description)."""
    kind, fmt, answers = question.kind, question.text_format, question.answers
    general = _write_text(question.general_feedback, question.general_feedback_format, fmt)
    general_line = f"\t####{general}\n" if general else ""
    general_inline = f"####{general}" if general else ""

    if kind == DESCRIPTION:
        if general:
            raise CannotWrite("a description cannot have general feedback in GIFT")
        return ""
    if kind == ESSAY:
        return "{" + general_inline + "}"
    if kind == TRUE_FALSE:
        if len(answers) != 2:
            raise CannotWrite("a true/false question has exactly two answers (True, False)")
        true_answer, false_answer = answers
        is_true = true_answer.fraction == 1
        right, wrong = (true_answer, false_answer) if is_true else (false_answer, true_answer)
        right_text = _write_text(right.feedback, right.feedback_format, fmt)
        wrong_text = _write_text(wrong.feedback, wrong.feedback_format, fmt)
        out = "{" + ("TRUE" if is_true else "FALSE")
        if wrong_text or right_text:
            out += "#" + wrong_text
        if right_text:
            out += "#" + right_text
        return out + general_inline + "}"

    lines = []
    if kind in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        if len(answers) < 2:
            raise CannotWrite("a choice question needs at least two answers")
        full = [answer.fraction == 1 for answer in answers]
        if kind == SINGLE_CHOICE and not any(full):
            raise CannotWrite("a single-choice question needs an answer worth 100%")
        all_full = all(full)
        for index, answer in enumerate(answers):
            if not php_trim(answer.text):
                raise CannotWrite("a choice cannot be empty")
            if kind == SINGLE_CHOICE and full[index] and (index == 0 or not all_full):
                mark = "="
            elif answer.fraction == 0:
                mark = "~"
            else:
                mark = f"~%{format_percent(answer.fraction)}%"
            text = _write_text(answer.text, answer.text_format, fmt)
            lines.append(f"\t{mark}{text}{_feedback(answer, fmt)}\n")
        opening = "{\n"
    elif kind == SHORT_ANSWER:
        if not answers:
            raise CannotWrite("a short-answer question needs an answer")
        for answer in answers:
            if not php_trim(answer.text):
                raise CannotWrite("a short answer cannot be empty")
            _no_arrow(answer.text, "a short answer")
            _no_arrow(answer.feedback, "short-answer feedback")
            text = _write_text(answer.text, "plain", "plain")
            feedback = _write_text(answer.feedback, answer.feedback_format, fmt)
            lines.append(f"\t=%{format_percent(answer.fraction)}%{text}#{feedback}\n")
        opening = "{\n"
    elif kind == NUMERICAL:
        values = [answer for answer in answers if answer.text != "*"]
        if not values:
            raise CannotWrite("a numerical question needs a numerical answer")
        for index, answer in enumerate(answers):
            feedback = _write_text(answer.feedback, answer.feedback_format, fmt)
            weight = format_percent(answer.fraction)
            if answer.text == "*":
                if index == len(answers) - 1 and answer.fraction == 0:
                    lines.append(f"\t~#{feedback}\n")
                else:
                    lines.append(f"\t=%{weight}%*#{feedback}\n")
                continue
            if not NUMBER_PATTERN.fullmatch(answer.text):
                raise CannotWrite(f"{answer.text!r} is not a number")
            tolerance = _decimal_text(answer.tolerance or Decimal(0))
            lines.append(f"\t=%{weight}%{answer.text}:{tolerance}#{feedback}\n")
        opening = "{#\n"
    elif kind == MATCHING:
        if len(answers) < 2:
            raise CannotWrite("a matching question needs at least two items")
        for answer in answers:
            _no_arrow(answer.text, "a matching item")
            match = php_trim(answer.match_text or "")
            if not match:
                raise CannotWrite("a matching item needs an answer")
            item = _write_text(answer.text, answer.text_format, fmt)
            lines.append(f"\t={item} -> {_escape(match)}\n")
        opening = "{\n"
    else:  # pragma: no cover - Question validates its kind
        raise CannotWrite(f"unknown question kind {kind!r}")
    return opening + "".join(lines) + general_line + "}"


def export(questions: Iterable[Question], *, comments: bool = True) -> str:
    """Write questions as GIFT that `parse` (and Moodle) reads back as the same questions.

    Follows Moodle's exporter: a ``$CATEGORY:`` block whenever the category changes, then per
    question an optional ``// question: N  name: …`` comment (`comments`), a ``// [id:…]
    [tag:…]`` line when there is metadata, ``::name::`` and the text, and the answers as
    ``=``/``~%50%`` choices, ``=%100%answer#feedback`` short answers, ``=%100%3:2#`` numerical
    values with ``~#feedback`` for any other answer, ``{TRUE#wrong#right}`` and ``=item -> answer``.
    Texts are written trimmed, with ``\\r`` dropped. Unlike Moodle, a format prefix is also
    written for an empty text in a non-default format and for a text starting with ``[`` or
    ``%``, and a single-choice question whose choices are all 100 % writes the extra ones as
    ``~%100%``, so that every question reads back exactly.

    Raises:
        CannotWrite (a ValueError): a question GIFT cannot express (e.g. "->" in a matching
            item or short answer, a single-choice question with no 100% answer, a category
            after questions without one, a category or tag that cannot be written).
    """
    out = []
    category = None
    for number, question in enumerate(questions, 1):
        if question.category != category:
            path = question.category
            if path is None:
                raise CannotWrite("GIFT cannot go back to no category after a $CATEGORY line")
            if not php_trim(path) or re.search(r"[\r\n]", path):
                raise CannotWrite(f"the category {path!r} cannot be written in GIFT", "category")
            if comments:
                out.append(f"// question: 0  name: switch category to {_comment_text(path)}\n")
            escaped = php_trim(path).replace("\\", "\\\\")
            out.append(f"$CATEGORY: {escaped}\n\n")
            category = path
        if comments:
            out.append(f"// question: {number}  name: {_comment_text(question.name)}\n")
        out.append(_metadata_line(question))
        out.append("::" + _escape(php_trim(question.name)) + "::")
        out.append(_write_text(question.text, question.text_format, "moodle"))
        out.append(_answers_block(question) + "\n\n")
    return "".join(out)
