"""The `courses/` content format (DESIGN.md §4): course folders ⇄ CourseBundle values.

Pure: no Flask, no database. `parse_tree` reads a mapping {relative path: bytes} (a directory or a
zip read by lms.catalog.archive), checks every file and key, and returns bundles and errors;
`course_files` writes a bundle back as the canonical files. The canonical form is stable: what
`course_files` writes, `parse_tree` reads back to an equal bundle, so export → import → export is
byte-identical, and `digest` (over the canonical files) tells whether an import changes anything.
"""

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from lms.catalog.models import CERTIFICATES, CONTENT_AREAS, DELIVERIES, KINDS
from lms.common import vntext
from lms.i18n import _

COURSE_FILE = "course.toml"
QUESTIONS_FILE = "questions.gift"
CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
POSITION_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LESSON_FILE = re.compile(r"(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md")
ASSET_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
MAX_SLUG = 100
MAX_TITLE = 255
MAX_CREDITS = Decimal("999.99")
# Attachments and images a lesson may use, by extension → media type. No SVG or HTML: served
# from this site they could run scripts.
ASSET_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "webm": "video/webm",
}
# The first bytes a file of these types starts with (a renamed HTML page is refused).
_SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
}
# Junk that archivers and desktops leave behind; skipped, not refused.
_JUNK = {"__MACOSX", "Thumbs.db", "desktop.ini"}
# [test] keys (read by the online-tests module) in file order, with their TOML types.
TEST_KEYS = {
    "questions": int,
    "time_limit_minutes": int,
    "max_attempts": int,
    "pass_mark": Decimal,
    "shuffle": bool,
}
_REQUIRED = ("code", "title", "credits", "periods", "content_area", "kind", "delivery")
_KNOWN = (
    "code",
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
    "positions",
    "prerequisites",
    "test",
)
_CHOICES = {
    "content_area": CONTENT_AREAS,
    "kind": KINDS,
    "delivery": DELIVERIES,
    "certificate": CERTIFICATES,
}


@dataclass(frozen=True)
class ContentError:
    """One problem in a content tree: the file (as a path in the tree), the key, the message."""

    file: str
    key: str | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.message}"
            if self.key
            else f"{self.file}: {self.message}"
        )


@dataclass(frozen=True)
class LessonFile:
    """One lesson: `lessons/NN-<slug>.md` holding "# <title>", a blank line and the body."""

    slug: str
    title: str
    body: str


@dataclass(frozen=True)
class AssetFile:
    """An image or attachment under assets/; `data` may be left out when only compared."""

    path: str
    sha256: str
    size: int
    data: bytes | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, path: str, data: bytes) -> "AssetFile":
        return cls(path, hashlib.sha256(data).hexdigest(), len(data), data)


@dataclass(frozen=True)
class CourseBundle:
    """Everything one course folder holds, parsed and normalised."""

    code: str
    title: str
    credits: Decimal
    periods: int
    content_area: str
    kind: str
    delivery: str
    certificate: str = "giay_chung_nhan"
    title_en: str | None = None
    summary: str = ""
    validity_months: int | None = None
    positions: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    test: tuple[tuple[str, object], ...] = ()
    lessons: tuple[LessonFile, ...] = ()
    question_bank: str | None = None
    assets: tuple[AssetFile, ...] = ()

    @property
    def test_settings(self) -> dict | None:
        """The [test] table as a JSON-ready dict (None when the file has none)."""
        return dict(self.test) if self.test else None


# --- reading ---------------------------------------------------------------------------------


def is_junk(path: str) -> bool:
    """Hidden files and archiver leftovers (.git, .DS_Store, __MACOSX/…), skipped everywhere."""
    return any(part.startswith(".") or part in _JUNK for part in path.split("/"))


def parse_tree(files: Mapping[str, bytes]) -> tuple[list[CourseBundle], list[ContentError]]:
    """Read every course of a tree and check all of it.

    Args:
        files: {relative POSIX path: bytes}. Either one course (course.toml at the top) or one
            folder per course named by its code (files beside those folders are ignored).

    Returns:
        (bundles in code order, errors). Use the bundles only when errors is empty.
    """
    visible = {path: data for path, data in files.items() if not is_junk(path)}
    if COURSE_FILE in visible:
        groups = {"": visible}
    else:
        groups: dict[str, dict[str, bytes]] = {}
        for path, data in visible.items():
            if "/" in path:
                folder, rest = path.split("/", 1)
                groups.setdefault(folder, {})[rest] = data
    bundles, errors = [], []
    if not groups:
        errors.append(ContentError(".", None, _("No course folder (with a course.toml) found.")))
    for folder in sorted(groups):
        bundle, problems = _parse_course(folder, groups[folder])
        errors.extend(problems)
        if bundle is not None:
            bundles.append(bundle)
    seen: dict[str, int] = {}
    for bundle in bundles:
        seen[bundle.code] = seen.get(bundle.code, 0) + 1
    for code, count in seen.items():
        if count > 1:
            errors.append(ContentError(code, "code", _("This course code appears twice.")))
    return sorted(bundles, key=lambda b: b.code), errors


def _text(data: bytes, name: str, errors: list[ContentError]) -> str | None:
    """UTF-8 text (a byte-order mark is dropped) with Unix line ends; None when unreadable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        errors.append(
            ContentError(name, None, _("Not UTF-8 text (byte %(offset)d).", offset=error.start + 1))
        )
        return None
    if "\x00" in text:
        errors.append(ContentError(name, None, _("The file contains a NUL character.")))
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse_course(folder: str, files: dict[str, bytes]) -> tuple[CourseBundle | None, list]:
    def name(rel: str) -> str:
        return f"{folder}/{rel}" if folder else rel

    errors: list[ContentError] = []
    if COURSE_FILE not in files:
        errors.append(ContentError(name(COURSE_FILE), None, _("The course.toml file is missing.")))
        return None, errors
    meta = _parse_meta(files[COURSE_FILE], name(COURSE_FILE), folder, errors)
    lessons: list[tuple[int, LessonFile]] = []
    assets: list[AssetFile] = []
    question_bank = None
    for rel in sorted(files):
        data = files[rel]
        if rel == COURSE_FILE:
            continue
        if rel == QUESTIONS_FILE:
            question_bank = _question_bank(data, name(rel), errors)
        elif rel.startswith("lessons/"):
            lesson = _parse_lesson(rel.removeprefix("lessons/"), data, name(rel), errors)
            if lesson is not None:
                lessons.append(lesson)
        elif rel.startswith("assets/"):
            asset = _check_asset(rel.removeprefix("assets/"), data, name(rel), errors)
            if asset is not None:
                assets.append(asset)
        else:
            errors.append(
                ContentError(
                    name(rel),
                    None,
                    _(
                        "Unexpected file: a course folder holds course.toml, questions.gift, "
                        "lessons/NN-slug.md and assets/…"
                    ),
                )
            )
    _check_lesson_order(lessons, name("lessons/"), errors)
    if errors or meta is None:
        return None, errors
    bundle = CourseBundle(
        **meta,
        lessons=tuple(lesson for _number, lesson in sorted(lessons, key=lambda x: x[0])),
        question_bank=question_bank,
        assets=tuple(assets),
    )
    return bundle, errors


def _parse_meta(data: bytes, name: str, folder: str, errors: list) -> dict | None:
    text = _text(data, name, errors)
    if text is None:
        return None
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        errors.append(ContentError(name, None, _("Invalid TOML: %(error)s", error=str(error))))
        return None
    before = len(errors)

    def fail(key: str, message: str) -> None:
        errors.append(ContentError(name, key, message))

    for key in raw:
        if key not in _KNOWN:
            fail(key, _("Unknown key."))
    for key in _REQUIRED:
        if key not in raw:
            fail(key, _("This key is required."))
    meta: dict = {}
    code = raw.get("code")
    if "code" in raw:
        if not isinstance(code, str) or not CODE.fullmatch(code):
            fail("code", _("Use capital letters, digits, - or _ (at most 32), e.g. BB01."))
        elif folder and code != folder:
            fail("code", _("The code must match the folder name (%(folder)s).", folder=folder))
        else:
            meta["code"] = code
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


def clean_body(text: str) -> str:
    """A lesson body as stored: Unix line ends, no leading or trailing blank lines."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def _parse_lesson(rel: str, data: bytes, name: str, errors: list) -> tuple[int, LessonFile] | None:
    match = LESSON_FILE.fullmatch(rel)
    if match is None or len(match.group(2)) > MAX_SLUG:
        errors.append(
            ContentError(name, None, _("A lesson file is named NN-slug.md, e.g. 01-gioi-thieu.md."))
        )
        return None
    text = _text(data, name, errors)
    if text is None:
        return None
    first, _newline, rest = text.partition("\n")
    title = vntext.normalize(first[2:]) if first.startswith("# ") else ""
    if not title:
        errors.append(ContentError(name, "# title", _("The first line must be '# <title>'.")))
        return None
    if len(title) > MAX_TITLE:
        errors.append(
            ContentError(name, "# title", _("At most %(max)d characters.", max=MAX_TITLE))
        )
        return None
    return int(match.group(1)), LessonFile(match.group(2), title, clean_body(rest))


def _check_lesson_order(lessons: list, folder: str, errors: list) -> None:
    numbers: dict[int, str] = {}
    slugs: set[str] = set()
    for number, lesson in lessons:
        if number in numbers:
            errors.append(
                ContentError(folder, None, _("Two lessons are numbered %(n)02d.", n=number))
            )
        if lesson.slug in slugs:
            errors.append(
                ContentError(folder, None, _("Two lessons are named %(slug)s.", slug=lesson.slug))
            )
        numbers[number] = lesson.slug
        slugs.add(lesson.slug)


def _question_bank(data: bytes, name: str, errors: list) -> str | None:
    """The GIFT file verbatim (only checked to be UTF-8: the tests module parses it)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        errors.append(
            ContentError(name, None, _("Not UTF-8 text (byte %(offset)d).", offset=error.start + 1))
        )
        return None
    if "\x00" in text:
        errors.append(ContentError(name, None, _("The file contains a NUL character.")))
        return None
    return text


def asset_type(path: str) -> str | None:
    """The media type served for an asset path, or None for a type that is not allowed."""
    return ASSET_TYPES.get(path.rsplit(".", 1)[-1].lower()) if "." in path else None


def _check_asset(rel: str, data: bytes, name: str, errors: list) -> AssetFile | None:
    parts = rel.split("/")
    if len(rel) > 200 or not all(ASSET_SEGMENT.fullmatch(part) for part in parts):
        errors.append(
            ContentError(name, None, _("Asset names use letters, digits, '.', '-' and '_' only."))
        )
        return None
    extension = rel.rsplit(".", 1)[-1].lower()
    if asset_type(rel) is None:
        errors.append(
            ContentError(
                name,
                None,
                _("This type of file is not allowed: %(types)s.", types=", ".join(ASSET_TYPES)),
            )
        )
        return None
    signatures = _SIGNATURES.get(extension)
    if signatures and not data.startswith(signatures):
        errors.append(ContentError(name, None, _("The file's content does not match its type.")))
        return None
    return AssetFile.of(rel, data)


# --- writing ---------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip


def _toml_value(value) -> str:
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
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    escaped = "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in str(value)
    )
    return f'"{escaped}"'


def course_toml(bundle: CourseBundle) -> str:
    """The canonical course.toml: keys in DESIGN.md order, optional ones only when set."""
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
        ("positions", list(bundle.positions)),
        ("prerequisites", list(bundle.prerequisites) or None),
    ]
    lines = [f"{key} = {_toml_value(value)}" for key, value in items if value is not None]
    if bundle.test:
        lines += ["", "[test]"] + [f"{key} = {_toml_value(value)}" for key, value in bundle.test]
    return "\n".join(lines) + "\n"


def lesson_file_name(number: int, slug: str) -> str:
    """lessons/NN-slug.md (three digits from lesson 100 on)."""
    return f"lessons/{number:02d}-{slug}.md"


def lesson_text(lesson: LessonFile) -> str:
    """A lesson file's text: the title heading, a blank line, the body."""
    return f"# {lesson.title}\n\n{lesson.body}\n" if lesson.body else f"# {lesson.title}\n"


def course_files(bundle: CourseBundle) -> dict[str, bytes]:
    """The canonical files of a course folder, {path relative to the folder: bytes}.

    Lessons are numbered 01, 02, … in order; assets must carry their data.
    """
    files = {COURSE_FILE: course_toml(bundle).encode("utf-8")}
    for number, lesson in enumerate(bundle.lessons, start=1):
        files[lesson_file_name(number, lesson.slug)] = lesson_text(lesson).encode("utf-8")
    if bundle.question_bank is not None:
        files[QUESTIONS_FILE] = bundle.question_bank.encode("utf-8")
    for asset in bundle.assets:
        if asset.data is None:
            raise ValueError(f"asset {asset.path} has no data")
        files[f"assets/{asset.path}"] = asset.data
    return files


def digest(bundle: CourseBundle) -> str:
    """SHA-256 of the canonical files (assets by their hash): equal digests, equal content."""
    lines = []
    for path, data in sorted(course_files(replace(bundle, assets=())).items()):
        lines.append(f"{path}\t{hashlib.sha256(data).hexdigest()}")
    lines += [f"assets/{a.path}\t{a.sha256}" for a in sorted(bundle.assets, key=lambda a: a.path)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def slugify(title: str) -> str:
    """A lesson slug from a title: "Bài 1. Văn hóa công vụ" → "bai-1-van-hoa-cong-vu"."""
    words = re.findall(r"[a-z0-9]+", vntext.search_key(title))
    return "-".join(words)[:MAX_SLUG].strip("-") or "bai-hoc"
