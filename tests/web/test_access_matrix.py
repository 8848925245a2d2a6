"""Role × route access matrix: every registered endpoint and method has an expected answer for
anonymous visitors and each role, and CSRF guards every POST. Adding a route without a row here
fails `test_every_route_has_a_row`; adding a route whose URL names an object (a unit, an
official, a certificate, an attempt, a job…) without a denial row — a request for an object
outside the caller's scope, run by tests/web/test_access_denials.py — or a reasoned exemption
fails `test_every_scoped_route_has_a_denial_row`."""

import pytest

from tests.conftest import ROLES, csrf_token
from tests.web import routes
from tests.web.routes.expect import (
    ADMIN_ONLY,
    ADMIN_ONLY_POST,
    ANON,
    ANY_USER,
    AUTHORS,
    AUTHORS_POST,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICIALS_POST,
    OK,
    REDIRECT,
    expect,
)

_expect = expect

# (endpoint, method) → (url, {role: status})
MATRIX = {
    ("main.home", "GET"): ("/", ANY_USER),
    ("main.my_data_json", "GET"): ("/me/data.json", ANY_USER),
    ("main.my_data_pdf", "GET"): ("/me/data.pdf", ANY_USER),
    ("main.health", "GET"): ("/healthz", _expect(OK, anonymous=OK)),
    ("static", "GET"): ("/static/app.css", _expect(OK, anonymous=OK)),
    ("auth.login", "GET"): ("/auth/login", _expect(REDIRECT, anonymous=OK)),
    ("auth.login", "POST"): ("/auth/login", _expect(REDIRECT, anonymous=OK)),
    ("auth.logout", "POST"): ("/auth/logout", _expect(REDIRECT)),
    ("auth.change_password", "GET"): ("/auth/password", ANY_USER),
    ("auth.change_password", "POST"): ("/auth/password", ANY_USER),
    ("auth.set_locale", "POST"): ("/locale/en", _expect(REDIRECT, anonymous=REDIRECT)),
    ("auth.two_factor", "GET"): ("/auth/2fa", _expect(REDIRECT)),
    ("auth.two_factor", "POST"): ("/auth/2fa", _expect(REDIRECT)),
    ("auth.two_factor_setup", "GET"): ("/auth/2fa/setup", ANY_USER),
    ("auth.two_factor_setup", "POST"): ("/auth/2fa/setup", ANY_USER),
    ("auth.user_reset_two_factor", "POST"): (
        "/manage/users/{learner_id}/2fa/reset",
        ADMIN_ONLY_POST,
    ),
    ("auth.users", "GET"): ("/manage/users", ADMIN_ONLY),
    ("auth.user_new", "GET"): ("/manage/users/new", ADMIN_ONLY),
    ("auth.user_new", "POST"): ("/manage/users/new", ADMIN_ONLY),
    ("auth.user_detail", "GET"): ("/manage/users/{learner_id}", ADMIN_ONLY),
    ("auth.user_grant", "POST"): ("/manage/users/{learner_id}/grants", ADMIN_ONLY_POST),
    ("auth.user_revoke", "POST"): (
        "/manage/users/{hr_id}/grants/{hr_grant_id}/revoke",
        ADMIN_ONLY_POST,
    ),
    ("auth.user_reset_password", "POST"): ("/manage/users/{learner_id}/password", ADMIN_ONLY_POST),
    ("auth.user_set_enabled", "POST"): ("/manage/users/{learner_id}/enabled", ADMIN_ONLY_POST),
    ("auth.audit_log", "GET"): ("/manage/audit", ADMIN_ONLY),
    ("auth.audit_export", "GET"): ("/manage/audit/export.csv", ADMIN_ONLY),
    ("organisation.registry", "GET"): (
        "/officials/",
        _expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK),
    ),
    ("organisation.official_new", "GET"): ("/officials/new", _expect(FORBIDDEN, hr=OK, admin=OK)),
    ("organisation.official_new", "POST"): ("/officials/new", _expect(FORBIDDEN, hr=OK, admin=OK)),
    ("organisation.official_detail", "GET"): (
        "/officials/T-MAN",
        _expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK),
    ),
    ("organisation.official_edit", "GET"): (
        "/officials/T-MAN/edit",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.official_edit", "POST"): (
        "/officials/T-MAN/edit",
        _expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
    ("organisation.concurrent_new", "GET"): (
        "/officials/T-MAN/concurrent",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.concurrent_new", "POST"): (
        "/officials/T-MAN/concurrent",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.assignment_end", "POST"): (
        "/officials/T-MAN/assignments/{man_concurrent_id}/end",
        _expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
    ("organisation.import_upload", "GET"): (
        "/officials/import",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.import_upload", "POST"): (
        "/officials/import",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.import_preview", "GET"): (
        "/officials/import/unknown-token",
        _expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.import_preview", "POST"): (
        "/officials/import/unknown-token",
        _expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.import_report", "GET"): (
        "/officials/import/unknown-token/report.csv",
        _expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.import_template", "GET"): (
        "/officials/import/template.xlsx",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.registry_export", "GET"): (
        "/officials/export",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.registry_export", "POST"): (
        "/officials/export",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.position_change", "GET"): (
        "/officials/T-MAN/position",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.position_change", "POST"): (
        "/officials/T-MAN/position",
        _expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    # Catalog: MXE is a published elective nobody is enrolled in (its lessons are open to its
    # authors only); MXM is published and mandatory for CM-CCVC, every test official's position.
    ("catalog.catalog", "GET"): ("/courses/", ANY_USER),
    ("catalog.course_detail", "GET"): ("/courses/{mxe}", ANY_USER),
    ("catalog.enrol", "POST"): ("/courses/{mxe}/enrol", OFFICIALS_POST),
    ("catalog.lesson", "GET"): ("/courses/{mxe}/lessons/mot", AUTHORS),
    ("catalog.lesson_done", "POST"): ("/courses/{mxm}/lessons/mot/done", OFFICIALS_POST),
    ("catalog.asset", "GET"): ("/courses/{mxe}/assets/so-do.png", AUTHORS),
    ("catalog.manage_courses", "GET"): ("/courses/manage/", AUTHORS),
    ("catalog.course_new", "GET"): ("/courses/manage/new", AUTHORS),
    ("catalog.course_new", "POST"): ("/courses/manage/new", AUTHORS),
    ("catalog.course_upload", "GET"): ("/courses/manage/upload", AUTHORS),
    ("catalog.course_upload", "POST"): ("/courses/manage/upload", AUTHORS),
    ("catalog.course_manage", "GET"): ("/courses/manage/{mxe}", AUTHORS),
    ("catalog.course_edit", "GET"): ("/courses/manage/{mxe}/edit", AUTHORS),
    ("catalog.course_edit", "POST"): ("/courses/manage/{mxe}/edit", AUTHORS),
    ("catalog.course_status", "POST"): ("/courses/manage/{mxe}/status", AUTHORS_POST),
    ("catalog.course_export", "GET"): ("/courses/manage/{mxe}/export.zip", AUTHORS),
    ("catalog.lesson_new", "GET"): ("/courses/manage/{mxe}/lessons/new", AUTHORS),
    ("catalog.lesson_new", "POST"): ("/courses/manage/{mxe}/lessons/new", AUTHORS),
    ("catalog.lesson_edit", "GET"): ("/courses/manage/{mxe}/lessons/{mxe_lesson}/edit", AUTHORS),
    ("catalog.lesson_edit", "POST"): (
        "/courses/manage/{mxe}/lessons/{mxe_lesson}/edit",
        AUTHORS_POST,
    ),
    ("catalog.lesson_move", "POST"): (
        "/courses/manage/{mxe}/lessons/{mxe_lesson}/move",
        AUTHORS_POST,
    ),
    ("catalog.lesson_remove", "POST"): (
        "/courses/manage/{mxe}/lessons/{mxe_lesson}/remove",
        AUTHORS_POST,
    ),
}
MATRIX.update(routes.collect("ACCESS"))
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
@pytest.mark.parametrize("role", (ANON, *ROLES))
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
