"""course.toml: checked key by key into the values of a CourseBundle, and written back in the
canonical form (keys in DESIGN.md §4 order, optional keys only when set). Pure: no Flask, no
database."""

import re
import tomllib
from decimal import Decimal

from lms.catalog.bundles import (
    CODE,
    MAX_CREDITS,
    MAX_TITLE,
    POSITION_CODE,
    ContentError,
    CourseBundle,
    check_keys_and_code,
)
from lms.catalog.models import CERTIFICATES, CONTENT_AREAS, DELIVERIES, KINDS
from lms.common import vntext
from lms.i18n import _

# [test] keys (read by the online-tests module) in file order, with their TOML types.
TEST_KEYS = {
    "questions": int,
    "time_limit_minutes": int,
    "max_attempts": int,
    "pass_mark": Decimal,
    "shuffle": bool,
}
_REQUIRED = ("code", "title", "credits", "periods", "content_area", "kind", "delivery")
# The course's own fields, written by the editor, course.toml and a transfer alike.
COURSE_FIELDS = (
    "title",
    "title_en",
    "summary",
    "credits",
    "periods",
    "content_area",
    "kind",
    "delivery",
    "certificate",
    "validity_months",
    "repeatable",
)
_KNOWN = ("code", *COURSE_FIELDS, "positions", "prerequisites", "test")
_CHOICES = {
    "content_area": CONTENT_AREAS,
    "kind": KINDS,
    "delivery": DELIVERIES,
    "certificate": CERTIFICATES,
}


def read_course_toml(text: str, name: str, folder: str, errors: list) -> dict | None:
    """The keys of a course.toml as CourseBundle fields; None (and `errors` appended, as
    file/key/message) when anything is wrong."""
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        errors.append(ContentError(name, None, _("Invalid TOML: %(error)s", error=str(error))))
        return None
    before = len(errors)

    def fail(key: str, message: str) -> None:
        errors.append(ContentError(name, key, message))

    meta = check_keys_and_code(raw, _KNOWN, _REQUIRED, folder, fail)
    for key, limit in (("title", MAX_TITLE), ("title_en", MAX_TITLE), ("summary", 10_000)):
        if key in raw:
            value = raw[key]
            text_value = vntext.normalize(value) if isinstance(value, str) else None
            if text_value is None or (key == "title" and not text_value):
                fail(key, _("Expected a text."))
            elif len(text_value) > limit:
                fail(key, _("At most %(max)d characters.", max=limit))
            else:
                meta[key] = text_value or (None if key == "title_en" else "")
    if "credits" in raw:
        credits = _decimal(raw["credits"])
        if credits is None or not Decimal(0) <= credits <= MAX_CREDITS:
            fail("credits", _("Expected a number of credits from 0 to 999.99, e.g. 0.5."))
        elif credits.as_tuple().exponent < -2:
            fail("credits", _("At most two decimal places."))
        else:
            meta["credits"] = credits
    for key, low, high in (("periods", 0, 10_000), ("validity_months", 1, 600)):
        if key in raw:
            value = raw[key]
            if not _is_int(value) or not low <= value <= high:
                fail(
                    key, _("Expected a whole number from %(low)d to %(high)d.", low=low, high=high)
                )
            else:
                meta[key] = value
    if "repeatable" in raw:
        if not isinstance(raw["repeatable"], bool):
            fail("repeatable", _("Expected true or false."))
        else:
            meta["repeatable"] = raw["repeatable"]
    for key, choices in _CHOICES.items():
        if key in raw:
            if raw[key] not in choices:
                fail(key, _("Expected one of: %(choices)s.", choices=", ".join(choices)))
            else:
                meta[key] = raw[key]
    for key, pattern in (("positions", POSITION_CODE), ("prerequisites", CODE)):
        if key in raw:
            codes = _code_list(raw[key], pattern)
            if codes is None:
                fail(key, _('Expected a list of codes, e.g. ["XA-MC", "CM-PC"].'))
            elif key == "prerequisites" and meta.get("code") in codes:
                fail(key, _("A course cannot be its own prerequisite."))
            else:  # prerequisites have no order: kept sorted, so the file is canonical
                meta[key] = codes if key == "positions" else tuple(sorted(codes))
    if "test" in raw:
        test = _test_settings(raw["test"], fail)
        if test is not None:
            meta["test"] = test
    return meta if len(errors) == before else None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value) -> Decimal | None:
    if _is_int(value):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def _code_list(value, pattern: re.Pattern) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and pattern.fullmatch(v) for v in value
    ):
        return None
    return tuple(value) if len(set(value)) == len(value) else None


def _test_settings(value, fail) -> tuple | None:
    if not isinstance(value, dict):
        fail("test", _("Expected a [test] table."))
        return None
    pairs, ok = [], True
    for key in value:
        if key not in TEST_KEYS:
            fail(f"test.{key}", _("Unknown key."))
            ok = False
    for key, kind in TEST_KEYS.items():
        if key not in value:
            continue
        item = value[key]
        number = _decimal(item) if kind is Decimal else None
        if (kind is bool and isinstance(item, bool)) or (
            kind is int and _is_int(item) and item >= 0
        ):
            pairs.append((key, item))
        elif number is not None and 0 <= number <= 100:
            # JSON-ready: an int when whole, else a float (the online-tests module reads it)
            whole = number == number.to_integral_value()
            pairs.append((key, int(number) if whole else float(number)))
        else:
            expected = {bool: "true/false", int: _("a whole number"), Decimal: "0–100"}[kind]
            fail(f"test.{key}", _("Expected %(kind)s.", kind=expected))
            ok = False
    return tuple(pairs) if ok else None


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip


def toml_value(value) -> str:
    """One value written in the canonical TOML form: booleans, whole numbers, decimals (no
    exponent, no trailing zeros), lists and basic strings with their control characters
    escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    escaped = "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in str(value)
    )
    return f'"{escaped}"'


def toml_lines(items) -> list[str]:
    """The `key = value` lines of (key, value) pairs in the canonical TOML form, None values
    left out (TOML has no null). Writes course.toml and programme.toml alike."""
    return [f"{key} = {toml_value(value)}" for key, value in items if value is not None]


def course_toml(bundle: CourseBundle) -> str:
    """The canonical course.toml: keys in DESIGN.md order, optional ones only when set
    (`repeatable` only when true)."""
    items = [
        ("code", bundle.code),
        ("title", bundle.title),
        ("title_en", bundle.title_en),
        ("summary", bundle.summary or None),
        ("credits", bundle.credits),
        ("periods", bundle.periods),
        ("content_area", bundle.content_area),
        ("kind", bundle.kind),
        ("delivery", bundle.delivery),
        ("certificate", bundle.certificate),
        ("validity_months", bundle.validity_months),
        ("repeatable", True if bundle.repeatable else None),
        ("positions", list(bundle.positions)),
        ("prerequisites", list(bundle.prerequisites) or None),
    ]
    lines = toml_lines(items)
    if bundle.test:
        lines += ["", "[test]", *toml_lines(bundle.test)]
    return "\n".join(lines) + "\n"
