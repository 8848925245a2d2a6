"""Certificate rules with no Flask and no database: serial numbers, status on a day, the place
and date line of a Vietnamese document, and the file names of downloads."""

import re
from datetime import date, datetime

from babel.dates import format_date

from lms.certificates.models import EXPIRED, REVOKED, VALID

SERIAL_DIGITS = 6
SERIAL_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}-\d{4}-\d{6,}$")


def format_serial(issuer_code: str, year: int, number: int) -> str:
    """The human serial of a certificate: issuer code, year, number padded to six digits
    ("DN-2026-000123"); numbers past 999,999 simply grow longer."""
    return f"{issuer_code.upper()}-{year}-{number:0{SERIAL_DIGITS}d}"


def looks_like_serial(text: str) -> bool:
    """Whether `text` has the shape of a serial (cheap check before any query)."""
    return bool(SERIAL_PATTERN.match(text or ""))


def status(revoked_at: datetime | None, expires_on: date | None, today: date) -> str:
    """valid, expired (the day after `expires_on`) or revoked (whatever the dates)."""
    if revoked_at is not None:
        return REVOKED
    if expires_on is not None and expires_on < today:
        return EXPIRED
    return VALID


def place_date_line(place: str, day: date, language: str) -> str:
    """The place and date line of a document: "Đà Nẵng, ngày 26 tháng 11 năm 2026" in
    Vietnamese, where days under 10 and months under 3 take a leading zero (Decree 30/2020,
    appendix I: "ngày 05 tháng 02", "ngày 05 tháng 7"); "Đà Nẵng, 26 November 2026" in
    English."""
    if language == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        written = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    else:
        written = format_date(day, "d MMMM y", locale=language)
    return f"{place}, {written}" if place else written


def download_name(serial: str) -> str:
    """The file name of a certificate's PDF."""
    return f"{serial}.pdf"
