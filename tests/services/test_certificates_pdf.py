"""The certificate PDF: Vietnamese names come out of pdftotext exactly, the DejaVu font is
embedded, the page is A4 landscape, the QR code decodes to the verification address, a course
can override the template, and the document speaks the certificate's language."""

import os
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from lms.certificates import documents, services
from lms.extensions import db
from tests.factories import make_completion, make_official
from tests.services import test_certificates_services as base

setup = base.setup  # fixture
idle_worker, live_setup = base.idle_worker, base.live_setup  # fixtures of setup

NAMES = ("Nguyễn Thị Ngọc Ánh", "Đặng Hữu Phước", "Hoàng Thị Thuỳ Dương", "Huỳnh Ưng Ỷ")
BASE = "https://tinchi.danang.gov.vn"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "certificates" / "courses"


def tool(name: str) -> str:
    """The path of a poppler/zbar tool; CI must have them (apt-get install poppler-utils
    zbar-tools), a developer's machine without them skips."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: apt-get install poppler-utils zbar-tools")
        pytest.skip(f"{name} is not installed")
    return path


def run(*args, data: bytes | None = None) -> str:
    done = subprocess.run(args, input=data, capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def text_of(pdf: bytes) -> str:
    return run(tool("pdftotext"), "-layout", "-", "-", data=pdf)


def issued(setup, name: str = NAMES[0], language: str = "vi", **extra):
    course, _official = setup
    official = make_official(f"PDF-{abs(hash(name)) % 10**6}", name, "P-HAICHAU", **extra)
    certificate = services.issue_for(
        make_completion(official, course, commit=True), language=language
    )
    db.session.commit()
    return certificate


@pytest.mark.parametrize("name", NAMES)
def test_pdftotext_returns_the_holders_name_exactly(setup, name):
    certificate = issued(setup, name)
    text = unicodedata.normalize("NFC", text_of(documents.certificate_pdf(certificate, BASE)))
    assert name in text
    assert certificate.serial in text


def test_the_certificate_carries_the_national_header_and_every_field(setup):
    certificate = issued(setup, "Đặng Hữu Phước", date_of_birth=date(1985, 2, 7))
    text = " ".join(text_of(documents.certificate_pdf(certificate, BASE)).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",  # the issuing body
        "07/02/1985",  # date of birth
        "Ủy ban nhân dân phường Hải Châu",  # unit
        "Văn hóa công vụ và đạo đức công vụ",  # course
        "Đà Nẵng, ngày 20 tháng 3 năm 2026",  # place and date (Decree 30/2020)
        "GIÁM ĐỐC SỞ NỘI VỤ",  # signer's title
        "DN-2026-000001",
    ):
        assert expected in text, expected


def test_the_font_is_embedded_and_the_page_is_a4_landscape(setup):
    pdf = documents.certificate_pdf(issued(setup), BASE)
    fonts = [line.split() for line in run(tool("pdffonts"), "-", data=pdf).splitlines()[2:]]
    dejavu = [row for row in fonts if "DejaVuSans" in row[0]]
    assert dejavu and all(row[-5] == "yes" for row in dejavu)  # the "emb" column
    info = run(tool("pdfinfo"), "-", data=pdf)
    assert "841.89 x 595.28 pts (A4)" in info or "841.89 x 595.276 pts (A4)" in info
    assert "Pages:           1" in info


def decode_qr(pdf: bytes, tmp_path) -> list[str]:
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        [tool("pdftoppm"), "-r", "150", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    images = sorted(str(p) for p in tmp_path.glob("page*.png"))
    out = run(tool("zbarimg"), "--quiet", "--raw", *images)
    return out.split()


def test_the_qr_code_decodes_to_the_verification_address(setup, tmp_path):
    certificate = issued(setup)
    found = decode_qr(documents.certificate_pdf(certificate, BASE), tmp_path)
    assert found == [f"{BASE}/verify/{certificate.verification_code}"]


def test_the_certificate_speaks_its_own_language_whatever_the_viewers(app, setup):
    certificate = issued(setup, "Huỳnh Ưng Ỷ", language="en")
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        text = " ".join(text_of(documents.certificate_pdf(certificate, BASE)).split())
    assert "Public service culture and ethics" in text
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text
    assert "Đà Nẵng, 20 March 2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # the legal header stays


def test_a_course_can_override_the_certificate_template(setup):
    certificate = issued(setup)
    override = TEMPLATES / f"{certificate.course_code}.html"
    assert not override.exists()
    override.write_text(
        '{% extends "certificates/certificate.html" %}'
        "{% block title %}<h1>MẪU RIÊNG CỦA KHÓA HỌC</h1>{% endblock %}",
        encoding="utf-8",
    )
    try:
        text = text_of(documents.certificate_pdf(certificate, BASE))
    finally:
        override.unlink()
    assert "MẪU RIÊNG CỦA KHÓA HỌC" in text
    assert "Nguyễn Thị Ngọc Ánh" in text


def test_a_template_cannot_fetch_outside_files(app):
    from lms.common.pdf import PdfError, render_pdf

    with pytest.raises(PdfError):
        render_pdf('<html><head></head><body><img src="/etc/passwd"></body></html>')


def test_template_names_ignore_course_codes_that_are_not_plain():
    assert documents.template_names("../x") == ["certificates/certificate.html"]
    assert documents.template_names("bb01")[0] == "certificates/courses/BB01.html"
