"""programme.toml (courses/programmes/<CODE>/programme.toml): checked key by key into a
ProgrammeBundle, and written back in the canonical form, so export → import → export is
byte-identical. Pure: no Flask, no database.

    code = "LDQL"
    title = "…"
    content_area = "ND3"
    periods = 60
    credits = 4
    validity_months = 24
    ordered = false
    positions = ["LD-TP"]

    [[sets]]                       # the certification path, in order
    title = "…"
    rule = "all"                   # all | any (with count) | credits (with min_credits)
    courses = ["BB01", "BB02"]

    [[recertification]]            # optional: the renewal path (default: the same sets)
    …
"""

import hashlib
import tomllib
from dataclasses import dataclass
from decimal import Decimal

from lms.catalog.bundles import (
    CODE,
    MAX_CREDITS,
    MAX_TITLE,
    POSITION_CODE,
    ContentError,
    check_keys_and_code,
)
from lms.catalog.coursetoml import toml_lines
from lms.catalog.models import CONTENT_AREAS
from lms.common import vntext
from lms.i18n import _
from lms.programmes.rules import SetSpec

PROGRAMME_FILE = "programme.toml"
FOLDER = "programmes"  # beside the course folders in a courses/ tree
RULES = ("all", "any", "credits")
# The programme's own fields, which its file and its row hold alike (a transfer copies them).
PROGRAMME_FIELDS = (
    "title",
    "title_en",
    "description",
    "content_area",
    "periods",
    "credits",
    "validity_months",
    "ordered",
)
_KNOWN = ("code", *PROGRAMME_FIELDS, "positions", "ranks", "sets", "recertification")
_REQUIRED = ("code", "title", "content_area", "sets")
_SET_KEYS = ("title", "rule", "count", "min_credits", "courses")


# A course set as programme.toml holds it: the very fields the rules judge.
SetBundle = SetSpec


@dataclass(frozen=True)
class ProgrammeBundle:
    code: str
    title: str
    content_area: str
    sets: tuple[SetBundle, ...]
    title_en: str | None = None
    description: str = ""
    periods: int = 0
    credits: Decimal = Decimal(0)
    validity_months: int | None = None
    ordered: bool = False
    positions: tuple[str, ...] = ()
    ranks: tuple[str, ...] = ()
    recertification: tuple[SetBundle, ...] = ()

    @property
    def course_codes(self) -> set[str]:
        return {code for s in self.sets + self.recertification for code in s.courses}


def parse_programmes(files: dict[str, bytes]) -> tuple[list[ProgrammeBundle], list[ContentError]]:
    """The programmes of {"<CODE>/programme.toml": bytes} (the programmes/ folder of a tree);
    any other file is an error. Returns (bundles in code order, errors)."""
    bundles, errors = [], []
    for path in sorted(files):
        name = f"{FOLDER}/{path}"
        folder, _slash, rest = path.partition("/")
        if rest != PROGRAMME_FILE:
            errors.append(ContentError(name, None, _("A programme folder holds programme.toml.")))
            continue
        bundle = read_programme(files[path], name, folder, errors)
        if bundle is not None:
            bundles.append(bundle)
    return sorted(bundles, key=lambda b: b.code), errors


def read_programme(data: bytes, name: str, folder: str, errors: list) -> ProgrammeBundle | None:
    """One programme.toml; None (and `errors` appended) when anything is wrong."""
    before = len(errors)

    def fail(key: str | None, message: str) -> None:
        errors.append(ContentError(name, key, message))

    try:
        raw = tomllib.loads(data.decode("utf-8").removeprefix("\ufeff"), parse_float=Decimal)
    except UnicodeDecodeError:
        fail(None, _("Not UTF-8 text."))
        return None
    except tomllib.TOMLDecodeError as error:
        fail(None, _("Invalid TOML: %(error)s", error=str(error)))
        return None
    meta = check_keys_and_code(raw, _KNOWN, _REQUIRED, folder, fail)
    for key, limit in (("title", MAX_TITLE), ("title_en", MAX_TITLE), ("description", 10_000)):
        if key in raw:
            value = _text(raw[key], limit)
            if value is None or (key == "title" and not value):
                fail(key, _("Expected a text of at most %(max)d characters.", max=limit))
            else:
                meta[key] = value
    if "content_area" in raw:
        if raw["content_area"] not in CONTENT_AREAS:
            fail(
                "content_area", _("Expected one of: %(choices)s.", choices=", ".join(CONTENT_AREAS))
            )
        else:
            meta["content_area"] = raw["content_area"]
    for key, low, high in (("periods", 0, 10_000), ("validity_months", 1, 600)):
        if key in raw:
            if not _is_int(raw[key]) or not low <= raw[key] <= high:
                fail(
                    key, _("Expected a whole number from %(low)d to %(high)d.", low=low, high=high)
                )
            else:
                meta[key] = raw[key]
    if "credits" in raw:
        credits = _credits(raw["credits"])
        if credits is None:
            fail("credits", _("Expected a number of credits from 0 to 999.99, e.g. 0.5."))
        else:
            meta["credits"] = credits
    if "ordered" in raw:
        if not isinstance(raw["ordered"], bool):
            fail("ordered", _("Expected true or false."))
        else:
            meta["ordered"] = raw["ordered"]
    for key, pattern in (("positions", POSITION_CODE), ("ranks", POSITION_CODE)):
        if key in raw:
            codes = _codes(raw[key], pattern)
            if codes is None:
                fail(key, _('Expected a list of codes, e.g. ["XA-MC", "CM-PC"].'))
            else:
                meta[key] = codes
    for key in ("sets", "recertification"):
        if key in raw:
            sets = _sets(raw[key], key, fail)
            if sets is not None:
                meta[key] = sets
    if len(errors) != before:
        return None
    return ProgrammeBundle(**meta)


def _sets(value, key: str, fail) -> tuple[SetBundle, ...] | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        fail(key, _("Expected one or more [[%(key)s]] tables.", key=key))
        return None
    sets, ok = [], True
    for number, raw in enumerate(value, start=1):
        where = f"{key}[{number}]"
        for name in raw:
            if name not in _SET_KEYS:
                fail(f"{where}.{name}", _("Unknown key."))
                ok = False
        title = _text(raw.get("title"), MAX_TITLE)
        rule = raw.get("rule", "all")
        courses = _codes(raw.get("courses"), CODE)
        if not title:
            fail(f"{where}.title", _("Expected a text of at most %(max)d characters.", max=255))
            ok = False
        if rule not in RULES:
            fail(f"{where}.rule", _("Expected one of: %(choices)s.", choices=", ".join(RULES)))
            ok = False
        if not courses:
            fail(f"{where}.courses", _('Expected a list of course codes, e.g. ["BB01"].'))
            ok = False
            continue
        count = raw.get("count")
        min_credits = _credits(raw["min_credits"]) if "min_credits" in raw else None
        if rule == "any" and not (_is_int(count) and 1 <= count <= len(courses)):
            fail(
                f"{where}.count",
                _("Expected a whole number from 1 to %(high)d.", high=len(courses)),
            )
            ok = False
        if rule != "any" and "count" in raw:
            fail(f"{where}.count", _('Only a set with rule = "any" has a count.'))
            ok = False
        if rule == "credits" and not min_credits:
            fail(f"{where}.min_credits", _("Expected a number of credits above 0, e.g. 2."))
            ok = False
        if rule != "credits" and "min_credits" in raw:
            fail(f"{where}.min_credits", _('Only a set with rule = "credits" has min_credits.'))
            ok = False
        if ok:
            sets.append(SetBundle(title, rule, courses, count, min_credits))
    return tuple(sets) if ok else None


def _text(value, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = vntext.normalize(value)
    return text if len(text) <= limit else None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _credits(value) -> Decimal | None:
    number = Decimal(value) if _is_int(value) else value
    if not isinstance(number, Decimal) or not number.is_finite():
        return None
    if not Decimal(0) <= number <= MAX_CREDITS or number.as_tuple().exponent < -2:
        return None
    return number


def _codes(value, pattern) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and pattern.fullmatch(v) for v in value
    ):
        return None
    return tuple(value) if len(set(value)) == len(value) else None


# --- writing -----------------------------------------------------------------------------------


def programme_toml(bundle: ProgrammeBundle) -> str:
    """The canonical programme.toml: keys in the documented order, optional ones when set."""
    lines = toml_lines(
        [
            ("code", bundle.code),
            ("title", bundle.title),
            ("title_en", bundle.title_en),
            ("description", bundle.description or None),
            ("content_area", bundle.content_area),
            ("periods", bundle.periods),
            ("credits", bundle.credits),
            ("validity_months", bundle.validity_months),
            ("ordered", bundle.ordered),
            ("positions", list(bundle.positions) or None),
            ("ranks", list(bundle.ranks) or None),
        ]
    )
    for key, sets in (("sets", bundle.sets), ("recertification", bundle.recertification)):
        for item in sets:
            lines += ["", f"[[{key}]]"]
            lines += toml_lines(
                [
                    ("title", item.title),
                    ("rule", item.rule),
                    ("count", item.count),
                    ("min_credits", item.min_credits),
                    ("courses", list(item.courses)),
                ]
            )
    return "\n".join(lines) + "\n"


def digest(bundle: ProgrammeBundle) -> str:
    """SHA-256 of the canonical file: equal digests, equal programmes."""
    return hashlib.sha256(programme_toml(bundle).encode("utf-8")).hexdigest()
