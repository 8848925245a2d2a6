"""Logging in and out, passwords and account administration, as a user sees them (throttling:
test_auth_login_throttling.py)."""

import time_machine
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.common import clock
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD


def test_each_role_lands_on_its_home_panel(app, world):
    panels = {
        "learner": "Hồ sơ của tôi",
        "hr": "Nhân sự",
        "manager": "Quản lý đào tạo",
        "admin": "Quản trị",
        "reviewer": "đánh giá",
    }
    for role, heading in panels.items():
        client = app.test_client()
        response = login(client, role)
        assert response.status_code == 302 and response.location == "/"
        home = client.get("/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
        assert heading in home, role


def test_wrong_password_shows_a_vietnamese_error(client, world):
    response = login(client, "hr", "nope")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_logout_is_a_post_and_ends_the_session(login_as):
    client = login_as("hr")
    assert client.get("/auth/logout").status_code == 405
    token = csrf_token(client, "/auth/password")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert "/auth/login" in client.get("/officials/").location


def test_next_parameter_only_redirects_inside_the_site(client, world):
    token = csrf_token(client)
    data = {"username": "hr", "password": PASSWORD, "csrf_token": token}
    response = client.post("/auth/login?next=https://evil.example/x", data=data)
    assert response.location == "/"
    client2 = client.application.test_client()
    data["csrf_token"] = csrf_token(client2)
    assert client2.post("/auth/login?next=/officials/", data=data).location == "/officials/"


def test_password_change_checks_the_current_one_and_the_rules(login_as, db):
    client = login_as("learner")
    token = csrf_token(client, "/auth/password")
    bad = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current_password": "x",
            "new_password": "Newpass123",
            "confirm": "Newpass123",
        },
    )
    assert "Mật khẩu hiện tại không đúng" in bad.get_data(as_text=True)
    weak = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "short",
            "confirm": "short",
        },
    )
    assert "8" in weak.get_data(as_text=True)
    ok = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "Newpass123",
            "confirm": "Newpass123",
        },
    )
    assert ok.status_code == 302
    fresh = client.application.test_client()
    assert login(fresh, "learner", PASSWORD).status_code == 401
    assert login(fresh, "learner", "Newpass123").status_code == 302


def test_admin_reset_forces_a_new_password_at_next_login(login_as, world, db):
    admin = login_as("admin")
    learner = world["learner"]
    token = csrf_token(admin, "/auth/password")
    admin.post(
        f"/manage/users/{learner.id}/password", data={"csrf_token": token, "password": "Temp12345"}
    )
    client = admin.application.test_client()
    response = login(client, "learner", "Temp12345")
    assert response.location == "/auth/password"
    assert (
        db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "user.password_reset")
        ).actor_id
        == world["admin"].id
    )


def test_admin_grants_and_revokes_roles_with_an_audit_trail(login_as, world, db):
    admin = login_as("admin")
    learner = world["learner"]
    token = csrf_token(admin, "/auth/password")
    from lms.organisation.models import OrgUnit

    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    admin.post(
        f"/manage/users/{learner.id}/grants",
        data={"csrf_token": token, "role": "reviewer", "unit": str(unit.id)},
    )
    db.session.expire_all()
    grant = db.session.get(User, learner.id).grants[0]
    assert (grant.role, grant.unit_id) == ("reviewer", unit.id)
    admin.post(f"/manage/users/{learner.id}/grants/{grant.id}/revoke", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, learner.id).grants == []
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["role.granted", "role.revoked"]
    log = admin.get("/manage/audit").get_data(as_text=True)
    assert "Admin đã thu hồi vai trò của tài khoản learner (Learner)" in log


def test_the_last_administrator_cannot_be_removed(login_as, world, db):
    admin = login_as("admin")
    grant = world["admin"].grants[0]
    token = csrf_token(admin, "/auth/password")
    response = admin.post(
        f"/manage/users/{world['admin'].id}/grants/{grant.id}/revoke",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "quản trị" in response.get_data(as_text=True).lower()
    db.session.expire_all()
    assert db.session.get(User, world["admin"].id).grants


def test_a_disabled_account_cannot_log_in(login_as, world):
    admin = login_as("admin")
    token = csrf_token(admin, "/auth/password")
    admin.post(f"/manage/users/{world['learner'].id}/enabled", data={"csrf_token": token})
    assert login(admin.application.test_client(), "learner").status_code == 401


def test_new_account_linked_to_an_unknown_official_is_refused(login_as, db):
    admin = login_as("admin")
    token = csrf_token(admin, "/auth/password")
    response = admin.post(
        "/manage/users/new",
        data={
            "csrf_token": token,
            "username": "new",
            "display_name": "Mới",
            "employee_code": "NOPE",
            "password": "Temp12345",
        },
    )
    assert "Không tìm thấy cán bộ có mã cán bộ này" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "new")) is None


def test_passwords_are_stored_hashed(world, db):
    user = db.session.get(User, world["hr"].id)
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("pbkdf2:")


def test_clock_today_is_vietnam_date():
    with time_machine.travel("2026-11-26 18:30:00+00:00", tick=False):
        assert clock.today().isoformat() == "2026-11-27"
