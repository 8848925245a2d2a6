"""Streamed downloads over a real HTTP server: a streamed CSV is read after the view returns,
outside the test client's shared app context, so only a live server shows whether it keeps its
request context (under gunicorn it was cut after the header row)."""

import http.cookiejar
import re
import urllib.parse
import urllib.request
from datetime import date
from decimal import Decimal

from lms.curricula.ledger import services as ledger
from lms.extensions import db
from tests.factories import PASSWORD, make_cycle, make_official, make_target


class Browserless:
    """Cookies, CSRF tokens and form posts with the standard library only."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, form_page: str, fields: dict) -> bytes:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(form_page)).group(1)
        data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as response:
            return response.read()


def test_the_compliance_csv_streams_every_row_over_http(live_server, world):
    cycle = make_cycle(2026)
    for number in range(1200):  # more than one streamed batch
        official = make_official(f"S{number:05}", f"Nguyễn Văn Số {number}", "P-HAICHAU")
        make_target(official, cycle, 3)
        if number % 3 == 0:
            ledger.append(
                ledger.NewEntry(official.id, date(2026, 2, 1), Decimal(1), "manual", "Lớp")
            )
    db.session.commit()
    hr = Browserless(live_server)
    hr.post("/auth/login", "/auth/login", {"username": "hr", "password": PASSWORD})
    body = hr.post(
        "/compliance/export?cycle=2026",
        "/compliance/export?cycle=2026",
        {"reason": "Kiểm tra tải về", "fmt": "csv"},
    ).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Mã cán bộ;Họ và tên")  # Vietnamese Excel's list separator
    assert len(lines) == 1 + 1200 + 4  # header, the officials, the four role users
    assert sum(line.startswith("S0") for line in lines) == 1200
