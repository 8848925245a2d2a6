"""Shared fixtures: one app and schema per session, emptied after every test; clients logged in
as each role; a frozen clock; a query counter. TEST_DATABASE_URL picks SQLite or PostgreSQL."""

import os
import re
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

from lms import create_app
from lms.auth import services as auth
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER
from lms.extensions import db as _db
from lms.organisation import services as org
from tests.notice_default import ACKNOWLEDGE_NEW_USERS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PASSWORD = "Hoa-Sen-42"


def _database_url(tmp: str) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp}/test.sqlite3"


@pytest.fixture
def notice_unacknowledged():
    """Users made while the test runs have not acknowledged the privacy notice (see
    tests/notice_default.py)."""
    ACKNOWLEDGE_NEW_USERS["on"] = False
    yield
    ACKNOWLEDGE_NEW_USERS["on"] = True


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production, so `g`
    (Flask-Login's cached user) and the database session never leak from the test into requests."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """The application on a throw-away database, schema created once."""
    with tempfile.TemporaryDirectory() as tmp:
        application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": _database_url(tmp)})
        application.test_client_class = IsolatedClient
        with application.app_context():
            _db.drop_all()
            _db.create_all()
        yield application
        with application.app_context():
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """An app context per test; every table is emptied afterwards."""
    with app.app_context():
        yield _db
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        with _db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page's hidden input."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def make_units():
    """A small tree: DN (city) → SNV (department) → SNV-CCVC (division); DN → P-HAICHAU."""
    org.upsert_unit("DN", "Ủy ban nhân dân thành phố Đà Nẵng", "UBND", "tinh", None)
    org.upsert_unit("SNV", "Sở Nội vụ thành phố Đà Nẵng", "so", "tinh", "DN")
    org.upsert_unit("SNV-CCVC", "Phòng Công chức, viên chức", "phong", "tinh", "SNV")
    org.upsert_unit("P-HAICHAU", "Ủy ban nhân dân phường Hải Châu", "ubnd_phuong", "xa", "DN")
    org.upsert_rank("01.003", "Chuyên viên", "A1")
    org.upsert_rank("01.002", "Chuyên viên chính", "A2.1")
    org.upsert_position("CM-CCVC", "Chuyên viên về quản lý công chức, viên chức")
    org.upsert_position("XA-MC", "Công chức tiếp nhận và trả kết quả (một cửa) cấp xã")
    org.upsert_position("LD-TP", "Trưởng phòng")
    _db.session.flush()


def make_official(
    code: str,
    name: str,
    unit: str = "SNV-CCVC",
    position: str = "CM-CCVC",
    started_on: date = date(2020, 1, 1),
    gender: str = "female",
    **extra,
):
    """An official with a first primary assignment."""
    data = org.OfficialData(
        employee_code=code,
        full_name=name,
        gender=gender,
        category=extra.pop("category", "cong_chuc"),
        **extra,
    )
    return org.create_official(
        data, org.AssignmentData(unit, position, started_on, "01.003"), actor=None
    )


ROLES = ("learner", "manager", "hr", "reviewer", "admin")


def make_user(role: str):
    """A user for one of ROLES: hr and manager cover DN, reviewer covers SNV, learner is an
    official in P-HAICHAU with no grant."""
    codes = {"learner": "T-LEARN", "manager": "T-MAN", "hr": "T-HR", "reviewer": "T-REV"}
    official_id = None
    if role in codes:
        unit = "P-HAICHAU" if role == "learner" else "SNV-CCVC"
        official_id = make_official(codes[role], f"Người Dùng {role.title()}", unit).id
    user = auth.create_user(
        auth.NewUser(role, PASSWORD, role.title(), None, official_id, must_change_password=False),
        actor=None,
    )
    units = {u: org._lookup(org.OrgUnit, u, "unit", "") for u in ("DN", "SNV")}
    grant = {
        "manager": (TRAINING_MANAGER, "DN"),
        "hr": (HR_OFFICER, "DN"),
        "reviewer": (REVIEWER, "SNV"),
        "admin": (ADMINISTRATOR, None),
    }.get(role)
    if grant:
        auth.grant_role(user, grant[0], units[grant[1]].id if grant[1] else None, actor=None)
    _db.session.commit()
    return user


@pytest.fixture
def world(db):
    """Units, ranks, positions and one user per role (committed)."""
    make_units()
    users = {role: make_user(role) for role in ROLES}
    _db.session.commit()
    return users


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def login_as(app, world):
    """login_as("hr") → a test client logged in as that role."""

    def _login(role: str):
        c = app.test_client()
        response = login(c, role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return _login


@contextmanager
def count_queries():
    """Count SQL statements sent while the block runs: `with count_queries() as n: …; n[0]`."""
    counter = [0]

    def before(*_args):
        counter[0] += 1

    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)


@pytest.fixture
def freeze(monkeypatch):
    """freeze(date(2026, 6, 15)) or freeze(datetime(…)): clock.today() and clock.now() return
    that moment (Vietnam date; naive UTC time) until the test ends. Call again to move time."""
    from datetime import datetime, timedelta

    from lms.common import clock

    def _freeze(moment):
        if not isinstance(moment, datetime):
            moment = datetime(moment.year, moment.month, moment.day, 3, 0)  # 10:00 in Vietnam
        monkeypatch.setattr(clock, "now", lambda: moment)
        monkeypatch.setattr(clock, "today", lambda: (moment + timedelta(hours=7)).date())
        return moment

    return _freeze


@pytest.fixture
def english(app, monkeypatch):
    """English is the default language for this test: CLI output, messages raised outside a
    request and pages for browsers that state no language. For tests that check wording
    (the Vietnamese catalog's completeness is checked by
    tests/unit/test_common_translation_catalogs.py)."""
    import flask_babel

    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", "en")
    flask_babel.refresh()
    yield
    flask_babel.refresh()
