"""Sessions and passwords (issue 18): logging out ends the session on the server, a temporary
password opens nothing but the password page, a new password differs from the current one and
revokes the API tokens made before it."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from lms.auth import services as auth
from lms.auth.models import EndedSession
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.web.routes.api import bearer
from tests.web.test_access_matrix import MATRIX

TEMPORARY = "Tam-Thoi-2026"
NEW = "Song-Han-77"


def logout(client):
    return client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})


def change_password(client, current: str, new: str):
    return client.post(
        "/auth/password",
        data={
            "csrf_token": csrf_token(client, "/auth/password"),
            "current_password": current,
            "new_password": new,
            "confirm": new,
        },
    )


def test_a_copied_session_cookie_stops_working_at_logout(app, world):
    client, other_browser = app.test_client(), app.test_client()
    login(client, "hr")
    login(other_browser, "hr")
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/officials/").status_code == 200
    assert logout(client).status_code == 302
    assert "/auth/login" in thief.get("/officials/").location
    assert "/auth/login" in client.get("/officials/").location
    assert other_browser.get("/officials/").status_code == 200  # only that session ended


def test_ended_sessions_are_forgotten_once_their_cookies_have_timed_out(app, world, db):
    with time_machine.travel("2026-11-26 01:00:00+00:00", tick=False) as clock:
        first = app.test_client()
        login(first, "hr")
        logout(first)
        assert db.session.scalar(select(func.count()).select_from(EndedSession)) == 1
        clock.shift(timedelta(hours=12, minutes=1))  # LMS_SESSION_ABSOLUTE_HOURS
        second = app.test_client()
        login(second, "learner")
        logout(second)
        db.session.expire_all()
        [left] = db.session.scalars(select(EndedSession)).all()
        assert left.user_id == world["learner"].id


def _must_change(world, db):
    auth.reset_password(world["hr"], TEMPORARY, actor=world["admin"])
    db.session.commit()


def _any_url(app, endpoint: str, template: str) -> str:
    """The matrix row's URL with every {placeholder} of a path segment filled with "1" (others,
    query strings, left out): the guard answers before any view loads what the URL names
    (checked: the URL still reaches `endpoint`)."""
    url = re.sub(r"(?<=[/=])\{\w+\}", "1", template)
    url = re.sub(r"\{\w+\}", "", url)
    adapter = app.url_map.bind("localhost")
    assert adapter.match(url.split("?")[0], method="GET")[0] == endpoint, url
    return url


def test_a_temporary_password_opens_nothing_but_the_password_page(app, world, db):
    _must_change(world, db)
    client = app.test_client()
    assert login(client, "hr", TEMPORARY).location == "/auth/password"
    allowed = {"auth.change_password", "static", "main.health"}
    walked = 0
    for (endpoint, method), (template, _expected) in sorted(MATRIX.items()):
        if method != "GET" or endpoint in allowed:
            continue
        url = _any_url(app, endpoint, template)
        response = client.get(url)
        response.close()
        if url.startswith("/api/v1/") and endpoint.startswith("api."):  # sessions count nothing
            assert response.status_code != 200 or endpoint == "api.openapi_document", url
        else:
            assert response.status_code == 302, (endpoint, url, response.status_code)
            assert response.location == "/auth/password", (endpoint, url, response.location)
            walked += 1
    assert walked > 50
    page = client.get("/auth/password")
    assert page.status_code == 200 and "mật khẩu tạm thời" in page.get_data(as_text=True)
    token = csrf_token(client, "/auth/password")
    posted = client.post("/officials/new", data={"csrf_token": token})
    assert posted.location == "/auth/password"
    assert change_password(client, TEMPORARY, NEW).location == "/"
    assert client.get("/officials/").status_code == 200


def test_the_new_password_must_differ_from_the_current_one(app, world, db, login_as):
    client = login_as("learner")
    same = change_password(client, PASSWORD, PASSWORD)
    assert same.status_code == 200
    assert "Mật khẩu mới phải khác mật khẩu hiện tại" in same.get_data(as_text=True)
    admin = login_as("admin")
    reset = admin.post(
        f"/manage/users/{world['learner'].id}/password",
        data={"csrf_token": csrf_token(admin, "/auth/password"), "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Mật khẩu mới phải khác mật khẩu hiện tại" in reset.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(type(world["learner"]), world["learner"].id).must_change_password
    # a temporary password, then the user's own choice must differ from it
    _must_change(world, db)
    hr = app.test_client()
    login(hr, "hr", TEMPORARY)
    assert "Mật khẩu mới phải khác" in change_password(hr, TEMPORARY, TEMPORARY).get_data(
        as_text=True
    )


def test_changing_the_password_revokes_the_api_tokens_made_before_it(app, world, login_as):
    old = bearer(world["hr"], "HR sync")
    api = app.test_client()
    assert api.get("/api/v1/officials", headers=old).status_code == 200
    client = login_as("hr")
    assert change_password(client, PASSWORD, NEW).status_code == 302
    assert api.get("/api/v1/officials", headers=old).status_code == 401
    page = client.get("/manage/tokens").get_data(as_text=True)
    assert "do đổi mật khẩu" in page
    new = bearer(world["hr"], "HR sync 2")
    assert api.get("/api/v1/officials", headers=new).status_code == 200
    listed = app.test_cli_runner().invoke(args=["users", "list-tokens", "hr"]).output
    assert "revoked (password changed)\texpires never\tused" in listed and "active" in listed


def test_an_administrators_reset_revokes_the_users_api_tokens(app, world, login_as):
    old = bearer(world["learner"])
    hint = old["Authorization"].split()[1][:7]
    api = app.test_client()
    assert api.get("/api/v1/officials/T-LEARN", headers=old).status_code == 200
    admin = login_as("admin")
    assert hint in admin.get("/manage/tokens").get_data(as_text=True)  # active tokens of others
    admin.post(
        f"/manage/users/{world['learner'].id}/password",
        data={"csrf_token": csrf_token(admin, "/auth/password"), "password": TEMPORARY},
    )
    assert api.get("/api/v1/officials/T-LEARN", headers=old).status_code == 401
    assert hint not in admin.get("/manage/tokens").get_data(as_text=True)
