"""The privacy notice (Law 91/2025/QH15): shown at the first login and after every new
version, acknowledged once per version with its time stored and audited; until then no other
page opens (like the must-change-password gate); the token API is not gated; the notice is
public and linked from every page's footer."""

from datetime import datetime

import pytest
from sqlalchemy import delete, select

from lms.api import tokens
from lms.audit.models import AuditEntry
from lms.privacy import notice
from lms.privacy.models import NoticeAcknowledgement
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD

NOW = datetime(2026, 3, 2, 1, 30)  # 08:30 in Vietnam


def unacknowledge(db, user):
    """As if `user` had never acknowledged the notice (a demo user, a real first login)."""
    db.session.execute(
        delete(NoticeAcknowledgement).where(NoticeAcknowledgement.user_id == user.id)
    )
    db.session.commit()


def acknowledge(client, target="/"):
    token = csrf_token(client, f"/privacy/acknowledge?next={target}")
    return client.post(f"/privacy/acknowledge?next={target}", data={"csrf_token": token})


def test_at_first_login_no_page_opens_until_the_notice_is_acknowledged(app, world, db, freeze):
    freeze(NOW)
    unacknowledge(db, world["hr"])
    client = app.test_client()
    assert login(client, "hr").location == "/"
    for path in ("/", "/me", "/officials/?q=an", "/inbox", "/manage/tokens", "/me/data.json"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location.startswith("/privacy/acknowledge?next="), path
    # A form posted meanwhile does nothing either.
    token = csrf_token(client, "/privacy/acknowledge")
    read_all = client.post("/inbox/read-all", data={"csrf_token": token})
    assert read_all.location.startswith("/privacy/acknowledge")

    page = client.get("/privacy/acknowledge?next=/officials/?q=an").get_data(as_text=True)
    assert "Thông báo xử lý dữ liệu cá nhân" in page
    assert "91/2025/QH15" in page and "Cơ sở pháp lý" in page
    assert (
        "1.825 ngày" in page and "365 ngày" in page
    )  # the retention settings, as set (in vi digits)
    assert "Tôi đã đọc thông báo này" in page

    done = acknowledge(client, "/officials/?q=an")
    assert done.status_code == 302 and done.location == "/officials/?q=an"
    assert client.get("/officials/?q=an").status_code == 200
    assert client.get("/").status_code == 200

    row = db.session.scalar(
        select(NoticeAcknowledgement).where(NoticeAcknowledgement.user_id == world["hr"].id)
    )
    assert (row.version, row.acknowledged_at) == (notice.VERSION, NOW)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "privacy.notice_acknowledged")
    )
    assert entry.actor_id == world["hr"].id and entry.at == NOW
    assert entry.after["version"] == notice.VERSION
    # The public page says when.
    assert "Anh/chị đã xác nhận thông báo này lúc" in client.get("/privacy").get_data(as_text=True)


def test_a_new_version_asks_again_even_in_an_open_session(app, world, db, monkeypatch):
    client = app.test_client()
    login(client, "learner")
    assert client.get("/me").status_code == 200  # acknowledged (made by the test factories)
    first = notice.VERSION
    monkeypatch.setattr(notice, "VERSION", "2027-01")
    response = client.get("/me")
    assert response.location == "/privacy/acknowledge?next=/me"
    assert "Phiên bản 2027-01" in client.get(response.location).get_data(as_text=True)
    assert acknowledge(client, "/me").location == "/me"
    assert client.get("/me").status_code == 200
    versions = db.session.scalars(
        select(NoticeAcknowledgement.version)
        .where(NoticeAcknowledgement.user_id == world["learner"].id)
        .order_by(NoticeAcknowledgement.id)
    ).all()
    assert versions == [first, "2027-01"]


def test_the_token_api_is_not_gated(app, world, db, client):
    unacknowledge(db, world["hr"])
    created = tokens.create_token(world["hr"], "HRM", None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {created.secret}"}
    assert client.get("/api/v1/officials", headers=headers).status_code == 200


def test_the_password_comes_first_then_the_notice(app, world, db):
    user = world["reviewer"]
    user.must_change_password = True
    db.session.commit()
    unacknowledge(db, user)
    client = app.test_client()
    assert login(client, "reviewer").location == "/auth/password"
    assert client.get("/").location == "/auth/password"
    token = csrf_token(client, "/auth/password")
    changed = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "Song-Han-2026",
            "confirm": "Song-Han-2026",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").location.startswith("/privacy/acknowledge")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_notice_is_public_and_linked_from_the_footer(app, world, signed_in):
    client = app.test_client()
    if signed_in:
        login(client, "learner")
    page = client.get("/privacy")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in html
    assert "Sổ tín chỉ, giấy chứng nhận và bản tổng hợp bồi dưỡng đã chốt" in html
    login_page = client.get("/auth/login" if not signed_in else "/").get_data(as_text=True)
    assert 'href="/privacy"' in login_page


def test_the_notice_states_the_configured_periods_and_contact(app, world, client, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_RETENTION_UPLOAD_DAYS", 0)
    monkeypatch.setitem(app.config, "LMS_PRIVACY_RESPONSE_DAYS", 15)
    monkeypatch.setitem(app.config, "LMS_PRIVACY_CONTACT", "dpo@danang.gov.vn")
    html = client.get("/privacy").get_data(as_text=True)
    assert "lưu trữ lâu dài" in html
    assert "trong vòng 15 ngày" in html
    assert "dpo@danang.gov.vn" in html
