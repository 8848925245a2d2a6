"""One scope model (lms.auth.scope.Scope) for the web and the API: for the same grants, the
registry page, the registry export and the API's officials list hold the same officials (the
API adds the caller's own record, which the registry shows only when a grant covers it)."""

import re

import pytest

from lms.auth import services as auth
from lms.auth.models import HR_OFFICER, REVIEWER
from lms.extensions import db
from lms.organisation.models import OrgUnit
from tests.conftest import PASSWORD, login, make_official
from tests.web.routes.api import bearer

PEOPLE = {"Q-DN": "DN", "Q-SNV": "SNV", "Q-CCVC": "SNV-CCVC", "Q-HC": "P-HAICHAU"}


@pytest.fixture
def people(world):
    for code, unit in PEOPLE.items():
        make_official(code, f"Người {code}", unit)
    # A user with two grants: HR over P-HAICHAU, reviewer over SNV-CCVC; no record of their own.
    two = auth.create_user(
        auth.NewUser("two", PASSWORD, "Two", None, None, must_change_password=False), actor=None
    )
    units = {u.code: u.id for u in db.session.query(OrgUnit)}
    auth.grant_role(two, HR_OFFICER, units["P-HAICHAU"], actor=None)
    auth.grant_role(two, REVIEWER, units["SNV-CCVC"], actor=None)
    db.session.commit()
    return {**world, "two": two}


def _web(app, username: str) -> set[str]:
    client = app.test_client()
    assert login(client, username).status_code == 302
    html = client.get("/officials/", query_string={"per_page": 200}).get_data(as_text=True)
    return set(re.findall(r'<a href="/officials/([^"/?]+)">', html))


def _api(app, user) -> set[str]:
    answer = app.test_client().get(
        "/api/v1/officials?per_page=100&purpose=parity", headers=bearer(user)
    )
    return {item["employee_code"] for item in answer.get_json()["items"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("hr", set(PEOPLE) | {"T-LEARN", "T-MAN", "T-HR", "T-REV"}),  # HR over DN: everyone
        ("admin", set(PEOPLE) | {"T-LEARN", "T-MAN", "T-HR", "T-REV"}),
        ("reviewer", {"Q-SNV", "Q-CCVC", "T-MAN", "T-HR", "T-REV"}),  # SNV's subtree
        ("two", {"Q-CCVC", "Q-HC", "T-LEARN", "T-MAN", "T-HR", "T-REV"}),  # both subtrees
    ],
)
def test_the_web_registry_and_the_api_see_the_same_officials(app, people, username, expected):
    web = _web(app, username)
    assert web == expected
    assert _api(app, people[username]) == web


def test_the_api_adds_only_the_callers_own_record(app, people):
    assert _api(app, people["learner"]) == {"T-LEARN"}  # no grant: one's own record
    assert _api(app, people["manager"]) == {"T-MAN"}  # the registry is not a manager's
