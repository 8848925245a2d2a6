"""The statements as documents (issue 21): the per-official and the per-unit statement PDFs in
the Decree 30/2020 layout — national header, issuing agency, number and symbol (stable per
statement), place and date, title, signer, "Nơi nhận" — read back with pdftotext: the header,
the number, the Vietnamese names exact, the months and "không đủ 6 tháng — không xếp loại";
the unit PDF is A4 landscape and a wide unit (long names) keeps every name whole."""

import re
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from lms.compliance import snapshots
from lms.compliance.models import REVIEW, ReviewSnapshot, Statement
from lms.curricula.obligations import engine
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.queries import unit_by_code
from tests.factories import make_cycle, make_official
from tests.services.test_certificates_pdf import run, tool

LONG_UNIT = "Trung tâm Phục vụ hành chính công và Chuyển đổi số thành phố Đà Nẵng cơ sở Hòa Khánh"
LONG_NAME = "Tôn Nữ Thị Hoàng Khánh Nguyệt Quỳnh Hương"
NEW_NAME = "Đặng Thị Ngọc Hà"


def flat(pdf: bytes) -> str:
    """The PDF's text, NFC, with every run of white space one space."""
    text = run(tool("pdftotext"), "-", "-", data=pdf)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture
def today(freeze):
    return freeze(date(2026, 8, 1))


@pytest.fixture
def scene(today, world, freeze):
    """DN-NEW01 (SNV-CCVC from 01/08/2026: 5 months, not rated) and, in a long-named unit under
    SNV, an official with a long name (in post since 2020: 12 months); review snapshot of SNV
    as of 10/12/2026."""
    cycle = make_cycle(2026)
    official = make_official("DN-NEW01", NEW_NAME, started_on=date(2026, 8, 1))
    org.upsert_unit("SNV-TTHCC", LONG_UNIT, "phong", "tinh", "SNV")
    long = make_official("DN-LONG1", LONG_NAME, "SNV-TTHCC")
    db.session.commit()
    engine.refresh([official.id, long.id], cycle, as_of=date(2026, 8, 1))
    db.session.commit()
    freeze(date(2026, 12, 10))
    snapshots.review_cycle(cycle, unit_by_code("SNV"), None, date(2026, 12, 10))
    db.session.commit()
    return official, cycle


def test_the_official_statement_pdf_is_an_administrative_document(scene, login_as):
    official, _cycle = scene
    reviewer = login_as("reviewer")
    pdf = reviewer.get("/reviews/DN-NEW01.pdf?cycle=2026").get_data()
    text = flat(pdf)
    number = db.session.scalar(
        select(Statement.id).where(Statement.official_id == official.id, Statement.kind == REVIEW)
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG" in text and "SỞ NỘI VỤ THÀNH PHỐ ĐÀ NẴNG" in text
    assert f"Số: {number}/BC-SNV" in text
    assert "Đà Nẵng, ngày 10 tháng 12 năm 2026" in text
    assert NEW_NAME in text and "5 tháng giữ vị trí, 0 tháng nghỉ, 5 tháng được tính" in text
    assert "tính đến ngày 10/12/2026" in text
    assert "không đủ 6 tháng — không xếp loại" in text
    assert "Nơi nhận" in text
    again = flat(reviewer.get("/reviews/DN-NEW01.pdf?cycle=2026").get_data())
    assert f"Số: {number}/BC-SNV" in again  # the same number every time


def test_the_unit_pdf_is_landscape_and_a_wide_unit_keeps_its_names_whole(scene, login_as):
    _official, _cycle = scene
    pdf = login_as("reviewer").get("/reviews/units/snv.pdf?cycle=2026&kind=review").get_data()
    info = run(tool("pdfinfo"), "-", data=pdf)
    width, height = (
        float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )
    assert width > height  # A4 landscape
    text = flat(pdf)
    snapshot = db.session.scalar(select(ReviewSnapshot.id))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and f"Số: {snapshot}/BC-SNV" in text
    assert "tính đến ngày 10/12/2026" in text
    assert LONG_NAME in text
    for word in LONG_UNIT.split():
        assert word in text
    assert "không đủ 6 tháng — không xếp loại" in text
    assert "Nơi nhận" in text
    live = flat(login_as("reviewer").get("/reviews/units/snv.pdf?cycle=2026").get_data())
    assert LONG_NAME in live and "12 / 0 / 12" in live
