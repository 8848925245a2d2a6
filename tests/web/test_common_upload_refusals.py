"""Every upload form says why it refused a file, at the file field (its error element, tied to
the input by aria-describedby): a file larger than the server takes (413) shows the same form
again instead of an error page; a table without its columns is refused at upload, not after a
preview of nothing; a question file that is not a text file, empty, or not UTF-8 is refused
before any preview; the course upload's problems are listed at its zip field."""

import html as html_lib
import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from lms.assessments.models import BankQuestion
from lms.organisation.models import OrgUnit
from tests.conftest import csrf_token
from tests.factories import make_class, make_in_person_course, make_test_course
from tests.services.test_assessments_attempts import START

pytestmark = pytest.mark.usefixtures("english")
MB = 1024 * 1024


@pytest.fixture
def setting(world, db, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    make_test_course()
    klass = make_class(make_in_person_course("VHCV01"))
    db.session.commit()
    return {"class_id": klass.id}


def refused_at(response, field: str) -> str:
    """The text of `field`'s error element, after checking that the input points to it."""
    page = response.get_data(as_text=True)
    found = re.search(
        rf'class="error" id="{field}-error"[^>]*>(.*?)</(?:p|div)>\s*(?:</div>|$)', page, re.S
    )
    assert found, f"no error at the {field} field:\n{page[-3000:]}"
    tag = re.search(rf'<input[^>]*\bid="{field}"[^>]*>', page).group(0)
    assert f"{field}-error" in tag and 'aria-invalid="true"' in tag, tag
    return html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", found.group(1))).strip()


def post_file(client, url, field, data: bytes, name: str, page=None, **extra):
    form = {"csrf_token": csrf_token(client, page or url), field: (BytesIO(data), name), **extra}
    return client.post(url, data=form, content_type="multipart/form-data")


UPLOAD_FORMS = [
    ("hr", "/officials/import", "file", {}, "20 MB"),
    ("hr", "/completions/import", "file", {}, "20 MB"),
    ("manager", "/courses/manage/TX01/questions/import", "file", {"file_format": "gift"}, "20 MB"),
    ("manager", "/courses/manage/upload", "archive", {}, "20 MB"),
    ("manager", "/classes/{class_id}/roster/codes", "file", {}, "20 MB"),
    ("learner", "/me/external/new", "evidence", {"title": "Tập huấn", "periods": "8"}, "10 MB"),
]


@pytest.mark.parametrize(("role", "url", "field", "extra", "limit"), UPLOAD_FORMS)
def test_a_file_larger_than_the_server_takes_shows_the_form_again_with_the_reason_at_its_field(
    setting, login_as, app, monkeypatch, role, url, field, extra, limit
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)  # 23 MB would do the same
    url = url.format(**setting)
    page = url.replace("/codes", "")
    client = login_as(role)
    response = post_file(client, url, field, b"a" * (100 * 1024), "big.csv", page=page, **extra)
    assert response.status_code == 413
    assert refused_at(response, field) == f"The file is larger than {limit}."
    assert 'enctype="multipart/form-data"' in response.get_data(as_text=True)  # the form is back


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/officials/import", "Missing columns: Mã cán bộ, Họ và tên, Giới tính, Loại, Mã đơn vị"),
        ("/completions/import", "Missing columns: Mã cán bộ (employee_code), Mã khóa học"),
    ],
)
def test_a_table_without_its_columns_is_refused_at_the_file_field(setting, login_as, url, message):
    client = login_as("hr")
    response = post_file(client, url, "file", "Tên,Ghi chú\nAn,x\n".encode(), "danh-sach.csv")
    assert response.status_code == 200  # not a redirect to a preview of nothing
    assert refused_at(response, "file").startswith(message)


@pytest.mark.parametrize(
    ("data", "name", "fmt", "message"),
    [
        (b"%PDF-1.4 questions", "cau-hoi.pdf", "gift", "Only text files (.txt, .gift) are"),
        (b"PK\x03\x04 a Word file", "cau-hoi.txt", "gift", "Only text files (.txt, .gift) are"),
        (b"::Q::Hai?{=2 ~3}", "cau-hoi.gift", "aiken", "Only text files (.txt) are accepted"),
        (b"<?xml version='1.0'?><quiz/>", "cau-hoi.xml", "gift", "This is a Moodle XML file"),
        (b"  \n\n", "cau-hoi.txt", "gift", "The file is empty."),
        (
            "::Q::Hà Nội?{T}".encode("cp1258", "replace") + "à".encode("cp1252"),
            "cau-hoi.gift",
            "gift",
            "not UTF-8",
        ),
        (b"// only a comment\n", "cau-hoi.txt", "gift", "No question was found in the file."),
    ],
)
def test_a_question_file_that_cannot_be_read_is_refused_at_the_file_field(
    setting, login_as, db, data, name, fmt, message
):
    before = db.session.scalar(select(func.count()).select_from(BankQuestion))
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    response = post_file(client, url, "file", data, name, file_format=fmt)
    assert message in refused_at(response, "file")
    assert "Import these questions" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BankQuestion)) == before


def test_the_course_upload_lists_its_problems_at_the_zip_field(setting, login_as, db):
    client = login_as("manager")
    owner = str(db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "DN")))
    url = "/courses/manage/upload"
    wrong = post_file(client, url, "archive", b"%PDF-1.4", "khoa-hoc.pdf", owner_unit=owner)
    assert refused_at(wrong, "archive") == "Only .zip files are accepted."
    broken = post_file(client, url, "archive", b"PK\x03\x04junk", "khoa-hoc.zip", owner_unit=owner)
    said = refused_at(broken, "archive")
    assert said.startswith("Nothing was imported. Correct these problems and upload again:")
    assert "zip" in said.split(":", 1)[1]
