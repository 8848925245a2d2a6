"""Bad files fail fast, on every upload form (issue 18): a small XLSX holding millions of rows is
refused within the limits; a NUL character or an over-long cell is named by line and column
next to the file field (officials, completions, a class roster's codes, the question bank)."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from bench.bad_files import xlsx_with_rows
from lms.curricula.classes.models import ClassMember
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.factories import make_class, make_in_person_course, make_official

OFFICIALS_HEADER = "Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Loại,Mã đơn vị,Mã VTVL"


@pytest.fixture
def setting(world, db, app, tmp_path, monkeypatch, freeze):
    freeze(date(2026, 5, 20))
    monkeypatch.setattr(app, "instance_path", str(tmp_path))  # uploads kept here
    make_official("DN000001", "Nguyễn Thị Hoa")
    course = make_in_person_course("VHCV01")
    klass = make_class(course)
    db.session.commit()
    return klass.id


def _post_file(client, url: str, data: bytes, name: str, field: str = "file", **fields):
    token = csrf_token(client, url.replace("/roster/codes", "/roster"))
    return client.post(
        url,
        data={"csrf_token": token, field: (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def _field_error(response, field: str = "file") -> str:
    """The message shown under the file field (the form's own error paragraph)."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error next to the {field} field (status {response.status_code})"
    return match.group(1)


def test_a_430_kb_workbook_of_three_million_rows_is_refused_on_the_officials_form(
    setting, login_as, db
):
    data = xlsx_with_rows(3_000_000, header=["Mã cán bộ", "Họ và tên"])
    assert len(data) < 450 * 1024
    before = db.session.scalar(select(func.count()).select_from(Official))
    response = _post_file(login_as("hr"), "/officials/import", data, "danh-sach.xlsx")
    message = _field_error(response)
    assert "Tệp có hơn 100.000 dòng" in message
    assert db.session.scalar(select(func.count()).select_from(Official)) == before


def test_a_nul_character_in_the_officials_file_is_named_by_line_and_column(setting, login_as):
    rows = f"{OFFICIALS_HEADER}\nDN000009,Lê Văn\x00Tám,Nam,,công chức,SNV,CM-CCVC\n"
    response = _post_file(login_as("hr"), "/officials/import", rows.encode(), "a.csv")
    message = _field_error(response)
    assert message.startswith("Dòng 2, cột B (Họ và tên): ô chứa ký tự NUL")


def test_an_over_long_cell_in_the_completions_file_is_named_by_line_and_column(setting, login_as):
    header = "Mã cán bộ,Mã khóa học,Ngày hoàn thành,Ghi chú"
    rows = f"{header}\nDN000001,VHCV01,15/11/2019,{'x' * 5000}\n"
    response = _post_file(login_as("hr"), "/completions/import", rows.encode(), "a.csv")
    message = _field_error(response)
    assert message.startswith("Dòng 2, cột D (Ghi chú): ô có 5.000 ký tự")
    assert "tối đa 1.000" in message


def test_a_roster_file_with_a_nul_character_adds_nobody_and_says_where(setting, login_as, db):
    url = f"/classes/{setting}/roster/codes"
    response = _post_file(login_as("manager"), url, b"Ma can bo\nDN00\x000001\n", "codes.csv")
    assert response.status_code == 422
    assert _field_error(response).startswith("Dòng 2, cột A (Ma can bo)")
    assert db.session.scalar(select(ClassMember.id)) is None


def test_a_roster_workbook_past_the_row_limit_is_refused(setting, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_IMPORT_MAX_ROWS", 50)
    url = f"/classes/{setting}/roster/codes"
    data = xlsx_with_rows(60, text="DN000001")
    response = _post_file(login_as("manager"), url, data, "codes.xlsx")
    assert "Tệp có hơn 50 dòng" in _field_error(response)


def test_a_question_file_with_a_nul_character_is_refused_on_the_form(setting, login_as):
    from tests.factories import make_test_course

    make_test_course()
    url = "/courses/manage/TX01/questions/import"
    client = login_as("manager")
    # a long, good file with one stray NUL past its first 4 KB (where binary files are told)
    good = "".join(f"::Q{n}:: Câu hỏi số {n}? {{TRUE}}\n\n" for n in range(200))
    gift = good + "::Q999:: Một\x00hai {TRUE}\n"
    response = _post_file(client, url, gift.encode(), "q.gift", file_format="gift")
    message = _field_error(response)
    assert message.startswith("Dòng 401, cột 13: tệp chứa ký tự NUL")


def test_an_over_long_upload_token_is_not_found_rather_than_an_error(setting, login_as):
    """A token longer than a file name may be (found by tests/web/test_common_hostile_input.py)."""
    client = login_as("hr")
    token = "A" * 300
    assert client.get(f"/officials/import/{token}").status_code == 404
    assert client.get(f"/completions/import/{token}").status_code == 404
    assert client.get(f"/officials/import/{token}/report.csv").status_code == 404
