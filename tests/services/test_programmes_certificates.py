"""The programme certificate (chứng chỉ): its PDF passes the course certificate's checks
(embedded font, the exact Vietnamese name, A4, the QR code decoding to the public page, which
says valid), revocation turns that page to revoked and reopens the requirement, and a paper
chứng chỉ imported from the records meets the requirement like an issued one."""

import unicodedata
from datetime import date
from urllib.parse import urlsplit

import pytest

from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.programmes import documents, requirements, services
from tests.factories import make_completion, make_programme_scene
from tests.services.test_certificates_pdf import decode_qr, run, text_of, tool

BASE = "https://tinchi.danang.gov.vn"
NAME = "Hoàng Thị Thuỳ Dương"


@pytest.fixture
def certified(db, assets_dir, freeze):
    programme, official, courses = make_programme_scene(NAME)
    freeze(date(2027, 3, 10))
    for code in ("BB01", "BB02", "LD02", "TC01"):
        make_completion(official, courses[code], date(2027, 3, 10), commit=True)
    [certificate] = services.history(official.id, programme.id)
    return programme, official, certificate


def test_the_pdf_has_the_exact_name_the_courses_and_the_embedded_font(certified):
    _programme, _official, certificate = certified
    pdf = documents.certificate_pdf(certificate, BASE)
    text = unicodedata.normalize("NFC", text_of(pdf))
    flat = " ".join(text.split())
    assert NAME in text
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "CHỨNG CHỈ",
        "Bồi dưỡng lãnh đạo, quản lý cấp phòng",
        "DN-CC-2027-000001",
        "12/08/1980",
        "Lập kế hoạch, giao việc và đánh giá kết quả",
        "Đà Nẵng, ngày 10 tháng 3 năm 2027",
        "10/03/2029",
    ):
        assert expected in flat, expected
    fonts = [line.split() for line in run(tool("pdffonts"), "-", data=pdf).splitlines()[2:]]
    dejavu = [row for row in fonts if "DejaVuSans" in row[0]]
    assert dejavu and all(row[-5] == "yes" for row in dejavu)
    assert "(A4)" in run(tool("pdfinfo"), "-", data=pdf)


def test_the_qr_code_decodes_to_the_public_page_which_says_valid(certified, client, tmp_path):
    _programme, _official, certificate = certified
    [found] = decode_qr(documents.certificate_pdf(certificate, BASE), tmp_path)
    assert found == f"{BASE}/verify/programme/{certificate.verification_code}"
    page = client.get(urlsplit(found).path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-status="valid"' in html and _("This certificate is valid.") in html
    assert NAME in html and "Bồi dưỡng lãnh đạo, quản lý cấp phòng" in html
    assert client.get("/verify/programme/unknown-code").status_code == 404


def test_revocation_turns_the_page_to_revoked_and_reopens_the_requirement(certified, client):
    _programme, official, certificate = certified
    assert requirements.requirements_of(official.id, date(2027, 3, 10))[0].status == "held"
    services.revoke(certificate, "fraud", "Hồ sơ giả", None)
    db.session.commit()
    html = client.get(f"/verify/programme/{certificate.verification_code}").get_data(True)
    assert 'data-status="revoked"' in html
    assert requirements.requirements_of(official.id, date(2027, 3, 10))[0].status == "missing"
    with pytest.raises(RuleViolation):
        services.revoke(certificate, "fraud", "", None)


def test_a_historical_chung_chi_meets_the_requirement_and_is_kept_once(db, assets_dir, freeze):
    programme, official, _courses = make_programme_scene()
    freeze(date(2026, 6, 1))
    first = services.import_historical(official, programme, "CC-123/2025", date(2025, 5, 4), None)
    again = services.import_historical(official, programme, "CC-123/2025", date(2025, 5, 4), None)
    db.session.commit()
    assert first.id == again.id and first.serial is None and first.source == "historical"
    assert first.expires_on == date(2027, 5, 4)
    [item] = requirements.requirements_of(official.id, date(2026, 6, 1))
    assert item.status == "held" and item.serial == "CC-123/2025"
