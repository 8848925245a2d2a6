"""The courses/ file format: a tree is read whole, every problem is reported by file and key, and
what is written back is canonical (reading it again gives the same bytes)."""

from decimal import Decimal

import pytest

from lms.catalog.bundles import slugify
from lms.catalog.contentfiles import course_files, digest, parse_tree
from tests.factories import GIFT, PDF, PNG, course_toml, course_tree


def _errors(files) -> list[str]:
    return [str(error) for error in parse_tree(files)[1]]


def _only(files):
    bundles, errors = parse_tree(files)
    assert not errors, [str(e) for e in errors]
    assert len(bundles) == 1
    return bundles[0]


def test_a_course_folder_is_read_into_a_bundle():
    bundle = _only(course_tree("BB01", assets=True))
    assert bundle.code == "BB01"
    assert bundle.title == "Văn hóa công vụ và đạo đức công vụ"
    assert bundle.credits == Decimal("2") and bundle.periods == 30
    assert (bundle.content_area, bundle.kind, bundle.delivery) == ("ND3", "elective", "online")
    assert bundle.validity_months == 36
    assert bundle.test_settings == {"questions": 10, "pass_mark": 50, "shuffle": True}
    assert [lesson.slug for lesson in bundle.lessons] == [
        "khai-niem",
        "chuan-muc",
        "quy-tac-ung-xu",
    ]
    assert bundle.lessons[0].title == "Bài 1. Khái niệm văn hóa công vụ"
    assert bundle.lessons[0].body == "## Mục tiêu\n\nNội dung bài 1."
    assert bundle.question_bank == GIFT
    assert [(a.path, a.size) for a in bundle.assets] == [
        ("so-do.png", len(PNG)),
        ("tai-lieu/van-ban.pdf", len(PDF)),
    ]


def test_fractional_credits_are_exact_decimals():
    assert _only(course_tree(credits="0.5")).credits == Decimal("0.5")


def test_writing_back_gives_the_same_bytes_for_a_canonical_folder():
    files = course_tree("BB01", folder=False, assets=True)
    assert course_files(_only(files)) == files


def test_a_hand_written_folder_becomes_canonical_once_and_then_stays():
    files = course_tree("BB01", folder=False)
    files["lessons/01-khai-niem.md"] = (
        "\ufeff# Bài 1.  Khái niệm\r\n\r\n\r\nNội dung\r\n\r\n".encode()
    )
    files["lessons/07-cuoi.md"] = "# Bài cuối\n".encode()  # numbering gaps are allowed
    once = course_files(_only(files))
    twice = course_files(_only(once))
    assert once == twice
    assert once["lessons/01-khai-niem.md"] == "# Bài 1. Khái niệm\n\nNội dung\n".encode()
    assert once["lessons/04-cuoi.md"] == "# Bài cuối\n".encode()  # renumbered in order


def test_the_question_bank_is_kept_byte_for_byte():
    files = course_tree("BB01", folder=False)
    files["questions.gift"] = "\ufeff::Q1:: Câu hỏi {T}\r\n\r\n".encode()
    assert course_files(_only(files))["questions.gift"] == files["questions.gift"]


def test_lessons_are_ordered_by_their_number_not_their_name():
    files = course_tree("BB01", lessons=0, folder=False)
    files["lessons/10-z.md"] = b"# Z\n"
    files["lessons/02-b.md"] = b"# B\n"
    files["lessons/09-a.md"] = b"# A\n"
    assert [lesson.slug for lesson in _only(files).lessons] == ["b", "a", "z"]


def test_prerequisites_are_kept_sorted_so_the_file_is_canonical():
    bundle = _only(course_tree("BB09", prerequisites=("VT02", "BB01")))
    assert bundle.prerequisites == ("BB01", "VT02")
    assert b'prerequisites = ["BB01", "VT02"]' in course_files(bundle)["course.toml"]


def test_digest_changes_with_any_content_and_only_then():
    base = _only(course_tree("BB01", assets=True))
    same = _only(course_tree("BB01", assets=True))
    assert digest(base) == digest(same)
    changed = course_tree("BB01", assets=True)
    changed["BB01/lessons/02-chuan-muc.md"] += "\nMột câu nữa.\n".encode()
    assert digest(_only(changed)) != digest(base)
    picture = course_tree("BB01", assets=True)
    picture["BB01/assets/so-do.png"] = PNG + b"\x01"
    assert digest(_only(picture)) != digest(base)


def test_hidden_files_and_archiver_leftovers_are_skipped():
    files = course_tree("BB01")
    files |= {
        "BB01/.DS_Store": b"\x00",
        "__MACOSX/BB01/._course.toml": b"\x00",
        "BB01/lessons/.gitkeep": b"",
        "README.md": b"# Courses\n",  # beside the course folders
    }
    assert _only(files).code == "BB01"


@pytest.mark.parametrize(
    "change, expected",
    [
        ('credits = "hai"', "BB01/course.toml: credits:"),
        ("credits = 1.234", "BB01/course.toml: credits:"),
        ("credits = -1", "BB01/course.toml: credits:"),
        ("periods = 1.5", "BB01/course.toml: periods:"),
        ("periods = true", "BB01/course.toml: periods:"),
        ('content_area = "ND9"', "BB01/course.toml: content_area:"),
        ('kind = "optional"', "BB01/course.toml: kind:"),
        ('delivery = "radio"', "BB01/course.toml: delivery:"),
        ('certificate = "diploma"', "BB01/course.toml: certificate:"),
        ("validity_months = 0", "BB01/course.toml: validity_months:"),
        ('positions = "XA-MC"', "BB01/course.toml: positions:"),
        ('positions = ["XA-MC", "XA-MC"]', "BB01/course.toml: positions:"),
        ('code = "BB02"', "BB01/course.toml: code:"),
        ('code = "bb01"', "BB01/course.toml: code:"),
        ("title = 5", "BB01/course.toml: title:"),
        ('title = "  "', "BB01/course.toml: title:"),
        ("credit = 2", "BB01/course.toml: credit: "),
        ('prerequisites = ["BB01"]', "BB01/course.toml: prerequisites:"),
        ("shuffle = 1", "BB01/course.toml: test.shuffle:"),
        ("pass_mark = 150", "BB01/course.toml: test.pass_mark:"),
        ("attempts = 3", "BB01/course.toml: test.attempts:"),
    ],
)
def test_each_bad_key_is_reported_by_file_and_key(change, expected):
    key = change.split(" = ")[0]
    text = course_toml("BB01")
    lines = text.splitlines()
    replaced = [change if line.split(" = ")[0] == key else line for line in lines]
    if replaced == lines:  # a key the file does not have yet: add it where it belongs
        at = len(lines) if key in ("shuffle", "pass_mark", "attempts") else lines.index("")
        replaced = lines[:at] + [change] + lines[at:]
    files = course_tree("BB01")
    files["BB01/course.toml"] = ("\n".join(replaced) + "\n").encode()
    errors = _errors(files)
    assert any(error.startswith(expected) for error in errors), errors


def test_missing_required_keys_are_each_named():
    files = course_tree("BB01")
    files["BB01/course.toml"] = b'code = "BB01"\n'
    errors = _errors(files)
    for key in ("title", "credits", "periods", "content_area", "kind", "delivery"):
        assert f"BB01/course.toml: {key}: " in "\n".join(errors), key


def test_toml_syntax_errors_say_where():
    files = course_tree("BB01")
    files["BB01/course.toml"] = b'code = "BB01"\ntitle = "unterminated\n'
    (error,) = _errors(files)
    assert error.startswith("BB01/course.toml: ") and "line 2" in error


@pytest.mark.parametrize(
    "path",
    [
        "BB01/lessons/1-gioi-thieu.md",
        "BB01/lessons/01_gioi-thieu.md",
        "BB01/lessons/01-Gioi-Thieu.md",
        "BB01/lessons/01-gioi thieu.md",
        "BB01/lessons/01-gioi-thieu.txt",
        "BB01/lessons/phan-1/01-gioi-thieu.md",
    ],
)
def test_lesson_files_must_be_named_nn_slug_md(path):
    files = course_tree("BB01") | {path: b"# Gioi thieu\n"}
    assert _errors(files) and _errors(files)[0].startswith(path + ": ")


def test_lesson_problems_are_reported_per_file():
    files = course_tree("BB01") | {
        "BB01/lessons/01-trung-so.md": b"# Trung so\n",  # 01 is taken
        "BB01/lessons/05-khong-tieu-de.md": "Không có dòng tiêu đề".encode(),
        "BB01/lessons/06-windows-1258.md": b"# B\xe0i h\xf4m nay\n",  # Windows-1258
    }
    errors = "\n".join(_errors(files))
    assert "BB01/lessons/: " in errors  # two lessons numbered 01
    assert "BB01/lessons/05-khong-tieu-de.md: # title: " in errors
    assert "BB01/lessons/06-windows-1258.md: " in errors and "UTF-8" in errors


@pytest.mark.parametrize(
    "path, data",
    [
        ("BB01/assets/hinh.svg", b"<svg onload='alert(1)'/>"),
        ("BB01/assets/trang.html", b"<script>alert(1)</script>"),
        ("BB01/assets/cai-dat.exe", b"MZ"),
        ("BB01/assets/gia-anh.png", b"<html><script>alert(1)</script>"),
        ("BB01/assets/ten co dau cach.png", PNG),
        ("BB01/ghi-chu.docx", b"PK\x03\x04"),
        ("BB01/lessons.md", b"# x\n"),
    ],
)
def test_unexpected_files_and_types_are_refused(path, data):
    errors = _errors(course_tree("BB01") | {path: data})
    assert errors and errors[0].startswith(path + ": "), errors


def test_every_problem_of_every_course_is_reported_at_once():
    files = course_tree("BB01") | course_tree("BB02")
    files["BB01/course.toml"] = files["BB01/course.toml"].replace(b'"ND3"', b'"ND7"')
    files["BB02/lessons/9-x.md"] = b"# x\n"
    files["BB03/lessons/01-a.md"] = b"# a\n"  # no course.toml
    errors = "\n".join(_errors(files))
    assert "BB01/course.toml: content_area:" in errors
    assert "BB02/lessons/9-x.md:" in errors
    assert "BB03/course.toml:" in errors


def test_an_empty_tree_is_an_error():
    assert _errors({"README.md": b"x"})


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Bài 1. Văn hóa công vụ", "bai-1-van-hoa-cong-vu"),
        ("Đạo đức, liêm chính!", "dao-duc-liem-chinh"),
        ("  ", "bai-hoc"),
    ],
)
def test_slugs_are_made_from_titles_without_accents(title, slug):
    assert slugify(title) == slug
