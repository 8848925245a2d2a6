"""Vietnamese text: normalisation, search keys, name parts and CLDR "vi" standard collation.

Sort keys come both as Python tuples and as byte-sortable strings for indexed SQL columns.
"""

import unicodedata

# Legacy keyboards and fonts type Icelandic eth (Ð U+00D0, ð U+00F0) for Đ/đ; they look the same.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

# --- Collation tables (CLDR vi standard tailoring of the UCA, variable=non-ignorable) ---------
#
# Primary weights: space and punctuation first (in DUCET order), then digits, then letters.
# ă â đ ê ô ơ ư are letters of their own; f j w z keep their Latin places.
_PUNCTUATION = (
    " _-\u2010\u2013\u2014"  # space, low line, hyphen-minus, hyphen, en dash, em dash
    ",;:!?.\u00b7"  # comma ... full stop, middle dot
    "'\u2018\u2019\"\u201c\u201d\u00ab\u00bb"  # straight, curly and angle quotes
    "()[]{}\u00a7@*/\\&#%\u2022`^\u00b0"  # brackets, section sign ... bullet, degree
    "+\u00f7\u00d7<=>|~\u2212$\u20ab\u20ac"  # maths (division, times, minus), dong and euro
)
_DIGITS = "0123456789"
_LETTERS = "a\u0103\u00e2bcd\u0111e\u00eafghijklmno\u00f4\u01a1pqrstu\u01b0vwxyz"
_PRIMARY = {ch: i for i, ch in enumerate(_PUNCTUATION + _DIGITS + _LETTERS, start=1)}

# Combining marks that make a separate letter from a base letter (NFD decomposes them).
_LETTER_MARKS = {
    ("a", "\u0306"): "\u0103",  # ă  (breve)
    ("a", "\u0302"): "\u00e2",  # â  (circumflex)
    ("e", "\u0302"): "\u00ea",  # ê
    ("o", "\u0302"): "\u00f4",  # ô
    ("o", "\u031b"): "\u01a1",  # ơ  (horn)
    ("u", "\u031b"): "\u01b0",  # ư
}
# Secondary weights: each character gives NO_TONE, then one weight per tone mark it carries
# (any other combining mark, e.g. a cedilla, is weighted by code point like unlisted characters).
_NO_TONE = 1
# Tone marks in CLDR order: grave, hook above, tilde, acute, dot below (huyền hỏi ngã sắc nặng).
_TONES = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}
# Tertiary weights.
_LOWER, _UPPER = 1, 2

# Weights are 16-bit and written as exactly 4 hex digits in sort_string(). A character (or mark)
# outside the tables is weighted by its code point, after every table entry: 0x0100 + cp. Code
# points from 0xEF00 up (end of the BMP, other planes, e.g. emoji) would overflow, so they take
# two weights instead, 0xF000 + (cp >> 12) then 1 + (cp & 0xFFF); code-point order is kept.
_UNLISTED_BASE = 0x0100
_UNLISTED_LIMIT = 0xEF00
_LEVEL_SEPARATOR = "0000"  # below every weight, so a shorter level sorts first


def normalize(text: str | None) -> str | None:
    """Canonical form for every stored name or text.

    Args:
        text: Any text, or None.

    Returns:
        None for None; otherwise the NFC form with Ð/ð replaced by Đ/đ, stripped, and every run
        of whitespace collapsed to one space. Tone placement is left alone (Hoà and Hòa differ).
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return " ".join(text.split())


def search_key(text: str | None) -> str:
    """Accent- and case-insensitive key for searching ("Nguyễn Văn Đức" -> "nguyen van duc").

    Args:
        text: Any text, or None.

    Returns:
        The normalized text lowercased, without combining marks, with đ as d; "" for None/"".
    """
    text = normalize(text)
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("\u0111", "d")  # đ has no decomposition


def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name written family name first.

    The first word is the family name, the last the given name, the rest the middle name(s);
    compound family names (Tôn Nữ, Âu Dương) are not recognised.

    Args:
        full_name: The full name, e.g. "Lê Thị Thu Hà"; it is normalized first.

    Returns:
        (family, middle, given), e.g. ("Lê", "Thị Thu", "Hà"); missing parts are "".
    """
    words = (normalize(full_name) or "").split(" ")
    if words == [""]:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _unlisted(code_point: int) -> tuple[int, ...]:
    """Weight(s) for a character or mark outside the tables, ordered by code point."""
    if code_point < _UNLISTED_LIMIT:
        return (_UNLISTED_BASE + code_point,)
    return (0xF000 + (code_point >> 12), 1 + (code_point & 0xFFF))


def _clusters(text: str) -> list[list[str]]:
    """NFD text as [base, mark, mark, ...] lists (a leading mark counts as a base)."""
    clusters: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if clusters and unicodedata.category(ch).startswith("M"):
            clusters[-1].append(ch)
        else:
            clusters.append([ch])
    return clusters


def sort_key(text: str) -> tuple:
    """Sort key for the CLDR Vietnamese standard collation (variable=non-ignorable).

    Primary: letters a ă â b c d đ e ê (f) g h i (j) k ... u ư v (w) x y (z), after digits,
    after space and punctuation. Secondary, left to right: tone (none, huyền, hỏi, ngã, sắc,
    nặng). Tertiary: lowercase before uppercase.

    Args:
        text: Any text (normalized first, so NFD and NFC input sort alike); None counts as "".

    Returns:
        (primary weights, secondary weights, tertiary weights), each a tuple of ints >= 1.
    """
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for base, *marks in _clusters(normalize(text) or ""):
        lower = base.lower()
        letter = lower if len(lower) == 1 else base
        accents = [_NO_TONE]
        for mark in marks:
            if (letter, mark) in _LETTER_MARKS:
                letter = _LETTER_MARKS[letter, mark]
            elif mark in _TONES:
                accents.append(_TONES[mark])
            else:
                accents.extend(_unlisted(ord(mark)))
        if letter in _PRIMARY:
            primary.append(_PRIMARY[letter])
        else:
            primary.extend(_unlisted(ord(letter)))
        secondary.extend(accents)
        tertiary.append(_UPPER if base.isupper() else _LOWER)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def sort_string(text: str) -> str:
    """The sort_key() order as an ASCII string for byte-wise comparison in SQL ORDER BY.

    Each weight is written as 4 lowercase hex digits; the three levels are joined by "0000".
    Plain comparison (SQLite BINARY, PostgreSQL COLLATE "C") of two such strings gives the same
    result as comparing the sort_key() tuples, ties included.

    Args:
        text: Any text (normalized first); None counts as "".

    Returns:
        A string of [0-9a-f] only, suitable for an indexed column.
    """
    levels = sort_key(text)
    return _LEVEL_SEPARATOR.join("".join(f"{w:04x}" for w in level) for level in levels)


def name_sort_key(full_name: str) -> tuple:
    """Sort key ordering officials the Vietnamese way: given name, then family, then middle.

    Args:
        full_name: Full name written family name first.

    Returns:
        (sort_key(given), sort_key(family), sort_key(middle)).
    """
    family, middle, given = split_name(full_name)
    return sort_key(given), sort_key(family), sort_key(middle)


def name_sort_string(full_name: str) -> str:
    """name_sort_key() as a byte-sortable string for an indexed column.

    Args:
        full_name: Full name written family name first.

    Returns:
        sort_string(given) + "." + sort_string(family) + "." + sort_string(middle); "." sorts
        below every hex digit, so a part that is a prefix of another sorts first.
    """
    family, middle, given = split_name(full_name)
    return ".".join(sort_string(part) for part in (given, family, middle))
