"""The content of one course folder as plain values, and the names and limits of the `courses/`
format (DESIGN.md §4). Pure: no Flask, no database; read by lms.catalog.contentfiles and
lms.catalog.coursetoml, written back by them."""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

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
SIGNATURES = {
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
    repeatable: bool = False
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


def is_junk(path: str) -> bool:
    """Hidden files and archiver leftovers (.git, .DS_Store, __MACOSX/…), skipped everywhere."""
    return any(part.startswith(".") or part in _JUNK for part in path.split("/"))


def clean_body(text: str) -> str:
    """A lesson body as stored: Unix line ends, no NUL, no leading or trailing blank lines."""
    text = (text or "").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def asset_type(path: str) -> str | None:
    """The media type served for an asset path, or None for a type that is not allowed."""
    return ASSET_TYPES.get(path.rsplit(".", 1)[-1].lower()) if "." in path else None


def slugify(title: str) -> str:
    """A lesson slug from a title: "Bài 1. Văn hóa công vụ" → "bai-1-van-hoa-cong-vu"."""
    words = re.findall(r"[a-z0-9]+", vntext.search_key(title))
    return "-".join(words)[:MAX_SLUG].strip("-") or "bai-hoc"


def check_keys_and_code(raw: dict, known, required, folder: str, fail) -> dict:
    """The checks every content file (course.toml, programme.toml) starts with: unknown and
    missing keys, and a well-formed code matching its folder. Calls `fail(key, message)` for
    each problem; returns {"code": code} when the code is right, else {}."""
    for key in raw:
        if key not in known:
            fail(key, _("Unknown key."))
    for key in required:
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
    return meta
