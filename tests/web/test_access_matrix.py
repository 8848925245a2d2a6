"""Role × route access matrix: every registered endpoint and method has an expected answer for
anonymous visitors and each role, and CSRF guards every POST. Adding a route without a row here
fails `test_every_route_has_a_row`."""

import pytest

from tests.conftest import ROLES, csrf_token

ANON = "anonymous"
LOGIN = 302  # anonymous visitors are sent to the login page
OK, REDIRECT, FORBIDDEN = 200, 302, 403


def _expect(default, **by_role):
    return {
        ANON: by_role.pop("anonymous", LOGIN),
        **{role: by_role.get(role, default) for role in ROLES},
    }


ADMIN_ONLY = _expect(FORBIDDEN, admin=OK)
AUTHORS = _expect(FORBIDDEN, manager=OK, admin=OK)  # training managers (scope DN) and admins
AUTHORS_POST = _expect(FORBIDDEN, manager=REDIRECT, admin=REDIRECT)
OFFICIALS_POST = _expect(REDIRECT, admin=FORBIDDEN)  # the admin account is no official
ADMIN_ONLY_POST = _expect(FORBIDDEN, admin=REDIRECT)
ANY_USER = _expect(OK)

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
    ("catalog.course_detail", "GET"): ("/courses/MXE", ANY_USER),
    ("catalog.enrol", "POST"): ("/courses/MXE/enrol", OFFICIALS_POST),
    ("catalog.lesson", "GET"): ("/courses/MXE/lessons/mot", AUTHORS),
    ("catalog.lesson_done", "POST"): ("/courses/MXM/lessons/mot/done", OFFICIALS_POST),
    ("catalog.asset", "GET"): ("/courses/MXE/assets/so-do.png", AUTHORS),
    ("catalog.manage_courses", "GET"): ("/courses/manage/", AUTHORS),
    ("catalog.course_new", "GET"): ("/courses/manage/new", AUTHORS),
    ("catalog.course_new", "POST"): ("/courses/manage/new", AUTHORS),
    ("catalog.course_upload", "GET"): ("/courses/manage/upload", AUTHORS),
    ("catalog.course_upload", "POST"): ("/courses/manage/upload", AUTHORS),
    ("catalog.course_manage", "GET"): ("/courses/manage/MXE", AUTHORS),
    ("catalog.course_edit", "GET"): ("/courses/manage/MXE/edit", AUTHORS),
    ("catalog.course_edit", "POST"): ("/courses/manage/MXE/edit", AUTHORS),
    ("catalog.course_status", "POST"): ("/courses/manage/MXE/status", AUTHORS_POST),
    ("catalog.course_export", "GET"): ("/courses/manage/MXE/export.zip", AUTHORS),
    ("catalog.lesson_new", "GET"): ("/courses/manage/MXE/lessons/new", AUTHORS),
    ("catalog.lesson_new", "POST"): ("/courses/manage/MXE/lessons/new", AUTHORS),
    ("catalog.lesson_edit", "GET"): ("/courses/manage/MXE/lessons/{mxe_lesson}/edit", AUTHORS),
    ("catalog.lesson_edit", "POST"): (
        "/courses/manage/MXE/lessons/{mxe_lesson}/edit",
        AUTHORS_POST,
    ),
    ("catalog.lesson_move", "POST"): (
        "/courses/manage/MXE/lessons/{mxe_lesson}/move",
        AUTHORS_POST,
    ),
    ("catalog.lesson_remove", "POST"): (
        "/courses/manage/MXE/lessons/{mxe_lesson}/remove",
        AUTHORS_POST,
    ),
}


def _registered(app):
    pairs = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return pairs


def _concurrent_post() -> int:
    """A concurrent post of the manager's official, for the assignment_end route."""
    from datetime import date

    from lms.extensions import db
    from lms.organisation import services as org
    from lms.organisation.models import Official

    official = db.session.scalar(db.select(Official).where(Official.employee_code == "T-MAN"))
    post = org.add_concurrent(official, org.AssignmentData("SNV", "LD-TP", date(2024, 1, 1)), None)
    db.session.commit()
    return post.id


def _catalog_courses(app, tmp_path, monkeypatch) -> int:
    """The MXE and MXM courses (owned by DN); returns the id of MXE's first lesson."""
    from lms.catalog.models import Lesson
    from lms.extensions import db
    from tests.catalog_factories import course_tree, import_tree

    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    files = course_tree("MXE", lessons=2, assets=True)
    files |= course_tree("MXM", lessons=2, kind="by_position", positions=("CM-CCVC",))
    import_tree({path.replace("khai-niem", "mot"): data for path, data in files.items()})
    return db.session.scalar(db.select(Lesson.id).where(Lesson.slug == "mot").order_by(Lesson.id))


def test_every_route_has_a_row(app):
    missing = _registered(app) - set(MATRIX)
    stale = set(MATRIX) - _registered(app)
    assert not missing, f"routes without an access-matrix row: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


def _url(template, world):
    hr = world["hr"]
    return template.format(
        learner_id=world["learner"].id,
        hr_id=hr.id,
        hr_grant_id=hr.grants[0].id,
        man_concurrent_id=world["concurrent_id"],
        mxe_lesson=world["mxe_lesson"],
    )


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0]}:{k[1]}")
@pytest.mark.parametrize("role", (ANON, *ROLES))
def test_access(role, key, app, world, login_as, tmp_path, monkeypatch):
    world["concurrent_id"] = _concurrent_post()
    world["mxe_lesson"] = _catalog_courses(app, tmp_path, monkeypatch)
    endpoint, method = key
    template, expected = MATRIX[key]
    client = app.test_client() if role == ANON else login_as(role)
    url = _url(template, world)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/auth/login" if role == ANON else "/auth/password")
        response = client.post(url, data={"csrf_token": token})
    response.close()
    assert response.status_code == expected[role], (role, endpoint, method, url)
    if expected[role] == LOGIN and role == ANON and endpoint not in {"auth.set_locale"}:
        assert "/auth/login" in response.location


@pytest.mark.parametrize("key", sorted(k for k in MATRIX if k[1] == "POST"), ids=lambda k: k[0])
def test_post_without_csrf_token_is_refused(key, app, world, login_as, tmp_path, monkeypatch):
    world["concurrent_id"] = _concurrent_post()
    world["mxe_lesson"] = _catalog_courses(app, tmp_path, monkeypatch)
    client = login_as("admin")
    response = client.post(_url(MATRIX[key][0], world), data={})
    assert response.status_code == 400
    assert (
        "Biểu mẫu" in response.get_data(as_text=True)
        or "form" in response.get_data(as_text=True).lower()
    )
