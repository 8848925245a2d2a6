"""Reading a course tree from a zip or a folder refuses zip-slip, absolute paths, links and
oversized content whole; an export folder ends up holding exactly the course."""

import io
import os
import zipfile

import pytest

from lms.catalog.archive import Limits, read_directory, read_zip, write_course_folder, zip_folder
from tests.factories import course_tree

LIMITS = Limits(max_file_bytes=10_000, max_total_bytes=50_000, max_files=50)


def make_zip(entries: dict[str, bytes], symlinks: tuple = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16) | 0x20
            archive.writestr(info, "../../etc/passwd")
    return buffer.getvalue()


def test_a_plain_zip_is_read_into_memory():
    files, errors = read_zip(make_zip(course_tree("BB01")), LIMITS)
    assert not errors and files == course_tree("BB01")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.md",
        "BB01/../../evil.md",
        "BB01/lessons/../../../etc/cron.d/x",
        "/etc/passwd",
        "C:/Windows/evil.dll",
        "BB01\\..\\evil.md",
        "BB01/./course.toml",
        "BB01//course.toml",
    ],
)
def test_zip_slip_and_absolute_paths_refuse_the_whole_archive(name):
    files, errors = read_zip(make_zip(course_tree("BB01") | {name: b"x"}), LIMITS)
    assert files == {}
    assert [error.file for error in errors] == [name]


def test_symbolic_links_are_refused():
    data = make_zip(course_tree("BB01"), symlinks=("BB01/assets/link.png",))
    files, errors = read_zip(data, LIMITS)
    assert files == {} and errors[0].file == "BB01/assets/link.png"


def test_a_file_over_the_limit_is_refused():
    entries = course_tree("BB01") | {"BB01/assets/big.pdf": b"%PDF-" + b"0" * 20_000}
    files, errors = read_zip(make_zip(entries), LIMITS)
    assert files == {} and errors[0].file == "BB01/assets/big.pdf"


def test_a_size_lied_about_in_the_archive_is_caught_while_inflating():
    data = bytearray(make_zip({"BB01/assets/bomb.pdf": b"%PDF-" + b"0" * 50_000}))
    # claim 100 bytes in the local and central headers (a zip bomb's trick)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    files, errors = read_zip(bytes(data), LIMITS)
    assert files == {} and errors and errors[0].file == "BB01/assets/bomb.pdf"


def test_too_many_files_or_too_many_bytes_in_total_are_refused():
    many = {f"BB01/assets/{n}.txt": b"x" for n in range(60)}
    assert read_zip(make_zip(many), LIMITS)[0] == {}
    heavy = {f"BB01/assets/{n}.txt": b"x" * 9_000 for n in range(8)}
    files, errors = read_zip(make_zip(heavy), LIMITS)
    assert files == {} and errors


def test_an_encrypted_member_is_refused():
    data = bytearray(make_zip({"BB01/course.toml": b"x"}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x1
    files, errors = read_zip(bytes(data), LIMITS)
    assert files == {} and errors


def test_something_that_is_not_a_zip_is_refused():
    files, errors = read_zip(b"PK\x03\x04 not really", LIMITS)
    assert files == {} and errors


def _write(root, files):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_a_folder_of_courses_and_a_single_course_folder_are_both_read(tmp_path):
    _write(tmp_path / "courses", course_tree("BB01") | course_tree("BB02"))
    (tmp_path / "courses" / ".git").mkdir()
    (tmp_path / "courses" / ".git" / "HEAD").write_text("ref")
    files, errors = read_directory(tmp_path / "courses", LIMITS)
    assert not errors and files == course_tree("BB01") | course_tree("BB02")
    # one course folder: its name comes along, so it is checked against the code
    single, errors = read_directory(tmp_path / "courses" / "BB02", LIMITS)
    assert not errors and single == course_tree("BB02")


def test_a_symbolic_link_in_a_folder_is_refused(tmp_path):
    _write(tmp_path / "courses", course_tree("BB01"))
    os.symlink("/etc/passwd", tmp_path / "courses" / "BB01" / "assets.png")
    files, errors = read_directory(tmp_path / "courses", LIMITS)
    assert files == {} and errors[0].file == "BB01/assets.png"


def test_an_export_folder_ends_up_holding_exactly_the_course(tmp_path):
    target = tmp_path / "BB01"
    _write(target, {"lessons/01-cu.md": b"# old\n", "notes/x.txt": b"x", ".git/HEAD": b"ref"})
    files = course_tree("BB01", folder=False)
    removed = write_course_folder(target, files)
    assert sorted(removed) == ["lessons/01-cu.md", "notes/x.txt"]
    on_disk = {
        p.relative_to(target).as_posix(): p.read_bytes()
        for p in target.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }
    assert on_disk == files
    assert (target / ".git" / "HEAD").exists()  # hidden files are left alone
    assert not (target / "notes").exists()


def test_an_exported_zip_is_reproducible_and_reads_back():
    files = course_tree("BB01", folder=False, assets=True)
    first, second = zip_folder("BB01", files), zip_folder("BB01", files)
    assert first == second
    assert read_zip(first, LIMITS)[0] == {f"BB01/{rel}": data for rel, data in files.items()}
