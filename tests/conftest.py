"""Shared fixtures: one app and schema per session, emptied after every test; clients logged in
as each role; a frozen clock; a query counter; a course-assets folder. TEST_DATABASE_URL picks
SQLite or PostgreSQL. What tests build is made by tests/factories.py (re-exported here for
older imports)."""

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text

from lms import create_app
from lms.extensions import db as _db
from tests.factories import (  # noqa: F401
    HEAD_USER,
    PASSWORD,
    ROLES,
    make_head,
    make_official,
    make_units,
    make_user,
)
from tests.notice_default import ACKNOWLEDGE_NEW_USERS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _database_url(tmp: str) -> str:
    """SQLite in the run's temporary folder, or TEST_DATABASE_URL. Under pytest-xdist each worker
    has its own PostgreSQL database, `<name>_<worker>`, made afresh beside the named one."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp}/test.sqlite3"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not base.startswith("postgresql"):
        return base
    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


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


@pytest.fixture(scope="session", autouse=True)
def signing_dir():
    """The run's signing keys (docs/signing.md): a demo CA, agency certificate and Ed25519 key
    made once into a temporary folder and named by LMS_SIGNING_DIR in the environment, so every
    app made by the tests (production ones included) signs with them."""
    from lms.signing.demo import write_demo_keys

    previous = os.environ.get("LMS_SIGNING_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LMS_SIGNING_DIR"] = str(write_demo_keys(Path(tmp) / "signing"))
        yield Path(os.environ["LMS_SIGNING_DIR"])
    if previous is None:
        os.environ.pop("LMS_SIGNING_DIR", None)
    else:
        os.environ["LMS_SIGNING_DIR"] = previous


@pytest.fixture(scope="session")
def app():
    """The application on a throw-away database, schema created once."""
    with tempfile.TemporaryDirectory() as tmp:
        application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": _database_url(tmp)})
        application.test_client_class = IsolatedClient
        with application.app_context():
            _db.drop_all()
            _db.create_all()
            with _db.engine.begin() as connection:
                _keep_insertion_order(connection)
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
        with _db.engine.begin() as connection:
            _empty_tables(connection)


_CLEANUPS = {"since_truncate": 0}
TRUNCATE_EVERY = 200  # cleanups; bounds the dead rows DELETE leaves behind on PostgreSQL


def _keep_insertion_order(connection) -> None:
    """On PostgreSQL, no autovacuum on the test tables: rows deleted after a test leave their
    space unlisted, so the next test's rows are stored, and read back by a plain scan, in the
    order they were written, as after a TRUNCATE (a test reading rows without ORDER BY stays
    deterministic). The periodic TRUNCATE in `_empty_tables` drops the dead rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in _db.metadata.sorted_tables:
        connection.execute(text(f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false)'))


def _empty_tables(connection) -> None:
    """Empty the tables a test wrote to, children first. One query finds them (most tests write
    to a few of the hundred). DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every table after
    each test made a third of the suite's time; it runs every TRUNCATE_EVERY tests instead, and
    every sequence starts again at 1 after each test, as after a TRUNCATE."""
    tables = list(reversed(_db.metadata.sorted_tables))
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        _CLEANUPS["since_truncate"] += 1
        if _CLEANUPS["since_truncate"] >= TRUNCATE_EVERY:
            _CLEANUPS["since_truncate"] = 0
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
    # The names come from the models, never from input.
    probe = "SELECT '{0}' WHERE EXISTS (SELECT 1 FROM \"{0}\")"
    found = " UNION ALL ".join(probe.format(t.name) for t in tables)
    written = {name for (name,) in connection.execute(text(found))}
    for table in tables:
        if table.name in written:
            connection.execute(table.delete())
    if postgresql:
        sequences = connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        ).scalars()
        restart = ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences)
        if restart:
            connection.execute(text(f"SELECT {restart}"))


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


@pytest.fixture
def assets_dir(app, tmp_path, monkeypatch):
    """Course assets go to a temporary folder for this test."""
    folder = tmp_path / "course_assets"
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(folder))
    return folder


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
        if role == HEAD_USER:
            make_head()  # not in every world: made when a test logs in as the head
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
