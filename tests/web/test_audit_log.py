"""The administrator's audit log: entries read as Vietnamese sentences (never raw codes), the
filters by action, actor, object and dates narrow the list, the page costs the same queries
however many entries it shows, and the CSV export carries the same words."""

import csv
import io
from datetime import datetime

from lms.audit import actions
from lms.audit.services import record
from lms.extensions import db
from tests.conftest import count_queries

SERIAL = "DN-2026-000007"


def _entry(actor, action, object_type, object_id, at: datetime, **values):
    entry = record(actor, action, object_type, object_id, after=values or None)
    entry.at = at
    return entry


def _log(world):
    """A few entries: the HR officer revokes a certificate on 03/03/2026 (10:00 in Vietnam)
    and views T-LEARN's record the day after; the system locks an account on 05/03."""
    hr = world["hr"]
    hr.display_name = "Trần Thị Hoa"
    _entry(hr, "certificate.revoked", "certificate", SERIAL, datetime(2026, 3, 3, 3, 0))
    _entry(hr, "official.viewed", "official", "T-LEARN", datetime(2026, 3, 4, 3, 0))
    _entry(None, "login.locked", "user", "khach", datetime(2026, 3, 5, 3, 0))
    db.session.commit()


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_entries_read_as_sentences_in_vietnamese(login_as, world):
    _log(world)
    page = _text(login_as("admin").get("/manage/audit"))
    assert f"Trần Thị Hoa đã thu hồi giấy chứng nhận {SERIAL}" in page
    assert "Trần Thị Hoa đã xem hồ sơ cán bộ T-LEARN – Người Dùng Learner" in page
    assert "Tài khoản khach đã bị tạm khóa do đăng nhập sai quá nhiều lần" in page
    assert "<code>certificate.revoked" not in page and ">certificate.revoked<" not in page


def test_the_audit_log_says_ip_address_and_a_venue_list_says_address(login_as, world):
    """One English word, two Vietnamese ones: the audit log's column is the IP address (Địa
    chỉ IP); a venue's address is a street address (Địa chỉ), not "Địa chỉ IP"."""
    from tests.factories import make_venue

    make_venue(address="Số 24 Trần Phú, Hải Châu")
    db.session.commit()
    assert ">Địa chỉ IP</th>" in _text(login_as("admin").get("/manage/audit"))
    venues = _text(login_as("manager").get("/classes/venues/"))
    assert ">Địa chỉ</th>" in venues and "Địa chỉ IP" not in venues


def test_the_same_entries_read_in_english_for_an_english_browser(login_as, world):
    _log(world)
    admin = login_as("admin")
    page = _text(admin.get("/manage/audit", headers={"Accept-Language": "en"}))
    # the account has no saved language, so the browser's is used
    assert f"Trần Thị Hoa revoked certificate {SERIAL}" in page


def test_filters_narrow_the_list(login_as, world):
    _log(world)
    admin = login_as("admin")

    def shown(**args) -> list[str]:
        page = _text(admin.get("/manage/audit", query_string=args))
        return [
            code
            for code, words in (
                ("certificate.revoked", "thu hồi giấy chứng nhận"),
                ("official.viewed", "đã xem hồ sơ cán bộ"),
                ("login.locked", "bị tạm khóa"),
            )
            if words in page
        ]

    assert shown() == ["certificate.revoked", "official.viewed", "login.locked"]
    assert shown(action="official.viewed") == ["official.viewed"]
    assert shown(actor="hoa") == ["certificate.revoked", "official.viewed"]
    assert shown(actor="hr") == ["certificate.revoked", "official.viewed"]
    assert shown(object_type="certificate") == ["certificate.revoked"]
    assert shown(object_id=SERIAL.lower()) == ["certificate.revoked"]  # codes in any case
    assert shown(object_type="official", object_id="T-LEARN") == ["official.viewed"]
    # dates are Vietnamese days: 04/03 from 00:00 to 24:00 in Vietnam
    assert shown(date_from="2026-03-04", date_to="2026-03-04") == ["official.viewed"]
    assert shown(date_from="04/03/2026") == ["official.viewed", "login.locked"]
    assert shown(date_to="2026-03-03") == ["certificate.revoked"]
    # unknown values are ignored rather than failing
    assert len(shown(action="no.such", object_type="planet", date_from="31/02/2026")) == 3


def test_the_day_boundary_is_vietnamese_midnight(login_as, world):
    hr = world["hr"]
    _entry(hr, "official.viewed", "official", "T-MAN", datetime(2026, 3, 3, 16, 59))  # 23:59
    _entry(hr, "official.viewed", "official", "T-REV", datetime(2026, 3, 3, 17, 0))  # 00:00
    db.session.commit()
    admin = login_as("admin")
    first = _text(admin.get("/manage/audit?date_to=2026-03-03"))
    second = _text(admin.get("/manage/audit?date_from=2026-03-04"))
    viewed = "đã xem hồ sơ cán bộ %s"
    assert viewed % "T-MAN" in first and viewed % "T-REV" not in first
    assert viewed % "T-REV" in second and viewed % "T-MAN" not in second


def test_the_page_costs_the_same_queries_with_more_entries(login_as, world):
    admin = login_as("admin")

    def queries_for(n: int) -> int:
        for i in range(n):
            code = ("T-LEARN", "T-MAN", "T-HR")[i % 3]
            record(world["hr"], "official.viewed", "official", code)
            record(world["admin"], "user.enabled", "user", world["learner"].id)
        db.session.commit()
        with count_queries() as counted:
            _text(admin.get("/manage/audit"))
        return counted[0]

    assert queries_for(2) == queries_for(40)


def test_only_administrators_see_the_log(login_as, world):
    for role in ("hr", "manager", "reviewer", "learner"):
        assert login_as(role).get("/manage/audit").status_code == 403
        assert login_as(role).get("/manage/audit/export.csv").status_code == 403


def test_the_export_has_the_same_words_and_filters(login_as, world):
    _log(world)
    response = login_as("admin").get("/manage/audit/export.csv?actor=hoa")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Thời gian", "Tên đăng nhập", "Người thực hiện", "Thao tác", "Nội dung"]
    assert [row[3] for row in rows[1:]] == [
        str(actions.ACTIONS["official.viewed"].label),
        str(actions.ACTIONS["certificate.revoked"].label),
    ]
    assert rows[2][3] == "Thu hồi giấy chứng nhận"
    assert rows[2][0] == "2026-03-03 10:00:00"  # Vietnam time
    assert rows[2][4] == f"Trần Thị Hoa đã thu hồi giấy chứng nhận {SERIAL}"
