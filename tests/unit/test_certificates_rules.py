"""Pure certificate rules: serials, status on a day, the place and date line."""

from datetime import date, datetime

import pytest

from lms.certificates import rules


def test_serials_are_issuer_year_and_six_digits():
    assert rules.format_serial("dn", 2026, 123) == "DN-2026-000123"
    assert rules.format_serial("SNV-CCVC", 2026, 1_234_567) == "SNV-CCVC-2026-1234567"
    assert rules.looks_like_serial("DN-2026-000123")
    assert not rules.looks_like_serial("../DN-2026-1")


@pytest.mark.parametrize(
    ("revoked_at", "expires_on", "today", "status"),
    [
        (None, None, date(2040, 1, 1), "valid"),
        (None, date(2029, 3, 10), date(2029, 3, 10), "valid"),  # the last day still counts
        (None, date(2029, 3, 10), date(2029, 3, 11), "expired"),
        (datetime(2026, 4, 1), date(2029, 3, 10), date(2026, 4, 2), "revoked"),
        (datetime(2026, 4, 1), date(2020, 1, 1), date(2026, 4, 2), "revoked"),
    ],
)
def test_status(revoked_at, expires_on, today, status):
    assert rules.status(revoked_at, expires_on, today) == status


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2026, 11, 26), "Đà Nẵng, ngày 26 tháng 11 năm 2026"),
        (date(2026, 2, 5), "Đà Nẵng, ngày 05 tháng 02 năm 2026"),  # Decree 30/2020
        (date(2026, 7, 5), "Đà Nẵng, ngày 05 tháng 7 năm 2026"),
    ],
)
def test_the_vietnamese_place_and_date_line(day, line):
    assert rules.place_date_line("Đà Nẵng", day, "vi") == line


def test_the_english_place_and_date_line():
    assert rules.place_date_line("Đà Nẵng", date(2026, 11, 26), "en") == "Đà Nẵng, 26 November 2026"
    assert rules.place_date_line("", date(2026, 1, 2), "en") == "2 January 2026"
