"""Reading the JSON body of POST /officials/<code>/ledger: pure, no Flask, no database.

`parse_external_entry` returns the entry or raises Invalid with every (field, message) found.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lms.common import vntext
from lms.i18n import _

FIELDS = ("title", "credits", "periods", "earned_on", "reason", "source_ref")
MAX_CREDITS = Decimal(100)
MAX_PERIODS = 10_000
TITLE_MAX, REASON_MAX, REF_MAX = 255, 1000, 60
EARLIEST = date(1990, 1, 1)
CENT = Decimal("0.01")


class Invalid(Exception):
    """The body breaks the documented schema or a rule; `reasons` are (field, message)."""

    def __init__(self, reasons: list[tuple[str, str]]):
        super().__init__("; ".join(message for _field, message in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class ExternalEntry:
    """Credits earned outside the system, as HR reports them."""

    title: str
    credits: Decimal
    periods: int
    earned_on: date
    reason: str
    source_ref: str  # "" when the caller gave none (then the call is not idempotent)


def _encodable(value: str) -> bool:
    """False for text holding lone surrogates (JSON "\\ud800"), which no database stores."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(body: dict, name: str, limit: int, reasons: list, required: bool) -> str:
    if name not in body and not required:
        return ""
    value = body.get(name)
    if not isinstance(value, str) or not _encodable(value):
        reasons.append((name, _("Must be a text.")))
        return ""
    value = vntext.normalize(" ".join(value.split()) if name != "reason" else value.strip()) or ""
    if required and not value:
        reasons.append((name, _("This field is required.")))
    elif "\x00" in value:
        reasons.append((name, _("Must not contain a NUL character.")))
    elif len(value) > limit:
        reasons.append((name, _("At most %(max)d characters.", max=limit)))
    return value


def _credits(value, reasons: list) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        reasons.append(("credits", _("Must be a number.")))
        return Decimal(0)
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    credits = exact.quantize(CENT) if abs(exact) < 10**6 else exact
    if abs(credits - exact) > Decimal("1e-9"):
        reasons.append(("credits", _("Credits have at most two decimals.")))
    elif not (0 < credits <= MAX_CREDITS):
        reasons.append(
            ("credits", _("Credits must be more than 0 and at most %(max)s.", max=MAX_CREDITS))
        )
    return credits


def _periods(value, reasons: list) -> int:
    integral = isinstance(value, int) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )
    if isinstance(value, bool) or not integral:
        reasons.append(("periods", _("Must be a whole number.")))
        return 0
    if not (0 <= value <= MAX_PERIODS):
        reasons.append(("periods", _("Must be from 0 to %(max)d.", max=MAX_PERIODS)))
        return 0
    return int(value)


def _earned_on(value, today: date, reasons: list) -> date:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        reasons.append(("earned_on", _("Must be a date as YYYY-MM-DD.")))
        return today
    if day > today:
        reasons.append(("earned_on", _("The date cannot be in the future.")))
    elif day < EARLIEST:
        reasons.append(("earned_on", _("The date is too far in the past.")))
    return day


def parse_external_entry(body, today: date) -> ExternalEntry:
    """The entry a JSON body describes; raises Invalid listing every problem (unknown fields,
    missing ones, wrong types, out-of-range values, a date after `today`)."""
    if not isinstance(body, dict):
        raise Invalid([("", _("The body must be a JSON object."))])
    reasons: list[tuple[str, str]] = [
        (str(name)[:50], _("Unknown field.")) for name in body if name not in FIELDS
    ]
    title = _text(body, "title", TITLE_MAX, reasons, required=True)
    if "credits" not in body:
        reasons.append(("credits", _("This field is required.")))
        credits = Decimal(0)
    else:
        credits = _credits(body["credits"], reasons)
    periods = _periods(body["periods"], reasons) if "periods" in body else 0
    if "earned_on" not in body:
        reasons.append(("earned_on", _("This field is required.")))
        earned_on = today
    else:
        earned_on = _earned_on(body["earned_on"], today, reasons)
    reason = _text(body, "reason", REASON_MAX, reasons, required=False)
    source_ref = _text(body, "source_ref", REF_MAX, reasons, required=False)
    if reasons:
        raise Invalid(reasons)
    return ExternalEntry(title, credits, periods, earned_on, reason, source_ref)
