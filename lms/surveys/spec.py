"""Questionnaire files (`courses/surveys/*.toml`): read one into a QuestionnaireSpec, checking
all of it, with the reasons it is refused; the canonical digest that tells versions apart."""

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field

from lms.i18n import _
from lms.surveys.rules import (
    CITIZEN_MAX_ITEMS,
    KINDS,
    LIKERT,
    MULTIPLE,
    NUMBER,
    SINGLE,
    SUBJECTS,
)


@dataclass(frozen=True)
class ItemSpec:
    """One item as written in the file."""

    code: str
    kind: str
    text_vi: str
    text_en: str
    options: list | dict = field(default_factory=list)
    weight: float = 1.0
    required: bool = False


@dataclass(frozen=True)
class SectionSpec:
    """A section and its items."""

    title_vi: str
    title_en: str
    items: list[ItemSpec]


@dataclass(frozen=True)
class QuestionnaireSpec:
    """A whole questionnaire file."""

    code: str
    subject: str
    title_vi: str
    title_en: str
    intro_vi: str
    intro_en: str
    sections: list[SectionSpec]

    @property
    def items(self) -> list[ItemSpec]:
        return [item for section in self.sections for item in section.items]

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the content (the code aside): equal content, equal
        digest, whatever the file's layout or comments."""
        content = asdict(self)
        content.pop("code")
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class SpecError(Exception):
    """A questionnaire file that cannot be used; `reasons` says every problem found."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _texts(value, where: str, errors: list[str]) -> tuple[str, str]:
    """A {vi, en} pair: Vietnamese required, English defaulting to it."""
    if isinstance(value, str):
        value = {"vi": value}
    if not isinstance(value, dict) or not str(value.get("vi", "")).strip():
        errors.append(_("%(where)s: the Vietnamese text is missing.", where=where))
        return "", ""
    vi = str(value["vi"]).strip()
    return vi, str(value.get("en") or vi).strip()


def _options(raw: dict, kind: str, where: str, errors: list[str]) -> list | dict:
    if kind in (SINGLE, MULTIPLE):
        options = raw.get("options")
        if not isinstance(options, list) or len(options) < 2:
            errors.append(_("%(where)s: a choice needs at least two options.", where=where))
            return []
        pairs = [_texts(o, f"{where}, option {n}", errors) for n, o in enumerate(options, 1)]
        return [{"vi": vi, "en": en} for vi, en in pairs]
    if kind == NUMBER:
        low, high = raw.get("min", 0), raw.get("max", 1000)
        if not all(isinstance(v, int | float) for v in (low, high)) or low > high:
            errors.append(_("%(where)s: min and max must be numbers, min ≤ max.", where=where))
            return {}
        return {"min": low, "max": high}
    return []


def _item(raw, where: str, errors: list[str]) -> ItemSpec | None:
    if not isinstance(raw, dict):
        errors.append(_("%(where)s: not a table.", where=where))
        return None
    code, kind = str(raw.get("code", "")).strip(), raw.get("kind")
    if not code:
        errors.append(_("%(where)s: the item has no code.", where=where))
    if kind not in KINDS:
        errors.append(
            _("%(where)s: kind must be one of %(kinds)s.", where=where, kinds=", ".join(KINDS))
        )
        return None
    vi, en = _texts(raw.get("text"), where, errors)
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, int | float) or weight < 0 or (kind != LIKERT and weight != 1.0):
        errors.append(_("%(where)s: weight is a number ≥ 0, on Likert items only.", where=where))
        weight = 1.0
    options = _options(raw, kind, where, errors)
    return ItemSpec(code, kind, vi, en, options, float(weight), bool(raw.get("required", False)))


def parse(text: str, name: str = "") -> QuestionnaireSpec:
    """Read a questionnaire file's text; raise SpecError with every problem found (bad TOML,
    unknown subject or kind, missing Vietnamese text, duplicate item codes, a citizen
    questionnaire longer than CITIZEN_MAX_ITEMS items)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(
            [_("%(name)s: not valid TOML (%(error)s).", name=name, error=error)]
        ) from None
    errors: list[str] = []
    code = str(raw.get("code", "")).strip().upper()
    if not code:
        errors.append(_("%(name)s: the questionnaire has no code.", name=name))
    subject = raw.get("subject")
    if subject not in SUBJECTS:
        errors.append(
            _(
                "%(name)s: subject must be one of %(subjects)s.",
                name=name,
                subjects=", ".join(SUBJECTS),
            )
        )
    title_vi, title_en = _texts(raw.get("title"), f"{name}: title", errors)
    intro_vi, intro_en = ("", "")
    if raw.get("intro"):
        intro_vi, intro_en = _texts(raw["intro"], f"{name}: intro", errors)
    sections = []
    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        errors.append(_("%(name)s: there is no section.", name=name))
        raw_sections = []
    for s, raw_section in enumerate(raw_sections, 1):
        where = f"{name}: section {s}"
        if not isinstance(raw_section, dict):
            errors.append(_("%(where)s: not a table.", where=where))
            continue
        svi, sen = _texts(raw_section.get("title"), where, errors)
        items = [
            _item(raw_item, f"{where}, item {i}", errors)
            for i, raw_item in enumerate(raw_section.get("items") or [], 1)
        ]
        if not items:
            errors.append(_("%(where)s: the section has no item.", where=where))
        sections.append(SectionSpec(svi, sen, [i for i in items if i is not None]))
    spec = QuestionnaireSpec(code, subject or "", title_vi, title_en, intro_vi, intro_en, sections)
    codes = [item.code for item in spec.items]
    for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(_("%(name)s: item code %(code)s appears twice.", name=name, code=duplicate))
    if subject == "citizen" and len(codes) > CITIZEN_MAX_ITEMS:
        errors.append(
            _(
                "%(name)s: a citizen questionnaire has at most %(n)d items.",
                name=name,
                n=CITIZEN_MAX_ITEMS,
            )
        )
    if errors:
        raise SpecError(errors)
    return spec
