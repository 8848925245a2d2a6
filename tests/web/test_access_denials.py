"""Denial rows of the access matrix: for every route whose URL names an object, a caller who may
open it for an object in their scope asks for one outside it and gets 404 (or 403 where that is
the route's answer), with nothing of the foreign object in the answer and no row of the
database changed. The rows live with their domain in tests/web/routes/<domain>.py (`DENIALS`);
`tests/web/test_access_matrix.py::test_every_scoped_route_has_a_denial_row` fails for a route
with URL arguments that has neither a row nor a reasoned exemption (`DENIAL_EXEMPT`).

The data is built once for the whole module (one world, one logged-in client per role), and
each row is one request."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from tests.conftest import HEAD_USER, ROLES, csrf_token, login, make_head, make_units, make_user
from tests.web import routes
from tests.web.routes.expect import Denial
from tests.web.routes.scene import FOREIGN_MARKERS

DENIALS: dict = routes.collect("DENIALS")


def _rows():
    for (endpoint, method), value in sorted(DENIALS.items()):
        for denial in value if isinstance(value, tuple) else (value,):
            yield pytest.param(endpoint, method, denial, id=f"{endpoint}:{method}:{denial.role}")


# Rows a refused request may write without changing any object: the sessions and throttling
# of the callers' own logins, and the last use of the caller's own API token.
IGNORED_COLUMNS = {"api_tokens": {"last_used_at", "last_used_ip"}}


def _empty_tables(db):
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture(scope="module", autouse=True)
def db(app):
    """One app context and one set of data for the whole module (overrides the per-test `db`
    of tests/conftest.py); every table is emptied at the end."""
    from lms.extensions import db as _db

    with app.app_context():
        yield _db
        _db.session.remove()
        _empty_tables(_db)


@pytest.fixture(scope="module")
def scene(app, db, tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    make_units()
    world = {role: make_user(role) for role in ROLES}
    db.session.commit()
    yield routes.Scene(app, world, tmp_path_factory.mktemp("denials"), monkeypatch)
    monkeypatch.undo()


@pytest.fixture(scope="module")
def callers(app, scene):
    """role → (client logged in as that role, its CSRF token); `api:role` → bearer headers."""
    made = {}

    def caller(role: str, api: bool = False):
        key = f"api:{role}" if api else role
        if key not in made:
            if api:
                from tests.web.routes.api import bearer

                made[key] = (app.test_client(), bearer(scene.world[role], "denials"))
            else:
                if role == HEAD_USER:
                    make_head()
                client = app.test_client()
                assert login(client, role).status_code == 302
                made[key] = (client, csrf_token(client, "/auth/password"))
        return made[key]

    return caller


def snapshot(db) -> dict:
    """Every row of every table, read afresh."""
    db.session.rollback()
    state = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            ignored = IGNORED_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in ignored]
            rows = connection.execute(table.select().with_only_columns(*columns)).all()
            state[table.name] = sorted(map(repr, rows))
    return state


def _changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def _markers(role: str) -> tuple[str, ...]:
    """What no denial may show: the foreign data's words and the other test officials' names."""
    others = tuple(f"Người Dùng {other.title()}" for other in ROLES if other not in (role, "admin"))
    return FOREIGN_MARKERS + others


@pytest.mark.parametrize(("endpoint", "method", "denial"), list(_rows()))
def test_denied(endpoint, method, denial: Denial, app, scene, callers, db):
    url = scene.url(denial.url)
    path = urlsplit(url).path
    routed = app.url_map.bind("localhost").match(path, method)[0]
    assert routed == endpoint, f"{url} is routed to {routed}, not to {endpoint}"
    client, credential = callers(denial.role, denial.api)
    before = snapshot(db)
    if denial.api:
        response = client.open(url, method=method, headers=credential, json=denial.data or {})
    elif method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": credential, **(denial.data or {})})
    body = response.get_data().decode("utf-8", "replace")
    response.close()
    assert response.status_code == denial.status, (endpoint, method, url, body[:300])
    shown = [marker for marker in _markers(denial.role) if marker in body]
    assert not shown, f"{endpoint} {url} shows {shown}"
    changed = _changed(before, snapshot(db))
    assert not changed, f"{method} {url} as {denial.role} changed {changed}"
