"""The ratings import (issue 21): HR uploads a CSV of 2026 ratings (levels by code or Vietnamese
name, weak areas), sees the checked preview, confirms; the same file again changes nothing.
Unknown codes, officials outside the HR officer's units, unknown levels or areas and an official
twice are reported per row, and nothing is written."""

import html as html_lib
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.compliance.models import AnnualRating
from lms.extensions import db
from lms.organisation import services as org
from tests.conftest import csrf_token
from tests.factories import make_cycle, make_official

UPLOAD = "/compliance/ratings/2026/import"


@pytest.fixture
def scene(world, freeze):
    freeze(date(2026, 12, 15))
    make_cycle(2026)
    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    db.session.flush()
    make_official("T-OUT", "Lê Ngoài Phạm Vi", unit="XX")
    db.session.commit()


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def upload(client, content: str):
    token = csrf_token(client, UPLOAD)
    data = {"csrf_token": token, "file": (io.BytesIO(content.encode()), "xep-loai.csv")}
    answer = client.post(UPLOAD, data=data, content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return answer.headers["Location"]


def stored() -> list[tuple[str, str]]:
    return sorted((r.level, r.weak_areas) for r in db.session.scalars(select(AnnualRating)))


GOOD_FILE = (
    "Mã cán bộ,Xếp loại,Nội dung còn yếu\n"
    "T-LEARN,Không hoàn thành nhiệm vụ,ND5\n"
    't-man,good,"nd3, ND4"\n'
)


def test_import_then_the_same_file_again_changes_nothing(scene, login_as):
    hr = login_as("hr")
    preview = upload(hr, GOOD_FILE)
    page = text_of(hr.get(preview).get_data(as_text=True))
    assert "Nhập kết quả đánh giá, xếp loại" in page and "Không hoàn thành nhiệm vụ" in page
    assert stored() == []  # checked, not written
    assert hr.post(preview, data={"csrf_token": csrf_token(hr, preview)}).status_code == 302
    assert stored() == [("good", "ND3,ND4"), ("not_done", "ND5")]

    again = upload(hr, GOOD_FILE)
    page = text_of(hr.get(again).get_data(as_text=True))
    assert "không có gì thay đổi" in page.lower() or "đã ghi nhận" in page.lower()
    assert stored() == [("good", "ND3,ND4"), ("not_done", "ND5")]


def test_bad_rows_are_reported_per_row_and_nothing_is_written(scene, login_as):
    hr = login_as("hr")
    content = (
        "employee_code,level,weak_areas\n"
        "T-LEARN,good,ND5\n"
        "NOBODY,good,\n"
        "T-OUT,good,\n"
        "T-MAN,great,\n"
        "T-REV,done,ND9\n"
        "T-LEARN,done,\n"
    )
    preview = upload(hr, content)
    page = text_of(hr.get(preview).get_data(as_text=True))
    assert "NOBODY" in page and "great" in page and "ND9" in page
    assert "dòng 2" in page  # the second T-LEARN row names the first
    assert "Lê Ngoài Phạm Vi" not in page
    hr.post(preview, data={"csrf_token": csrf_token(hr, preview)})
    assert db.session.scalar(select(func.count()).select_from(AnnualRating)) == 0


def test_the_template_has_the_vietnamese_headers(scene, login_as):
    answer = login_as("hr").get("/compliance/ratings/import/template.csv")
    assert answer.status_code == 200
    assert "Mã cán bộ;Xếp loại;Nội dung còn yếu" in answer.get_data(as_text=True)  # Excel's ;


def test_an_officer_cannot_import_their_own_rating(scene, login_as):
    """The HR officer's own record (T-HR) is refused on its row; nothing is written."""
    hr = login_as("hr")
    preview = upload(hr, "employee_code,level,weak_areas\nT-LEARN,good,\nT-HR,excellent,\n")
    page = text_of(hr.get(preview).get_data(as_text=True))
    assert "Đây là hồ sơ của chính anh/chị" in page
    hr.post(preview, data={"csrf_token": csrf_token(hr, preview)})
    assert db.session.scalar(select(func.count()).select_from(AnnualRating)) == 0
