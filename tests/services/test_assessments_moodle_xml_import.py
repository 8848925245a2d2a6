"""Moodle XML through the command line and the web: `questions import COURSE FILE --format xml
[--dry-run]` writes Moodle's questions (or nothing), importing again changes nothing, a file
with an unknown type writes nothing; `questions export COURSE --format xml` writes the bank to
standard output and reads back to the same questions; the web upload previews, then imports."""

import html as html_lib
import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from lms.assessments import bank, moodle_xml
from lms.assessments.models import BankQuestion
from lms.catalog import queries
from tests.conftest import csrf_token
from tests.factories import course_tree, import_tree, make_test_course, make_units
from tests.services.test_assessments_attempts import START
from tests.shared_fixtures import FIXTURES, require

XML = FIXTURES / "moodle" / "xml"


@pytest.fixture
def course(db, assets_dir):
    make_units()
    db.session.commit()
    import_tree(course_tree("TX01"))
    return queries.course_by_code("TX01")


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(BankQuestion))


def test_cli_imports_moodle_xml_dry_run_first_and_again_without_duplicates(course, runner, db):
    path = require(XML / "nested_categories_with_questions.xml")
    dry = runner.invoke(
        args=["questions", "import", "TX01", str(path), "--format", "xml", "--dry-run"]
    )
    assert dry.exit_code == 0 and "5 tạo mới" in dry.output, dry.output
    assert _count(db) == 0
    result = runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "xml"])
    assert result.exit_code == 0 and "5 tạo mới" in result.output
    kinds = sorted(row.kind for row in bank.questions_of(course))
    assert kinds == ["essay", "true_false", "true_false", "true_false", "true_false"]
    again = runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "xml"])
    assert "0 tạo mới, 0 cập nhật, 5 không thay đổi" in again.output
    assert _count(db) == 5


@pytest.mark.parametrize(
    ("name", "line"), [("broken_cloze_questions.xml", 4), ("error_invalid_grades.xml", 4)]
)
def test_cli_writes_nothing_from_a_file_with_an_error(course, runner, db, name, line):
    path = require(XML / name)
    result = runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "xml"])
    assert result.exit_code != 0 and f"dòng {line}:" in result.output, result.output
    assert _count(db) == 0


def test_cli_exports_xml_to_standard_output_and_it_reads_back(course, runner, db):
    path = require(XML / "truefalse.xml")
    runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "xml"])
    result = runner.invoke(args=["questions", "export", "TX01", "--format", "xml"])
    assert result.exit_code == 0 and result.output.startswith("<?xml")
    back = moodle_xml.parse(result.output)
    assert not back.errors
    rows = bank.questions_of(course)
    assert back.questions == [bank.to_question(row) for row in rows]


def test_the_web_upload_previews_then_imports(
    world, login_as, freeze, db, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    make_test_course()
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    data = require(XML / "multichoice.xml").read_bytes()
    form = {"csrf_token": csrf_token(client, url), "file_format": "xml"}
    form["file"] = (BytesIO(data), "multichoice.xml")
    response = client.post(url, data=form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Greeting" in page and "bonjour.mp3" in page
    assert "dòng 12: " in page and "line 12" not in page  # the warning is Vietnamese too
    before = _count(db)
    source = re.search(r'name="source"[^>]*value="([^"]*)"', page).group(1)
    confirm = {
        "csrf_token": csrf_token(client, url),
        "file_format": "xml",
        "source": html_lib.unescape(source),
    }
    response = client.post(url + "/confirm", data=confirm)
    assert response.status_code == 302
    assert _count(db) == before + 1
    exported = client.get("/courses/manage/TX01/questions/export.xml")
    assert (
        exported.status_code == 200 and b"<name>" in exported.data and b"Greeting" in exported.data
    )


def test_the_web_upload_reports_each_unknown_question_and_imports_nothing(
    world, login_as, freeze, db, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    make_test_course()
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    data = require(XML / "broken_cloze_questions.xml").read_bytes()
    form = {"csrf_token": csrf_token(client, url), "file_format": "xml"}
    form["file"] = (BytesIO(data), "broken.xml")
    page = client.post(url, data=form, content_type="multipart/form-data").get_data(as_text=True)
    page = html_lib.unescape(page)
    names = (
        "Multianswer question without subquestions",
        "Multichoice subquestion without choices",
        "Multichoice subquestion with only one choice",
        "Multichoice subquestion with no completely correct answer",
        "Numerical subquestion with buggy answer",
    )
    assert all(name in page for name in names), page[-3000:]
    assert 'name="source"' not in page


def test_an_xml_file_uploaded_as_gift_says_which_format_to_choose(world, login_as, freeze):
    """The import page opens on GIFT: a Moodle XML file sent with it is refused with the way
    out (choose "Moodle XML"), not with "only text files (.txt, .gift)"."""
    freeze(START)
    make_test_course()
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    data = require(XML / "multichoice.xml").read_bytes()
    form = {"csrf_token": csrf_token(client, url), "file_format": "gift"}
    form["file"] = (BytesIO(data), "multichoice.xml")
    page = client.post(url, data=form, content_type="multipart/form-data").get_data(as_text=True)
    assert "Đây là tệp Moodle XML: hãy chọn “Moodle XML” ở mục Định dạng" in html_lib.unescape(page)


def _upload(client, url, data: bytes, file_format: str, name: str) -> str:
    form = {"csrf_token": csrf_token(client, url), "file_format": file_format}
    form["file"] = (BytesIO(data), name)
    return client.post(url, data=form, content_type="multipart/form-data").get_data(as_text=True)


@pytest.mark.parametrize(
    ("file_format", "path", "name", "shown"),
    [
        ("xml", XML / "nested_categories_with_questions.xml", "n.xml", "Iota/Kappa/Lambda"),
        (
            "gift",
            FIXTURES / "moodle" / "gift" / "questions_in_category.gift.txt",
            "q.gift",
            "Default for New Features",
        ),
    ],
)
def test_moodle_context_placeholders_are_not_bank_categories(
    world, login_as, freeze, db, app, tmp_path, monkeypatch, file_format, path, name, shown
):
    """Moodle's `$course$/…` (and `top/`) is the course itself: the preview and the bank show
    the categories below it, as Moodle files them when importing into a course."""
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    make_test_course()
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    page = _upload(client, url, require(path).read_bytes(), file_format, name)
    assert f"<td>{shown}</td>" in page and "$course$" not in page.split('name="source"')[0]
    source = re.search(r'name="source"[^>]*value="([^"]*)"', page).group(1)
    confirm = {
        "csrf_token": csrf_token(client, url),
        "file_format": file_format,
        "source": html_lib.unescape(source),
    }
    assert client.post(url + "/confirm", data=confirm).status_code == 302
    course = queries.course_by_code("TX01")
    paths = {row.category.path for row in bank.questions_of(course)}
    assert shown in paths and not any("$" in p or p.startswith("top") for p in paths)
    bank_page = client.get("/courses/manage/TX01/questions").get_data(as_text=True)
    assert "$course$" not in bank_page
