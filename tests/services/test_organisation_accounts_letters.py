"""Activation letters as printed for ward offices: one A4 page per official, the Vietnamese
names exact (pdftotext), the font embedded, and a QR code that decodes to the official's own
activation link (zbarimg)."""

import subprocess

import pytest
from sqlalchemy import select

from lms.extensions import db as _db
from lms.organisation import accounts, letters
from lms.organisation.models import OrgUnit
from tests.factories import make_official, make_units
from tests.services.test_certificates_pdf import run, text_of, tool

BASE = "https://tinchi.danang.gov.vn"
NAMES = ("Nguyễn Thị Ngọc Ánh", "Đặng Hữu Phước", "Hoàng Thị Thuỳ Dương")


@pytest.fixture
def printed(db):
    make_units()
    for number, name in enumerate(NAMES, start=1):
        make_official(f"DN00010{number}", name, gender="male" if number == 2 else "female")
    make_official("DN000201", "Trần Văn Bình", unit="P-HAICHAU", gender="male")
    _db.session.commit()
    snv = _db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    selection = accounts.Selection([snv.path])
    accounts.provision(selection, None, "web", BASE)
    _db.session.commit()
    found, lost = accounts.letters(selection)
    assert lost == 0
    return found, letters.letters_pdf(found)


def test_one_page_per_official_with_the_exact_vietnamese_name(printed):
    found, pdf = printed
    info = run(tool("pdfinfo"), "-", data=pdf)
    assert f"Pages:           {len(NAMES)}" in info
    assert "595.276 x 841.89 pts (A4)" in info or "595.28 x 841.89 pts (A4)" in info
    pages = [page for page in text_of(pdf).split("\f") if page.strip()]
    assert sorted(letter.full_name for letter in found) == sorted(NAMES)
    for page, letter in zip(pages, found, strict=True):  # by given name: Ánh, Dương, Phước
        assert f"Kính gửi: {'Ông' if letter.gender == 'male' else 'Bà'} {letter.full_name}" in page
        assert "Phòng Công chức, viên chức" in page and letter.username in page
        assert "THƯ KÍCH HOẠT TÀI KHOẢN" in page and letter.url in page
    assert "Trần Văn Bình" not in text_of(pdf)  # outside the scope: no letter


def test_the_font_is_embedded(printed):
    fonts = run(tool("pdffonts"), "-", data=printed[1]).splitlines()
    dejavu = [line.split() for line in fonts if "DejaVu" in line]
    assert dejavu and all(row[-5] == "yes" for row in dejavu)


def test_each_qr_code_decodes_to_that_officials_activation_link(printed, tmp_path):
    found, pdf = printed
    (tmp_path / "l.pdf").write_bytes(pdf)
    subprocess.run(
        [tool("pdftoppm"), "-r", "150", "-png", str(tmp_path / "l.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    decoded = []
    for image in sorted(tmp_path.glob("page*.png")):  # page by page: the order matters
        decoded.append(run(tool("zbarimg"), "--quiet", "--raw", str(image)).strip())
    assert decoded == [letter.url for letter in found]
    assert all(url.startswith(f"{BASE}/activate/") for url in decoded)
