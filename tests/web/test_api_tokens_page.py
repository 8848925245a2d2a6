"""Making and revoking API tokens: the /manage/tokens page (own tokens; an administrator also
everyone's) and `flask --app lms users create-token|list-tokens|revoke-token`."""

import re

from sqlalchemy import select

from lms.api import tokens
from lms.api.models import ApiToken
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.conftest import csrf_token
from tests.web.routes.api import bearer


def _create(client, name: str = "Đồng bộ CSDL cán bộ", expires_on: str = ""):
    token = csrf_token(client, "/manage/tokens")
    return client.post(
        "/manage/tokens", data={"csrf_token": token, "name": name, "expires_on": expires_on}
    )


def _secret(html: str) -> str:
    match = re.search(r'id="new-token"[^>]*value="(tc_[^"]+)"', html)
    assert match, "the new token is not shown"
    return match.group(1)


def test_a_user_creates_a_token_sees_it_once_and_it_opens_the_api(login_as, world):
    client = login_as("hr")
    response = _create(client)
    assert response.status_code == 200
    secret = _secret(response.get_data(as_text=True))
    api = client.application.test_client()
    assert (
        api.get("/api/v1/officials", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    again = client.get("/manage/tokens").get_data(as_text=True)
    assert secret not in again and "Đồng bộ CSDL cán bộ" in again and secret[:7] in again
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.created"))
    assert entry.actor_id == world["hr"].id


def test_a_token_without_a_name_or_expiring_in_the_past_is_not_made(login_as):
    client = login_as("learner")
    cases = (("", ""), ("x" * 101, ""), ("Cũ", "2001-01-01"), ("Mãi", "9999-12-31"))
    for name, expires_on in cases:
        html = _create(client, name, expires_on).get_data(as_text=True)
        assert 'id="new-token"' not in html and 'class="error"' in html
    assert db.session.scalar(select(ApiToken.id)) is None


def test_an_expiry_date_is_the_last_day_the_token_works(login_as, world, freeze):
    from datetime import datetime

    client = login_as("hr")
    secret = _secret(_create(client, "Tạm", "2031-03-31").get_data(as_text=True))
    headers = {"Authorization": f"Bearer {secret}"}
    api = client.application.test_client()
    freeze(datetime(2031, 3, 31, 16, 59))  # 23:59 in Đà Nẵng
    assert api.get("/api/v1/officials", headers=headers).status_code == 200
    freeze(datetime(2031, 3, 31, 17, 0))  # midnight
    assert api.get("/api/v1/officials", headers=headers).status_code == 401


def test_the_owner_revokes_a_token_and_it_stops_working(login_as, world):
    client = login_as("learner")
    headers = bearer(world["learner"])
    token_id = tokens.tokens_of(world["learner"].id)[0].id
    csrf = csrf_token(client, "/manage/tokens")
    response = client.post(f"/manage/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 302
    api = client.application.test_client()
    assert api.get("/api/v1/officials/T-LEARN", headers=headers).status_code == 401
    page = client.get("/manage/tokens").get_data(as_text=True)
    assert f"/manage/tokens/{token_id}/revoke" not in page  # listed, without a revoke button
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.revoked"))


def test_nobody_but_the_owner_or_an_administrator_can_revoke_a_token(login_as, world):
    bearer(world["learner"])
    token = tokens.tokens_of(world["learner"].id)[0]
    for role in ("hr", "reviewer"):
        client = login_as(role)
        assert token.hint not in client.get("/manage/tokens").get_data(as_text=True)
        csrf = csrf_token(client, "/manage/tokens")
        assert (
            client.post(f"/manage/tokens/{token.id}/revoke", data={"csrf_token": csrf}).status_code
            == 404
        )
    admin = login_as("admin")
    page = admin.get("/manage/tokens").get_data(as_text=True)
    assert token.hint in page and "learner" in page
    csrf = csrf_token(admin, "/manage/tokens")
    assert (
        admin.post(f"/manage/tokens/{token.id}/revoke", data={"csrf_token": csrf}).status_code
        == 302
    )
    db.session.refresh(token)
    assert token.revoked_at is not None and token.revoked_by_id == world["admin"].id


def test_the_cli_prints_a_working_token_once(app, runner, world):
    result = runner.invoke(args=["users", "create-token", "HR", "--name", "CSDL cán bộ"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("tc_")
    api = app.test_client()
    assert (
        api.get("/api/v1/officials", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    listed = runner.invoke(args=["users", "list-tokens", "hr"])
    assert "CSDL cán bộ" in listed.output and secret not in listed.output
    token_id = tokens.tokens_of(world["hr"].id)[0].id
    assert runner.invoke(args=["users", "revoke-token", str(token_id)]).exit_code == 0
    assert (
        api.get("/api/v1/officials", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_the_cli_refuses_an_unknown_user_a_disabled_one_or_a_past_expiry(runner, world):
    from lms.auth import services as auth

    assert runner.invoke(args=["users", "create-token", "nobody"]).exit_code != 0
    past = runner.invoke(args=["users", "create-token", "hr", "--expires-on", "2001-01-01"])
    assert past.exit_code != 0
    auth.set_enabled(world["learner"], False, actor=world["admin"])
    db.session.commit()
    assert runner.invoke(args=["users", "create-token", "learner"]).exit_code != 0
    assert runner.invoke(args=["users", "revoke-token", "999"]).exit_code != 0
    assert db.session.scalar(select(ApiToken.id)) is None
