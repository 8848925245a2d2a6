"""Pure survey rules (no Flask, no database): masking phone and ID numbers in free text, the
satisfaction share and its Wilson interval, the QR's time-window token, the bot check's
time to fill, and when a post-training survey falls due."""

import hashlib
import hmac
import math
import re
from dataclasses import dataclass

# Kinds of item.
LIKERT, SINGLE, MULTIPLE, NUMBER, TEXT = "likert", "single", "multiple", "number", "text"
KINDS = (LIKERT, SINGLE, MULTIPLE, NUMBER, TEXT)
# The six objects of Circular 10/2017/TT-BNV, and the citizens' view of a one-stop counter.
SUBJECTS = (
    "programme",
    "learners",
    "trainers",
    "facilities",
    "course",
    "effectiveness",
    "citizen",
)
CITIZEN_CHANNEL, COURSE_CHANNEL = "citizen", "course"
CITIZEN_MAX_ITEMS = 10  # a citizen answers on a phone in under a minute
SATISFIED_FROM = 4  # Likert answers 4 and 5 count as satisfied
Z95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval
TEXT_MAX = 1000  # characters of one free-text answer

# --- personal numbers in free text -------------------------------------------------------------

MASK = "•••"
# A run of digits possibly broken by spaces, dots or dashes (how people write phone numbers),
# optionally after +84; a run of 9 to 12 digits is a phone number (10 digits, 0… or +84…),
# a citizen identity card number (CCCD, 12) or an old identity card number (CMND, 9).
_DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+\s?84[\s.\-]?)?\d(?:[\s.\-]?\d){7,13}(?!\w)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_personal_numbers(text: str) -> str:
    """`text` with every phone number (0 + 9 digits, +84 + 9 digits, spaced or dotted), CCCD
    number (12 digits) and CMND number (9 digits) replaced by •••; shorter numbers (a fee, a
    file number of a few digits, a date) are kept."""

    def replace(match: re.Match) -> str:
        digits = _digits(match.group(0))
        if match.group(0).lstrip().startswith("+"):
            digits = "0" + digits[2:]
        return MASK if 9 <= len(digits) <= 12 else match.group(0)

    return _DIGIT_RUN.sub(replace, text)


# --- the index ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A share in [0, 1] with its 95 % confidence interval."""

    share: float
    low: float
    high: float


def wilson(share: float, n: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of a share observed over `n` responses (None when n is 0).
    Stays inside [0, 1] and is sensible for small n and shares near 0 or 1."""
    if n <= 0:
        return None
    share = min(max(share, 0.0), 1.0)
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    return Interval(share, max(0.0, centre - half), min(1.0, centre + half))


def weighted_share(answers: list[tuple[float, float]]) -> float | None:
    """The share of satisfied answers weighted by item: `answers` are (Likert value, item
    weight); None when there is none. The SQL of the reports computes the same sum."""
    total = sum(weight for _value, weight in answers)
    if total <= 0:
        return None
    return sum(weight for value, weight in answers if value >= SATISFIED_FROM) / total


# --- the QR's time-window token ---------------------------------------------------------------


def window_of(epoch_seconds: float, window_seconds: int) -> int:
    """The number of the time window holding this moment."""
    return int(epoch_seconds // window_seconds)


def window_token(key: bytes, unit_code: str, window: int) -> str:
    """The token printed in the QR of `unit_code` for `window`: 16 hex characters of an
    HMAC-SHA256 under the application's key, so it cannot be made without the key."""
    message = f"satisfaction:{unit_code.upper()}:{window}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def token_is_valid(key: bytes, unit_code: str, token: str, window: int) -> bool:
    """Whether `token` is the unit's token of the current window or of the one before (a
    poster printed just before the window turned still works for one more window)."""
    token = (token or "").strip().lower()
    return any(
        hmac.compare_digest(token, window_token(key, unit_code, w)) for w in (window, window - 1)
    )


def filled_like_a_person(seconds: float, minimum: float, maximum: float) -> bool:
    """The time-to-fill bot check: a form sent faster than `minimum` seconds after it was shown
    is a script's; one older than `maximum` was not shown by this site recently."""
    return minimum <= seconds <= maximum


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's correlation coefficient of paired values; None for fewer than 3 pairs or when
    either side does not vary. A correlation over units, not a cause."""
    n = len(xs)
    if n < 3 or n != len(ys):
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)
