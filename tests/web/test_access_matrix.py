"""Role × route access matrix: every registered endpoint and method has an expected answer for
anonymous visitors and each role, and CSRF guards every POST. The rows live with their domain, in
tests/web/routes/<domain>.py (`ACCESS`, with `DENIALS` and `DENIAL_EXEMPT`): this file is the one
place that collects and runs them. Adding a route without a row fails
`test_every_route_has_a_row`; adding a route whose URL names an object (a unit, an official, a
certificate, an attempt, a job…) without a denial row — a request for an object outside the
caller's scope, run by tests/web/test_access_denials.py — or a reasoned exemption fails
`test_every_scoped_route_has_a_denial_row`."""

import pytest

from tests.conftest import HEAD_USER, ROLES, csrf_token
from tests.web import routes
from tests.web.routes.expect import (
    ANON,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    expect,
)

_expect = expect

MATRIX = routes.collect("ACCESS")
DENIALS = routes.collect("DENIALS")
DENIAL_EXEMPT = routes.collect("DENIAL_EXEMPT")


def _registered(app):
    pairs = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return pairs


def test_every_route_has_a_row(app):
    missing = _registered(app) - set(MATRIX)
    stale = set(MATRIX) - _registered(app)
    assert not missing, f"routes without an access-matrix row: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


def _scoped(app):
    """(endpoint, method) of every route whose URL takes an argument."""
    pairs = set()
    for rule in app.url_map.iter_rules():
        if rule.arguments:
            pairs |= {(rule.endpoint, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return pairs


def test_every_scoped_route_has_a_denial_row(app):
    """Generated from the route table: each route with URL arguments has a denial row for each
    of its methods, or its endpoint is exempt with a reason."""
    scoped = _scoped(app)
    missing = {pair for pair in scoped - set(DENIALS) if pair[0] not in DENIAL_EXEMPT}
    assert not missing, f"scoped routes without a denial row: {sorted(missing)}"
    # Routes scoped by a query argument (?unit=, ?run=) may have rows too.
    stale = set(DENIALS) - _registered(app)
    assert not stale, f"denial rows for routes that do not exist: {sorted(stale)}"
    endpoints = {endpoint for endpoint, _method in scoped}
    assert not set(DENIAL_EXEMPT) - endpoints, "exemptions of routes that take no argument"
    assert not set(DENIAL_EXEMPT) & {e for e, _m in DENIALS}, "an exempt route with a row"
    assert all(len(reason) > 20 for reason in DENIAL_EXEMPT.values()), "say why it is exempt"


def test_denial_callers_may_open_the_route(app):
    """A denial is asked by a role the matrix lets into the route (not refused by role), and
    answers 404, or 403 where the route itself answers so."""
    for key, value in DENIALS.items():
        for denial in value if isinstance(value, tuple) else (value,):
            assert denial.status in (NOT_FOUND, FORBIDDEN), (key, denial)
            if not denial.api:
                assert MATRIX[key][1][denial.role] != FORBIDDEN, (key, denial.role)


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0]}:{k[1]}")
@pytest.mark.parametrize("role", (ANON, *ROLES, HEAD_USER))
def test_access(role, key, app, world, login_as, tmp_path, monkeypatch):
    scene = routes.Scene(app, world, tmp_path, monkeypatch)
    endpoint, method = key
    template, expected = MATRIX[key]
    client = app.test_client() if role == ANON else login_as(role)
    url = scene.url(template)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/auth/login" if role == ANON else "/auth/password")
        response = client.post(url, data={"csrf_token": token})
    response.close()
    assert response.status_code == expected[role], (role, endpoint, method, url)
    if expected[role] == LOGIN and role == ANON and endpoint not in {"auth.set_locale"}:
        assert "/auth/login" in response.location


# The JSON API (/api/) takes no cookie, only bearer tokens: there is no session to forge for.
@pytest.mark.parametrize(
    "key",
    sorted(k for k in MATRIX if k[1] == "POST" and not MATRIX[k][0].startswith("/api/")),
    ids=lambda k: k[0],
)
def test_post_without_csrf_token_is_refused(key, app, world, login_as, tmp_path, monkeypatch):
    scene = routes.Scene(app, world, tmp_path, monkeypatch)
    client = login_as("admin")
    response = client.post(scene.url(MATRIX[key][0]), data={})
    assert response.status_code == 400
    assert (
        "Biểu mẫu" in response.get_data(as_text=True)
        or "form" in response.get_data(as_text=True).lower()
    )
