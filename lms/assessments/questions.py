"""Parsed questions, independent of how they are stored, and helpers shared by the importers.

A `Question` is what an importer (GIFT, Aiken) produces and what an exporter consumes. It follows
Moodle's question model closely enough that files move between the two without loss:

* fractions are `Decimal` (1 = 100 %), taken from Moodle's list of allowed grades, so 1/3 is
  `Decimal("0.3333333")` exactly as Moodle stores it;
* every text has a format: "moodle" (Moodle's auto-format), "html", "plain" or "markdown".

How the answers of each kind are laid out:

=================  ==========================================================================
kind               answers
=================  ==========================================================================
single_choice      one per choice; at least one has fraction 1 (radio buttons)
multiple_choice    one per choice; positive fractions add up to 1, wrong ones may be negative
true_false         exactly two: "True" then "False"; the right one has fraction 1, the other 0.
                   Each carries the feedback shown to a learner who picks it.
short_answer       one per accepted response (fraction may be partial); "*" matches anything
numerical          value in `text`, with `tolerance`, `min` and `max`; text "*" (no tolerance)
                   is the "any other answer" catch-all
matching           one per pair: `text` is the item, `match_text` the answer it goes with;
                   an empty `text` is an extra distractor answer (fraction 0, pairs have 1)
essay              none
description        none (not graded)
cloze              none: the gaps and their answers are written in the text, as Moodle's
                   {1:SHORTANSWER:=Paris} (lms.assessments.kinds_cloze); no GIFT form
=================  ==========================================================================
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"
NUMERICAL = "numerical"
MATCHING = "matching"
ESSAY = "essay"
DESCRIPTION = "description"
CLOZE = "cloze"  # Moodle's embedded answers: the gaps live in the text (kinds_cloze)
KINDS = (
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    TRUE_FALSE,
    SHORT_ANSWER,
    NUMERICAL,
    MATCHING,
    ESSAY,
    DESCRIPTION,
    CLOZE,
)

TEXT_FORMATS = ("moodle", "html", "plain", "markdown")

# Moodle's question_bank::fraction_options_full(): the only grades a question answer may carry.
_POSITIVE_GRADES = (
    "1 0.9 0.8333333 0.8 0.75 0.7 0.6666667 0.6 0.5 0.4 0.3333333 0.3 0.25 0.2 0.1666667 "
    "0.1428571 0.125 0.1111111 0.1 0.05"
).split()
ALLOWED_FRACTIONS: tuple[Decimal, ...] = (
    tuple(Decimal(g) for g in _POSITIVE_GRADES)
    + (Decimal("0"),)
    + tuple(-Decimal(g) for g in reversed(_POSITIVE_GRADES))
)
# Moodle's match_grade_options() treats grades closer than this as equal.
_GRADE_TOLERANCE = Decimal("0.00001")

GRADES_ERROR = "error"  # a grade not in the list is an error (Moodle's default import option)
GRADES_NEAREST = "nearest"  # round it to the nearest allowed grade
GRADE_MODES = (GRADES_ERROR, GRADES_NEAREST)

# What PHP's trim() removes: Moodle trims with it, and it leaves e.g. no-break spaces alone.
PHP_WHITESPACE = " \t\n\r\0\x0b"

DEFAULT_QUESTION_NAME = "Question name"  # Moodle's get_string('questionname', 'question')
_NAME_LENGTH = 255  # the question.name column
_DEFAULT_NAME_LENGTH = 80  # create_default_question_name() shortens the text to this


@dataclass(frozen=True)
class Answer:
    """One answer (choice, accepted response, numerical value or matching pair) of a question.

    `tolerance`, `min` and `max` are set for numerical values only (None for the "*" catch-all);
    `match_text` for matching pairs only.
    """

    text: str
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    text_format: str = "moodle"
    feedback_format: str = "moodle"
    tolerance: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    match_text: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.fraction, Decimal):
            raise TypeError(f"fraction must be a Decimal, not {type(self.fraction).__name__}")
        _check_format(self.text_format)
        _check_format(self.feedback_format)


@dataclass(frozen=True)
class Question:
    """A parsed question. `line` is where it starts in the source file (1-based; 0 if built in
    code); it is position metadata, so it takes no part in equality. `extra` holds anything a
    format carries that has no field here (nothing, for GIFT and Aiken)."""

    kind: str
    name: str
    text: str
    text_format: str = "moodle"
    general_feedback: str = ""
    general_feedback_format: str = "moodle"
    answers: tuple[Answer, ...] = ()
    category: str | None = None
    idnumber: str | None = None
    tags: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown question kind {self.kind!r}")
        _check_format(self.text_format)
        _check_format(self.general_feedback_format)
        if not isinstance(self.answers, tuple) or not isinstance(self.tags, tuple):
            raise TypeError("answers and tags must be tuples")

    @property
    def is_graded(self) -> bool:
        """False for a description, which only shows text."""
        return self.kind != DESCRIPTION


def _check_format(text_format: str) -> None:
    if text_format not in TEXT_FORMATS:
        raise ValueError(f"unknown text format {text_format!r}")


@dataclass(frozen=True)
class FileError:
    """A problem found in an import file.

    `message` is the English text; `template` is the module-level message constant it was made
    from and `params` its placeholders, so the web layer can translate it later.
    """

    line: int
    message: str
    template: str = field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @classmethod
    def make(cls, line: int, template: str, /, **params: Any):
        """Build an error from a message constant and its placeholder values (a constant
        without placeholders is used as it is, so it may contain braces)."""
        values = {key: str(value) for key, value in params.items()}
        message = template.format(**values) if values else template
        return cls(line, message, template, tuple(values.items()))

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ParseResult:
    """What an importer found.

    `questions` are the questions that parsed; `errors` the problems that stop an import;
    `warnings` things that are allowed but probably not meant; `categories` every category the
    file switches to, in order (a category may have no questions). A caller must import nothing
    when `errors` is not empty (as Moodle does with its default "stop on error").
    """

    questions: list[Question] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    warnings: list[FileError] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return not self.errors


class FileEncodingError(ValueError):
    """The uploaded file is not UTF-8 text."""


ENCODING_MESSAGE = (
    "The file you selected does not use UTF-8 character encoding. "
    "{format_name} files must use UTF-8."
)


def decode_utf8(data: bytes, format_name: str, error_class: type[FileEncodingError]) -> str:
    """Decode an uploaded question file as Moodle's validate_is_utf8_file() requires.

    A leading UTF-8 byte-order mark is dropped. The text comes back in Unicode NFC, so Vietnamese
    typed with combining tone marks (e.g. converted from Windows-1258) matches precomposed text.

    Raises:
        error_class: when the bytes are not valid UTF-8 (Windows-1252, UTF-16, TCVN3 ...).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise error_class(ENCODING_MESSAGE.format(format_name=format_name)) from None
    return unicodedata.normalize("NFC", text)


def split_lines(text: str) -> list[str]:
    """Lines of a file whose endings may be LF, CRLF or (old Mac) CR, without the endings."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return re.split(r"\r\n|\r|\n", text)


def php_trim(text: str) -> str:
    """Strip the characters PHP's trim() strips, and no others."""
    return text.strip(PHP_WHITESPACE)


def match_grade(fraction: Decimal, mode: str = GRADES_ERROR) -> Decimal | None:
    """The allowed Moodle grade equal to `fraction`, as match_grade_options() finds it.

    With mode "error", a grade within 0.00001 of an allowed one counts as that grade (so 33.333 %
    is 0.3333333); anything else gives None. With mode "nearest" the closest grade is returned.
    """
    if mode not in GRADE_MODES:
        raise ValueError(f"unknown grade mode {mode!r}")
    best = min(ALLOWED_FRACTIONS, key=lambda grade: abs(grade - fraction))
    if mode == GRADES_NEAREST or abs(best - fraction) < _GRADE_TOLERANCE:
        return best
    return None


def format_percent(fraction: Decimal) -> str:
    """A fraction as the percentage GIFT writes between % signs: 0.5 → "50", 1 → "100"."""
    text = format((fraction * 100).normalize(), "f")
    return "0" if text in ("-0", "") else text


def html_escape_text(text: str) -> str:
    """Escape & < > as PHP's htmlspecialchars(..., ENT_NOQUOTES) does (quotes are left alone)."""
    return html.escape(text, quote=False)


_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")


def strip_tags(text: str) -> str:
    """Remove HTML tags (and comments), keeping the text between them."""
    return _TAG.sub("", text)


def shorten(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters at a word boundary, ending with "..."."""
    if len(text) <= length:
        return text
    cut = text[: length - 3]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut + "..."


def clean_question_name(name: str) -> str:
    """A name safe to store: tags removed, trimmed, at most 255 characters (Moodle's
    clean_question_name(), with its PARAM_TEXT cleaning approximated by stripping tags)."""
    return php_trim(shorten(php_trim(strip_tags(name)), _NAME_LENGTH))


def default_question_name(text: str) -> str:
    """The name Moodle gives a question that has none: the start of its text, up to 80
    characters, or "Question name" when that comes out empty."""
    return (
        clean_question_name(shorten(php_trim(strip_tags(text)), _DEFAULT_NAME_LENGTH))
        or DEFAULT_QUESTION_NAME
    )
