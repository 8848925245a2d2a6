"""Factories for catalog tests: course folders as {path: bytes}, imported through the same code
path as `flask courses import`, and a throw-away assets folder."""

import struct
import zlib

import pytest

from lms.catalog import transfer
from lms.catalog.contentfiles import parse_tree
from lms.extensions import db
from lms.organisation.models import OrgUnit


def _png(width: int = 4, height: int = 3) -> bytes:
    """A real (decodable) PNG image, all in one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x0b\x53\x94" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
GIFT = "// Ngân hàng câu hỏi\r\n::Q1::Văn hóa công vụ là gì?{=Giá trị và chuẩn mực ~Trang phục}\r\n"


@pytest.fixture
def assets_dir(app, tmp_path, monkeypatch):
    """Course assets go to a temporary folder for this test."""
    folder = tmp_path / "course_assets"
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(folder))
    return folder


def course_toml(
    code: str,
    title: str = "Văn hóa công vụ và đạo đức công vụ",
    kind: str = "elective",
    positions: tuple = (),
    prerequisites: tuple = (),
    credits: str = "2",
    content_area: str = "ND3",
    extra: str = "",
) -> str:
    """A valid course.toml; `extra` lines are appended before [test]."""
    lines = [
        f'code = "{code}"',
        f'title = "{title}"',
        'title_en = "Public service culture and ethics"',
        'summary = "Khóa học về chuẩn mực ứng xử của công chức."',
        f"credits = {credits}",
        "periods = 30",
        f'content_area = "{content_area}"',
        f'kind = "{kind}"',
        'delivery = "online"',
        'certificate = "giay_chung_nhan"',
        "validity_months = 36",
        "positions = [" + ", ".join(f'"{p}"' for p in positions) + "]",
    ]
    if prerequisites:
        lines.append("prerequisites = [" + ", ".join(f'"{p}"' for p in prerequisites) + "]")
    if extra:
        lines.append(extra)
    lines += ["", "[test]", "questions = 10", "pass_mark = 50", "shuffle = true"]
    return "\n".join(lines) + "\n"


LESSON_TITLES = (
    "Bài 1. Khái niệm văn hóa công vụ",
    "Bài 2. Chuẩn mực đạo đức công vụ",
    "Bài 3. Quy tắc ứng xử",
    "Bài 4. Liêm chính và trách nhiệm giải trình",
)
LESSON_SLUGS = ("khai-niem", "chuan-muc", "quy-tac-ung-xu", "liem-chinh")


def course_tree(
    code: str = "TX01", lessons: int = 3, folder: bool = True, assets: bool = False, **toml
) -> dict[str, bytes]:
    """A course folder: course.toml, `lessons` lessons, a GIFT file (and assets/ when asked)."""
    files = {"course.toml": course_toml(code, **toml).encode()}
    for number in range(lessons):
        body = f"# {LESSON_TITLES[number]}\n\n## Mục tiêu\n\nNội dung bài {number + 1}.\n"
        files[f"lessons/{number + 1:02d}-{LESSON_SLUGS[number]}.md"] = body.encode()
    files["questions.gift"] = GIFT.encode()
    if assets:
        files["assets/so-do.png"] = PNG
        files["assets/tai-lieu/van-ban.pdf"] = PDF
    prefix = f"{code}/" if folder else ""
    return {prefix + path: data for path, data in files.items()}


def import_tree(files: dict[str, bytes], status: str = "published", owner: str | None = "DN"):
    """Parse and import a tree as the command line does, commit, and sync the assets."""
    bundles, errors = parse_tree(files)
    assert not errors, [str(e) for e in errors]
    owner_id = db.session.scalar(db.select(OrgUnit.id).where(OrgUnit.code == owner))
    report = transfer.import_bundles(bundles, None, owner_id, status)
    db.session.commit()
    transfer.sync_assets(report)
    return report
