"""Moodle's GIFT question format: import (`parse`) and export (`export`).

The reader follows Moodle's importer (question/format/gift/format.php with qformat_default's
line handling) step by step, so a file imports here as it would into Moodle:

* The file is split into blocks at blank lines; every line is trimmed. Lines starting with
  ``//`` are comments; ``[id:…]`` and ``[tag:…]`` inside a block's comments give its idnumber and
  tags. A block of comments only is skipped.
* ``\\~ \\= \\# \\{ \\} \\:`` are escaped characters, ``\\n`` a line break and ``\\\\`` a
  backslash; any other backslash stays as typed.
* ``$CATEGORY: path`` sets the category of the questions that follow.
* ``::name::``, then ``[html]``/``[moodle]``/``[plain]``/``[markdown]``, then the text with one
  ``{…}`` answer block anywhere in it (text after the block makes it a missing-word question: the
  block is shown as ``_____``). No block makes a description.
* The answer block decides the kind: ``{}`` essay, ``{#…}`` numerical, any ``~`` multiple
  choice (single choice when some answer starts with ``=``), ``=… -> …`` matching,
  ``{T}``/``{TRUE}``/``{F}``/``{FALSE}`` true/false, anything else short answer.
  ``####`` starts the general feedback, ``#`` an answer's feedback, ``%n%`` a weight.

Where Moodle would silently import something other than what the author meant, this reader
reports an error instead (see the ``MSG_*`` constants): text before the first ``~``/``=`` of a
multiple-choice block, ``=%50%`` in a multiple-choice block, empty answers, a matching item with
nothing after ``->``, a second answer block, a ``$CATEGORY`` line followed by a question without
a blank line, numerical values that are not numbers (Moodle turns them into "accept anything",
e.g. for a decimal comma ``3,14``), text between ``~`` and ``#`` after numerical answers, and
grades outside Moodle's list. Escapes in a ``$CATEGORY`` path are restored (Moodle keeps its
internal placeholders there).

**A file with any error must not be imported at all** (Moodle's default, "stop on error"):
callers check `ParseResult.errors` and import nothing unless it is empty.

Messages are plain English module constants (with ``{placeholders}``), so the web layer can
translate them; every error carries the line it was found on.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal, DecimalException

from lms.assessments.questions import (
    DESCRIPTION,
    ESSAY,
    GRADES_ERROR,
    GRADES_NEAREST,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TEXT_FORMATS,
    TRUE_FALSE,
    Answer,
    FileEncodingError,
    FileError,
    ParseResult,
    Question,
    clean_question_name,
    decode_utf8,
    default_question_name,
    format_percent,
    match_grade,
    php_trim,
    split_lines,
)
from lms.i18n import _l

__all__ = [
    "GRADES_ERROR",
    "GRADES_NEAREST",
    "GiftEncodingError",
    "GiftError",
    "ParseResult",
    "decode",
    "export",
    "extract_metadata",
    "parse",
]

FORMAT_NAME = "GIFT format"

# --- Messages (English; {placeholders} are filled in) ----------------------------------------
MSG_MISSING_CLOSE_BRACE = _l("Could not find a } to close the answers")
MSG_MISSING_OPEN_BRACE = _l("Could not find a { before this }")
MSG_EXTRA_BRACE = _l(
    "A question can have only one {…} answer block: write a literal brace as \\{ or \\}, "
    "and leave a blank line between two questions"
)
MSG_CATEGORY_NOT_ALONE = _l(
    "Leave a blank line after the $CATEGORY line; a question follows it here"
)
MSG_EMPTY_CATEGORY = _l("The $CATEGORY line gives no category")
MSG_NOT_ENOUGH_ANSWERS = _l(
    "There are not enough answers for this question type (at least {minimum})"
)
MSG_EMPTY_ANSWER = _l("This answer is empty")
MSG_TEXT_BEFORE_CHOICES = _l(
    "Unknown answer syntax: each choice must start with = (right) or ~ (wrong), "
    'but "{text}" comes before the first one'
)
MSG_WEIGHT_AFTER_EQUALS = _l(
    "Unknown answer syntax: = always means 100%; for a partly right choice write ~%{weight}%"
)
MSG_BAD_WEIGHT = _l('The answer weight "%{weight}%" is not a number')
MSG_INVALID_GRADE = _l("Moodle does not allow the grade {grade}%")
MSG_MATCHING_FORMAT = _l('Matching question answers must be written "=item -> answer"')
MSG_MATCHING_NO_ANSWER = _l("This matching item has nothing after ->")
MSG_NO_NUMERICAL_ANSWERS = _l("No answers found for numerical question")
MSG_NOT_A_NUMBER = _l('"{value}" is not a number (write e.g. 3, 3.14, 3.14:0.01 or 3.1..3.2)')
MSG_CATCH_ALL_SYNTAX = _l(
    'Unknown answer syntax: after ~ a numerical question takes only "#feedback" '
    "for any other answer"
)
MSG_RESERVED_CHARACTER = _l("The line contains a character reserved for internal use (U+{code})")
WARN_MULTI_TOTAL = _l(
    "The positive grades of this multiple-answer question add up to {total}%, not 100%"
)
WARN_FEW_PAIRS = _l("A matching question needs at least two items with an answer")


class GiftEncodingError(FileEncodingError):
    """The GIFT file is not UTF-8."""


class GiftError(FileError):
    """A problem in a GIFT file, with the line it is on."""


def decode(data: bytes) -> str:
    """Text of an uploaded GIFT file: UTF-8 with or without BOM, returned in NFC.

    Raises:
        GiftEncodingError: the file is in another encoding (Moodle refuses it too).
    """
    return decode_utf8(data, FORMAT_NAME, GiftEncodingError)


# --- Escapes ---------------------------------------------------------------------------------
# Escaped characters become Unicode noncharacters while the structure is parsed (Moodle uses
# "&&058;"-style placeholders) and are restored in each text at the end.
_ESCAPED = {":": "\ufdd0", "#": "\ufdd1", "=": "\ufdd2", "{": "\ufdd3", "}": "\ufdd4"}
_ESCAPED |= {"~": "\ufdd5", "n": "\ufdd6"}
_RESTORE = str.maketrans({code: ("\n" if char == "n" else char) for char, code in _ESCAPED.items()})
_ESCAPE_SEQUENCE = re.compile(r"\\([\\:#={}~n])")
_RESERVED = re.compile("[\ufdd0-\ufdd6]")


def _unescape_line(line: str) -> str:
    """Replace escape sequences, left to right (so \\\\{ is a backslash then a real brace)."""
    return _ESCAPE_SEQUENCE.sub(
        lambda m: "\\" if m.group(1) == "\\" else _ESCAPED[m.group(1)], line
    )


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _escape(text: str) -> str:
    """Escape text for writing, as Moodle's repchar(): \\ # = ~ { } : and line breaks."""
    text = text.replace("\r", "").replace("\\", "\\\\")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


# --- Metadata in comments --------------------------------------------------------------------
_ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])*)\]")


def extract_metadata(comment: str) -> tuple[str | None, tuple[str, ...]]:
    """The idnumber and tags declared in a question's comment lines.

    ``[id:x]`` gives the idnumber (the first one counts) and each ``[tag:y]`` a tag; values are
    trimmed and ``\\]`` stands for ``]``. A token broken over two lines does not count.
    """
    idnumber = None
    found = _ID_TOKEN.search(comment)
    if found:
        idnumber = php_trim(found.group(1)).replace("\\]", "]") or None
    tags = tuple(
        tag for raw in _TAG_TOKEN.findall(comment) if (tag := php_trim(raw).replace("\\]", "]"))
    )
    return idnumber, tags


# --- Reading ---------------------------------------------------------------------------------
_WEIGHT = re.compile(r"%(-*)([0-9]{1,2}\.?[0-9]*)%")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")
_BLANK = "_____"


class _BlockError(Exception):
    def __init__(self, offset: int, template: str, **params):
        super().__init__(template)
        self.offset = offset
        self.template = template
        self.params = params


class _Block:
    """One question's lines joined as Moodle joins them, with escapes replaced, and a map from
    offsets in that text back to line numbers in the file."""

    def __init__(self, lines: list[tuple[int, str]]):
        comments, parts = [], []
        for _, line in lines:
            if line.startswith("//"):
                comments.append(line + "\n")
                parts.append(" ")
            else:
                parts.append(_unescape_line(line))
        self.comment = "".join(comments)
        self.numbers = [number for number, _ in lines]
        self.starts, offset = [], 0
        for part in parts:
            self.starts.append(offset)
            offset += len(part) + 1
        self.text = "\n".join(parts)

    def line(self, offset: int) -> int:
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """The span [start, end) without PHP-trim whitespace at either end."""
        text = self.text
        while start < end and text[start] in " \t\n\r\0\x0b":
            start += 1
        while end > start and text[end - 1] in " \t\n\r\0\x0b":
            end -= 1
        return start, end


def _with_format(raw: str, default: str) -> tuple[str, str]:
    """(format, text) of a text that may start with [html], [moodle], [plain] or [markdown]."""
    if raw.startswith("["):
        end = raw.find("]")
        if end > 0 and raw[1:end] in TEXT_FORMATS:
            return raw[1:end], php_trim(_restore(raw[end + 1 :]))
    return default, php_trim(_restore(raw))


def _split_feedback(raw: str, default: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Answer and feedback, each (format, text), split at the first #."""
    answer, hash_, feedback = raw.partition("#")
    fb = _with_format(php_trim(feedback), default) if hash_ else (default, "")
    return _with_format(php_trim(answer), default), fb


class _Reader:
    def __init__(self, grades: str):
        self.grades = grades
        self.result = ParseResult()
        self.category: str | None = None

    # Blocks ---------------------------------------------------------------------------------
    def read_block(self, lines: list[tuple[int, str]]) -> None:
        block = _Block(lines)
        start, end = block.trim(0, len(block.text))
        if start == end:
            return  # comments only
        try:
            question = self.read_question(block, start, end)
        except _BlockError as problem:
            self.result.errors.append(
                GiftError.make(block.line(problem.offset), problem.template, **problem.params)
            )
        else:
            if question is not None:
                self.result.questions.append(question)

    def warn(self, block: _Block, offset: int, template: str, **params) -> None:
        self.result.warnings.append(GiftError.make(block.line(offset), template, **params))

    def read_question(self, block: _Block, start: int, end: int) -> Question | None:
        text = block.text
        first = start
        if text.startswith("$CATEGORY:", start):
            path_start, path_end = block.trim(start + len("$CATEGORY:"), end)
            newline = text.find("\n", path_start, path_end)
            if newline != -1:
                raise _BlockError(newline + 1, MSG_CATEGORY_NOT_ALONE)
            if path_start == path_end:
                raise _BlockError(start, MSG_EMPTY_CATEGORY)
            self.category = _restore(text[path_start:path_end])
            self.result.categories.append(self.category)
            return None

        name = None
        if text.startswith("::", start):
            start += 2
            name_end = text.find("::", start, end)
            if name_end != -1:
                name = clean_question_name(_restore(text[start:name_end])) or None
                start, end = block.trim(name_end + 2, end)

        opening, closing = text.find("{", start, end), text.find("}", start, end)
        if opening == -1 and closing == -1:
            kind, answers_start, answers_end = DESCRIPTION, start, start
            question_raw = text[start:end]
        else:
            if closing == -1:
                raise _BlockError(opening, MSG_MISSING_CLOSE_BRACE)
            if opening == -1 or closing < opening:
                raise _BlockError(closing, MSG_MISSING_OPEN_BRACE)
            for extra in (text.find("{", opening + 1, end), text.find("}", closing + 1, end)):
                if extra != -1:
                    raise _BlockError(extra, MSG_EXTRA_BRACE)
            kind = None
            answers_start, answers_end = block.trim(opening + 1, closing)
            blank = "" if closing == end - 1 else _BLANK
            question_raw = text[start:opening] + blank + text[closing + 1 : end]

        general_raw = ""
        separator = text.rfind("####", answers_start, answers_end)
        if separator != -1:
            general_raw = text[separator + 4 : answers_end]
            answers_start, answers_end = block.trim(answers_start, separator)

        text_format, question_text = _with_format(question_raw, "moodle")
        general_format, general = _with_format(general_raw, text_format)
        idnumber, tags = extract_metadata(block.comment)
        answer_text = text[answers_start:answers_end]
        span = (block, answers_start, answers_end, text_format, opening)

        answers: tuple[Answer, ...] = ()
        if kind == DESCRIPTION:
            pass
        elif answer_text == "":
            kind = ESSAY
        elif answer_text.startswith("#"):
            kind, answers = NUMERICAL, self.numerical(*span)
        elif "~" in answer_text:
            kind, answers = self.choices(*span)
        elif "=" in answer_text and "->" in answer_text:
            kind, answers = MATCHING, self.matching(*span)
        else:
            check = answer_text
            if answer_text.find("#") > 0:
                check = php_trim(answer_text[: answer_text.find("#")])
            if check in _TRUE_FALSE:
                kind, answers = TRUE_FALSE, self.true_false(answer_text, text_format)
            else:
                kind, answers = SHORT_ANSWER, self.short_answer(*span)

        return Question(
            kind=kind,
            name=name or default_question_name(question_text),
            text=question_text,
            text_format=text_format,
            general_feedback=general,
            general_feedback_format=general_format,
            answers=answers,
            category=self.category,
            idnumber=idnumber,
            tags=tags,
            line=block.line(first),
        )

    # Answer helpers -------------------------------------------------------------------------
    @staticmethod
    def pieces(block: _Block, start: int, end: int, starts_new: str, kept: str = ""):
        """Split [start, end) at each character in `starts_new` (dropped) or in `kept` (which
        begins the next piece), as Moodle's explode() does; yield each piece as a trimmed
        (start, end) span, the piece before the first separator included."""
        text, begin = block.text, start
        for index in range(start, end):
            if text[index] in starts_new or text[index] in kept:
                yield block.trim(begin, index)
                begin = index + 1 if text[index] in starts_new else index
        yield block.trim(begin, end)

    def grade(self, fraction: Decimal, offset: int) -> Decimal:
        grade = match_grade(fraction, self.grades)
        if grade is None:
            raise _BlockError(offset, MSG_INVALID_GRADE, grade=format_percent(fraction))
        return grade

    @staticmethod
    def weight(text: str, offset: int) -> tuple[Decimal, str] | None:
        """(fraction, rest) when `text` starts with a %n% weight, else None."""
        found = _WEIGHT.match(text)
        if not found:
            return None
        minus, digits = found.groups()
        if len(minus) > 1:
            raise _BlockError(offset, MSG_BAD_WEIGHT, weight=minus + digits)
        value = Decimal(digits) / 100
        return (-value if minus else value), text[found.end() :]

    def choices(self, block, start, end, text_format, brace) -> tuple[str, tuple[Answer, ...]]:
        text = block.text
        kind = SINGLE_CHOICE if "=" in text[start:end] else MULTIPLE_CHOICE
        spans = list(self.pieces(block, start, end, "~", "="))
        first = spans.pop(0)
        if first[0] != first[1]:
            raw = _restore(text[first[0] : first[1]])
            raise _BlockError(first[0], MSG_TEXT_BEFORE_CHOICES, text=raw)
        if len(spans) < 2:
            raise _BlockError(brace, MSG_NOT_ENOUGH_ANSWERS, minimum=2)
        answers = []
        for piece_start, piece_end in spans:
            raw = text[piece_start:piece_end]
            if raw.startswith("="):
                fraction, raw = Decimal(1), raw[1:]
                if found := _WEIGHT.match(raw):
                    raise _BlockError(piece_start, MSG_WEIGHT_AFTER_EQUALS, weight=found.group(2))
            elif weighted := self.weight(raw, piece_start):
                fraction, raw = weighted
            else:
                fraction = Decimal(0)
            (answer_format, answer), (feedback_format, feedback) = _split_feedback(raw, text_format)
            if not answer:
                raise _BlockError(piece_start, MSG_EMPTY_ANSWER)
            answers.append(
                Answer(
                    text=answer,
                    fraction=self.grade(fraction, piece_start),
                    feedback=feedback,
                    text_format=answer_format,
                    feedback_format=feedback_format,
                )
            )
        if kind == MULTIPLE_CHOICE:
            total = sum((a.fraction for a in answers if a.fraction > 0), Decimal(0))
            if round(total, 2) != 1:
                self.warn(block, brace, WARN_MULTI_TOTAL, total=format_percent(total))
        return kind, tuple(answers)

    def matching(self, block, start, end, text_format, brace) -> tuple[Answer, ...]:
        text = block.text
        spans = list(self.pieces(block, start, end, "="))
        if spans[0][0] == spans[0][1]:
            spans.pop(0)
        if len(spans) < 2:
            raise _BlockError(brace, MSG_NOT_ENOUGH_ANSWERS, minimum=2)
        answers = []
        for piece_start, piece_end in spans:
            raw = text[piece_start:piece_end]
            arrow = raw.find("->")
            if arrow == -1:
                raise _BlockError(piece_start, MSG_MATCHING_FORMAT)
            item_format, item = _with_format(raw[:arrow], text_format)
            match = php_trim(_restore(raw[arrow + 2 :]))
            if not match:
                raise _BlockError(piece_start, MSG_MATCHING_NO_ANSWER)
            answers.append(
                Answer(
                    text=item,
                    fraction=Decimal(1 if item else 0),
                    text_format=item_format,
                    feedback_format=text_format,
                    match_text=match,
                )
            )
        if sum(1 for answer in answers if answer.text) < 2:
            self.warn(block, brace, WARN_FEW_PAIRS)
        return tuple(answers)

    @staticmethod
    def true_false(answer_text: str, text_format: str) -> tuple[Answer, ...]:
        bits = answer_text.split("#", 2) + ["", ""]
        _, value = _with_format(php_trim(bits[0]), text_format)
        wrong_format, wrong = _with_format(php_trim(bits[1]), text_format)
        right_format, right = _with_format(php_trim(bits[2]), text_format)
        is_true = value in ("T", "TRUE")
        right_answer = (right, right_format)
        wrong_answer = (wrong, wrong_format)
        true_feedback, false_feedback = (
            (right_answer, wrong_answer) if is_true else (wrong_answer, right_answer)
        )
        return (
            Answer(
                text="True",
                fraction=Decimal(1 if is_true else 0),
                feedback=true_feedback[0],
                text_format="plain",
                feedback_format=true_feedback[1],
            ),
            Answer(
                text="False",
                fraction=Decimal(0 if is_true else 1),
                feedback=false_feedback[0],
                text_format="plain",
                feedback_format=false_feedback[1],
            ),
        )

    def weighted_answers(self, block, start, end, text_format, brace, message, **params):
        """Each `=` answer between start and end, as (position, fraction, value, feedback
        format, feedback); `message` when there is none, an error on an empty one."""
        spans = list(self.pieces(block, start, end, "="))
        if spans[0][0] == spans[0][1]:
            spans.pop(0)
        if not spans:
            raise _BlockError(brace, message, **params)
        for piece_start, piece_end in spans:
            raw = block.text[piece_start:piece_end]
            fraction = Decimal(1)
            if weighted := self.weight(raw, piece_start):
                fraction, raw = weighted
            (_, value), (feedback_format, feedback) = _split_feedback(raw, text_format)
            if not value:
                raise _BlockError(piece_start, MSG_EMPTY_ANSWER)
            yield piece_start, fraction, value, feedback_format, feedback

    def short_answer(self, block, start, end, text_format, brace) -> tuple[Answer, ...]:
        pieces = self.weighted_answers(
            block, start, end, text_format, brace, MSG_NOT_ENOUGH_ANSWERS, minimum=1
        )
        return tuple(
            Answer(
                text=answer,
                fraction=self.grade(fraction, position),
                feedback=feedback,
                text_format="plain",
                feedback_format=feedback_format,
            )
            for position, fraction, answer, feedback_format, feedback in pieces
        )

    def numerical(self, block, start, end, text_format, brace) -> tuple[Answer, ...]:
        text = block.text
        start += 1  # the leading #
        tilde = text.find("~", start, end)
        catch_all, block_end = None, end
        if tilde != -1:
            catch_all, end = tilde, tilde
        answers = []
        pieces = self.weighted_answers(
            block, start, end, text_format, brace, MSG_NO_NUMERICAL_ANSWERS
        )
        for position, fraction, value, feedback_format, feedback in pieces:
            numbers = self.number(value, position)
            answers.append(
                Answer(
                    text=numbers[0],
                    fraction=self.grade(fraction, position),
                    feedback=feedback,
                    text_format="plain",
                    feedback_format=feedback_format,
                    tolerance=numbers[1],
                    min=numbers[2],
                    max=numbers[3],
                )
            )
        if catch_all is not None:
            rest = text[slice(*block.trim(catch_all + 1, block_end))]
            if rest and not rest.startswith("#"):
                raise _BlockError(catch_all, MSG_CATCH_ALL_SYNTAX)
            feedback_format, feedback = _with_format(php_trim(rest[1:]), text_format)
            answers.append(
                Answer(
                    text="*",
                    fraction=Decimal(0),
                    feedback=feedback,
                    text_format="plain",
                    feedback_format=feedback_format,
                )
            )
        return tuple(answers)

    @staticmethod
    def number(value: str, offset: int):
        """(text, tolerance, min, max) of a numerical answer: N, N:T or MIN..MAX; "*" is any."""
        try:
            return _Reader._number(value, offset)
        except DecimalException:  # e.g. an exponent too large to compute with
            raise _BlockError(offset, MSG_NOT_A_NUMBER, value=value) from None

    @staticmethod
    def _number(value: str, offset: int):
        if value == "*":
            return "*", None, None, None
        if value.find("..") > 0:
            low, _, high = value.partition("..")
            low, high = php_trim(low), php_trim(high)
            for part in (low, high):
                if not _NUMBER.fullmatch(part):
                    raise _BlockError(offset, MSG_NOT_A_NUMBER, value=part)
            middle = (Decimal(low) + Decimal(high)) / 2
            number, tolerance = format(middle.normalize(), "f"), Decimal(high) - middle
        elif value.find(":") > 0:
            number, _, tolerance_text = value.partition(":")
            number, tolerance_text = php_trim(number), php_trim(tolerance_text)
            for part in (number, tolerance_text):
                if not _NUMBER.fullmatch(part):
                    raise _BlockError(offset, MSG_NOT_A_NUMBER, value=part)
            tolerance = Decimal(tolerance_text)
        else:
            number, tolerance = value, Decimal(0)
            if not _NUMBER.fullmatch(number):
                raise _BlockError(offset, MSG_NOT_A_NUMBER, value=number)
        centre = Decimal(number)
        return number, tolerance, centre - abs(tolerance), centre + abs(tolerance)


def parse(text: str, *, grades: str = GRADES_ERROR) -> ParseResult:
    """Read GIFT text into questions, as Moodle's GIFT importer does.

    Args:
        text: the file's text (see `decode` for the bytes of an upload).
        grades: "error" (default, as Moodle) makes a weight that is not one of Moodle's grades
            an error; "nearest" rounds it to the nearest allowed grade.

    Returns:
        The questions found, the errors (each with its line) and warnings. **When there is any
        error the caller must import nothing**, not even the questions that did parse.
    """
    reader = _Reader(grades)
    lines = split_lines(text)
    for number, line in enumerate(lines, 1):
        if found := _RESERVED.search(line):
            code = f"{ord(found.group()):04X}"
            reader.result.errors.append(GiftError.make(number, MSG_RESERVED_CHARACTER, code=code))
    if reader.result.errors:
        return reader.result
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        line = php_trim(line)
        if line:
            block.append((number, line))
        elif block:
            reader.read_block(block)
            block = []
    if block:
        reader.read_block(block)
    return reader.result


# --- Writing ---------------------------------------------------------------------------------
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
            raise ValueError(f"the {key} {value!r} cannot be written in GIFT")
        if "[id:" in value or "[tag:" in value:
            raise ValueError(f"the {key} {value!r} cannot contain [id: or [tag:")
        if key == "tag" and re.search("[<>`]", value):
            raise ValueError(f"the tag {value!r} cannot contain < > or `")
        escaped = value.replace("]", "\\]")
        bits.append(f"[{key}:{escaped}]")
    return "// " + " ".join(bits) + "\n" if bits else ""


def _no_arrow(text: str, what: str) -> None:
    if "->" in text:
        raise ValueError(f"{what} cannot contain '->' in GIFT: {text!r}")


def _answers_block(question: Question) -> str:
    """The {…} part of a question (empty for a description)."""
    kind, fmt, answers = question.kind, question.text_format, question.answers
    general = _write_text(question.general_feedback, question.general_feedback_format, fmt)
    general_line = f"\t####{general}\n" if general else ""
    general_inline = f"####{general}" if general else ""

    if kind == DESCRIPTION:
        if general:
            raise ValueError("a description cannot have general feedback in GIFT")
        return ""
    if kind == ESSAY:
        return "{" + general_inline + "}"
    if kind == TRUE_FALSE:
        if len(answers) != 2:
            raise ValueError("a true/false question has exactly two answers (True, False)")
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
            raise ValueError("a choice question needs at least two answers")
        full = [answer.fraction == 1 for answer in answers]
        if kind == SINGLE_CHOICE and not any(full):
            raise ValueError("a single-choice question needs an answer worth 100%")
        all_full = all(full)
        for index, answer in enumerate(answers):
            if not php_trim(answer.text):
                raise ValueError("a choice cannot be empty")
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
            raise ValueError("a short-answer question needs an answer")
        for answer in answers:
            if not php_trim(answer.text):
                raise ValueError("a short answer cannot be empty")
            _no_arrow(answer.text, "a short answer")
            _no_arrow(answer.feedback, "short-answer feedback")
            text = _write_text(answer.text, "plain", "plain")
            feedback = _write_text(answer.feedback, answer.feedback_format, fmt)
            lines.append(f"\t=%{format_percent(answer.fraction)}%{text}#{feedback}\n")
        opening = "{\n"
    elif kind == NUMERICAL:
        values = [answer for answer in answers if answer.text != "*"]
        if not values:
            raise ValueError("a numerical question needs a numerical answer")
        for index, answer in enumerate(answers):
            feedback = _write_text(answer.feedback, answer.feedback_format, fmt)
            weight = format_percent(answer.fraction)
            if answer.text == "*":
                if index == len(answers) - 1 and answer.fraction == 0:
                    lines.append(f"\t~#{feedback}\n")
                else:
                    lines.append(f"\t=%{weight}%*#{feedback}\n")
                continue
            if not _NUMBER.fullmatch(answer.text):
                raise ValueError(f"{answer.text!r} is not a number")
            tolerance = _decimal_text(answer.tolerance or Decimal(0))
            lines.append(f"\t=%{weight}%{answer.text}:{tolerance}#{feedback}\n")
        opening = "{#\n"
    elif kind == MATCHING:
        if len(answers) < 2:
            raise ValueError("a matching question needs at least two items")
        for answer in answers:
            _no_arrow(answer.text, "a matching item")
            match = php_trim(answer.match_text or "")
            if not match:
                raise ValueError("a matching item needs an answer")
            item = _write_text(answer.text, answer.text_format, fmt)
            lines.append(f"\t={item} -> {_escape(match)}\n")
        opening = "{\n"
    else:  # pragma: no cover - Question validates its kind
        raise ValueError(f"unknown question kind {kind!r}")
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
        ValueError: a question GIFT cannot express (e.g. "->" in a matching item or short
            answer, a single-choice question with no 100% answer, a category after questions
            without one, a category or tag that cannot be written).
    """
    out = []
    category = None
    for number, question in enumerate(questions, 1):
        if question.category != category:
            path = question.category
            if path is None:
                raise ValueError("GIFT cannot go back to no category after a $CATEGORY line")
            if not php_trim(path) or re.search(r"[\r\n]", path):
                raise ValueError(f"the category {path!r} cannot be written in GIFT")
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
