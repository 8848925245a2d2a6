"""Moodle's GIFT question format: the import (`parse`); the export is lms.assessments.gift_export.

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

from decimal import Decimal, DecimalException

from lms.assessments.gift_text import (  # noqa: F401  (MSG_* and the errors are gift's API)
    BLANK,
    FORMAT_NAME,
    MSG_BAD_WEIGHT,
    MSG_CATCH_ALL_SYNTAX,
    MSG_CATEGORY_NOT_ALONE,
    MSG_EMPTY_ANSWER,
    MSG_EMPTY_CATEGORY,
    MSG_EXTRA_BRACE,
    MSG_INVALID_GRADE,
    MSG_MATCHING_FORMAT,
    MSG_MATCHING_NO_ANSWER,
    MSG_MISSING_CLOSE_BRACE,
    MSG_MISSING_OPEN_BRACE,
    MSG_NO_NUMERICAL_ANSWERS,
    MSG_NOT_A_NUMBER,
    MSG_NOT_ENOUGH_ANSWERS,
    MSG_RESERVED_CHARACTER,
    MSG_TEXT_BEFORE_CHOICES,
    MSG_WEIGHT_AFTER_EQUALS,
    NUMBER_PATTERN,
    RESERVED,
    TRUE_FALSE_TOKENS,
    WARN_FEW_PAIRS,
    WARN_MULTI_TOTAL,
    WEIGHT,
    Block,
    BlockError,
    GiftEncodingError,
    GiftError,
    decode,
    extract_metadata,
    restore,
    split_feedback,
    with_format,
)
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
    TRUE_FALSE,
    Answer,
    ParseResult,
    Question,
    clean_question_name,
    default_question_name,
    format_percent,
    match_grade,
    php_trim,
    split_lines,
)

__all__ = [
    "GRADES_ERROR",
    "GRADES_NEAREST",
    "GiftEncodingError",
    "GiftError",
    "ParseResult",
    "decode",
    "extract_metadata",
    "parse",
]


class _Reader:
    def __init__(self, grades: str):
        self.grades = grades
        self.result = ParseResult()
        self.category: str | None = None

    # Blocks ---------------------------------------------------------------------------------
    def read_block(self, lines: list[tuple[int, str]]) -> None:
        block = Block(lines)
        start, end = block.trim(0, len(block.text))
        if start == end:
            return  # comments only
        try:
            question = self.read_question(block, start, end)
        except BlockError as problem:
            self.result.errors.append(
                GiftError.make(block.line(problem.offset), problem.template, **problem.params)
            )
        else:
            if question is not None:
                self.result.questions.append(question)

    def warn(self, block: Block, offset: int, template: str, **params) -> None:
        self.result.warnings.append(GiftError.make(block.line(offset), template, **params))

    def read_question(self, block: Block, start: int, end: int) -> Question | None:
        text = block.text
        first = start
        if text.startswith("$CATEGORY:", start):
            path_start, path_end = block.trim(start + len("$CATEGORY:"), end)
            newline = text.find("\n", path_start, path_end)
            if newline != -1:
                raise BlockError(newline + 1, MSG_CATEGORY_NOT_ALONE)
            if path_start == path_end:
                raise BlockError(start, MSG_EMPTY_CATEGORY)
            self.category = restore(text[path_start:path_end])
            self.result.categories.append(self.category)
            return None

        name = None
        if text.startswith("::", start):
            start += 2
            name_end = text.find("::", start, end)
            if name_end != -1:
                name = clean_question_name(restore(text[start:name_end])) or None
                start, end = block.trim(name_end + 2, end)

        opening, closing = text.find("{", start, end), text.find("}", start, end)
        if opening == -1 and closing == -1:
            kind, answers_start, answers_end = DESCRIPTION, start, start
            question_raw = text[start:end]
        else:
            if closing == -1:
                raise BlockError(opening, MSG_MISSING_CLOSE_BRACE)
            if opening == -1 or closing < opening:
                raise BlockError(closing, MSG_MISSING_OPEN_BRACE)
            for extra in (text.find("{", opening + 1, end), text.find("}", closing + 1, end)):
                if extra != -1:
                    raise BlockError(extra, MSG_EXTRA_BRACE)
            kind = None
            answers_start, answers_end = block.trim(opening + 1, closing)
            blank = "" if closing == end - 1 else BLANK
            question_raw = text[start:opening] + blank + text[closing + 1 : end]

        general_raw = ""
        separator = text.rfind("####", answers_start, answers_end)
        if separator != -1:
            general_raw = text[separator + 4 : answers_end]
            answers_start, answers_end = block.trim(answers_start, separator)

        text_format, question_text = with_format(question_raw, "moodle")
        general_format, general = with_format(general_raw, text_format)
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
            if check in TRUE_FALSE_TOKENS:
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
    def pieces(block: Block, start: int, end: int, starts_new: str, kept: str = ""):
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
            raise BlockError(offset, MSG_INVALID_GRADE, grade=format_percent(fraction))
        return grade

    @staticmethod
    def weight(text: str, offset: int) -> tuple[Decimal, str] | None:
        """(fraction, rest) when `text` starts with a %n% weight, else None."""
        found = WEIGHT.match(text)
        if not found:
            return None
        minus, digits = found.groups()
        if len(minus) > 1:
            raise BlockError(offset, MSG_BAD_WEIGHT, weight=minus + digits)
        value = Decimal(digits) / 100
        return (-value if minus else value), text[found.end() :]

    def choices(self, block, start, end, text_format, brace) -> tuple[str, tuple[Answer, ...]]:
        text = block.text
        kind = SINGLE_CHOICE if "=" in text[start:end] else MULTIPLE_CHOICE
        spans = list(self.pieces(block, start, end, "~", "="))
        first = spans.pop(0)
        if first[0] != first[1]:
            raw = restore(text[first[0] : first[1]])
            raise BlockError(first[0], MSG_TEXT_BEFORE_CHOICES, text=raw)
        if len(spans) < 2:
            raise BlockError(brace, MSG_NOT_ENOUGH_ANSWERS, minimum=2)
        answers = []
        for piece_start, piece_end in spans:
            raw = text[piece_start:piece_end]
            if raw.startswith("="):
                fraction, raw = Decimal(1), raw[1:]
                if found := WEIGHT.match(raw):
                    raise BlockError(piece_start, MSG_WEIGHT_AFTER_EQUALS, weight=found.group(2))
            elif weighted := self.weight(raw, piece_start):
                fraction, raw = weighted
            else:
                fraction = Decimal(0)
            (answer_format, answer), (feedback_format, feedback) = split_feedback(raw, text_format)
            if not answer:
                raise BlockError(piece_start, MSG_EMPTY_ANSWER)
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
            raise BlockError(brace, MSG_NOT_ENOUGH_ANSWERS, minimum=2)
        answers = []
        for piece_start, piece_end in spans:
            raw = text[piece_start:piece_end]
            arrow = raw.find("->")
            if arrow == -1:
                raise BlockError(piece_start, MSG_MATCHING_FORMAT)
            item_format, item = with_format(raw[:arrow], text_format)
            match = php_trim(restore(raw[arrow + 2 :]))
            if not match:
                raise BlockError(piece_start, MSG_MATCHING_NO_ANSWER)
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
        _, value = with_format(php_trim(bits[0]), text_format)
        wrong_format, wrong = with_format(php_trim(bits[1]), text_format)
        right_format, right = with_format(php_trim(bits[2]), text_format)
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
            raise BlockError(brace, message, **params)
        for piece_start, piece_end in spans:
            raw = block.text[piece_start:piece_end]
            fraction = Decimal(1)
            if weighted := self.weight(raw, piece_start):
                fraction, raw = weighted
            (_, value), (feedback_format, feedback) = split_feedback(raw, text_format)
            if not value:
                raise BlockError(piece_start, MSG_EMPTY_ANSWER)
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
                raise BlockError(catch_all, MSG_CATCH_ALL_SYNTAX)
            feedback_format, feedback = with_format(php_trim(rest[1:]), text_format)
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
            raise BlockError(offset, MSG_NOT_A_NUMBER, value=value) from None

    @staticmethod
    def _number(value: str, offset: int):
        if value == "*":
            return "*", None, None, None
        if value.find("..") > 0:
            low, _, high = value.partition("..")
            low, high = php_trim(low), php_trim(high)
            for part in (low, high):
                if not NUMBER_PATTERN.fullmatch(part):
                    raise BlockError(offset, MSG_NOT_A_NUMBER, value=part)
            middle = (Decimal(low) + Decimal(high)) / 2
            number, tolerance = format(middle.normalize(), "f"), Decimal(high) - middle
        elif value.find(":") > 0:
            number, _, tolerance_text = value.partition(":")
            number, tolerance_text = php_trim(number), php_trim(tolerance_text)
            for part in (number, tolerance_text):
                if not NUMBER_PATTERN.fullmatch(part):
                    raise BlockError(offset, MSG_NOT_A_NUMBER, value=part)
            tolerance = Decimal(tolerance_text)
        else:
            number, tolerance = value, Decimal(0)
            if not NUMBER_PATTERN.fullmatch(number):
                raise BlockError(offset, MSG_NOT_A_NUMBER, value=number)
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
        if found := RESERVED.search(line):
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
