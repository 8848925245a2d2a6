"""GIFT's words and characters, shared by the reader (lms.assessments.gift) and the writer: the
messages of its errors, the file's decoding, escapes, comment metadata and a question block's
lines with their line numbers."""

import re
from bisect import bisect_right

from lms.assessments.questions import (
    TEXT_FORMATS,
    FileEncodingError,
    FileError,
    decode_utf8,
    php_trim,
)
from lms.i18n import _l

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
RESERVED = re.compile("[\ufdd0-\ufdd6]")


def _unescape_line(line: str) -> str:
    """Replace escape sequences, left to right (so \\\\{ is a backslash then a real brace)."""
    return _ESCAPE_SEQUENCE.sub(
        lambda m: "\\" if m.group(1) == "\\" else _ESCAPED[m.group(1)], line
    )


def restore(text: str) -> str:
    return text.translate(_RESTORE)


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
WEIGHT = re.compile(r"%(-*)([0-9]{1,2}\.?[0-9]*)%")
NUMBER_PATTERN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
TRUE_FALSE_TOKENS = ("T", "TRUE", "F", "FALSE")
BLANK = "_____"


class BlockError(Exception):
    def __init__(self, offset: int, template: str, **params):
        super().__init__(template)
        self.offset = offset
        self.template = template
        self.params = params


class Block:
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


def with_format(raw: str, default: str) -> tuple[str, str]:
    """(format, text) of a text that may start with [html], [moodle], [plain] or [markdown]."""
    if raw.startswith("["):
        end = raw.find("]")
        if end > 0 and raw[1:end] in TEXT_FORMATS:
            return raw[1:end], php_trim(restore(raw[end + 1 :]))
    return default, php_trim(restore(raw))


def split_feedback(raw: str, default: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Answer and feedback, each (format, text), split at the first #."""
    answer, hash_, feedback = raw.partition("#")
    fb = with_format(php_trim(feedback), default) if hash_ else (default, "")
    return with_format(php_trim(answer), default), fb
