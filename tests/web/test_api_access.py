"""Who sees what through the API, with each test user's own token: HR (DN) and the
administrator everything; the reviewer (SNV) only SNV's subtree; the training manager (DN)
ledgers and certificates but not the registry; the learner (P-HAICHAU, no grant) only their own
record. Outside the reach the answer is 404, as if the object did not exist."""

from datetime import date

import pytest

from lms.auth import services as auth
from lms.auth.models import HR_OFFICER
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.organisation.services import _lookup
from tests.factories import make_cycle, make_official
from tests.web.routes.api import bearer

ROLES = ("learner", "manager", "hr", "reviewer", "admin")


@pytest.fixture
def reach(app, world, freeze, assets_dir):
    """Officials in SNV-CCVC (DN000001) and P-HAICHAU (DN000002), each with a certificate; a
    token per role."""
    from lms.certificates import services
    from tests.factories import import_course, make_completion

    freeze(date(2026, 6, 15))
    make_cycle(2026)
    course = import_course("BB01")
    serials = {}
    for code, unit in (("DN000001", "SNV-CCVC"), ("DN000002", "P-HAICHAU")):
        official = make_official(code, f"Người {code}", unit)
        serials[code] = services.issue_for(make_completion(official, course, commit=True)).serial
    db.session.commit()
    return app.test_client(), {role: bearer(world[role]) for role in ROLES}, serials


# (endpoint template, {role: status}) for DN000001 in SNV and DN000002 in P-HAICHAU.
REGISTRY_SNV = {"learner": 404, "manager": 404, "hr": 200, "reviewer": 200, "admin": 200}
REGISTRY_HAICHAU = {**REGISTRY_SNV, "reviewer": 404}
RECORD_SNV = {**REGISTRY_SNV, "manager": 200}
RECORD_HAICHAU = {**RECORD_SNV, "reviewer": 404}
CASES = [
    ("/api/v1/officials/DN000001", REGISTRY_SNV),
    ("/api/v1/officials/DN000002", REGISTRY_HAICHAU),
    ("/api/v1/officials/DN000001/statement", REGISTRY_SNV),
    ("/api/v1/officials/DN000002/statement", REGISTRY_HAICHAU),
    ("/api/v1/officials/DN000001/ledger", RECORD_SNV),
    ("/api/v1/officials/DN000002/ledger", RECORD_HAICHAU),
    ("/api/v1/units/SNV/compliance", REGISTRY_SNV),
    ("/api/v1/units/P-HAICHAU/compliance", REGISTRY_HAICHAU),
    ("/api/v1/units/DN/compliance", REGISTRY_HAICHAU),  # the reviewer's scope is below DN
    ("/api/v1/certificates/{DN000001}", RECORD_SNV),
    ("/api/v1/certificates/{DN000002}", RECORD_HAICHAU),
]


@pytest.mark.parametrize(("template", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_role_reads_only_within_its_reach(reach, template, expected):
    client, headers, serials = reach
    url = template.format(**serials)
    got = {role: client.get(url, headers=headers[role]).status_code for role in ROLES}
    assert got == expected


def test_the_officials_list_holds_only_the_callers_scope(reach):
    client, headers, _serials = reach

    def units(role):
        url = "/api/v1/officials?per_page=100&purpose=HR+sync"
        answer = client.get(url, headers=headers[role]).get_json()
        return {item["employee_code"]: item["unit"]["code"] for item in answer["items"]}

    assert set(units("reviewer").values()) == {"SNV-CCVC"}
    assert "DN000002" not in units("reviewer") and "T-LEARN" not in units("reviewer")
    assert (
        set(units("hr"))
        == set(units("admin"))
        == {
            "DN000001",
            "DN000002",
            "T-LEARN",
            "T-MAN",
            "T-HR",
            "T-REV",
        }
    )
    assert units("manager") == {"T-MAN": "SNV-CCVC"}  # own record; the registry is HR's
    assert units("learner") == {"T-LEARN": "P-HAICHAU"}  # one's own record only


def test_a_search_or_a_unit_filter_never_reaches_outside_the_scope(reach):
    client, headers, _serials = reach
    for query in ("q=DN000002", "unit=P-HAICHAU", "unit=DN&q=nguoi"):
        answer = client.get(f"/api/v1/officials?{query}", headers=headers["reviewer"]).get_json()
        assert "DN000002" not in [item["employee_code"] for item in answer["items"]], query


def test_an_official_reads_their_own_record_statement_ledger_and_certificate(reach, world):
    client, headers, _serials = reach
    from lms.catalog.models import Course
    from lms.certificates import services
    from tests.factories import make_completion

    learner = world["learner"].official
    course = db.session.scalar(db.select(Course).where(Course.code == "BB01"))
    serial = services.issue_for(make_completion(learner, course, commit=True)).serial
    db.session.commit()
    own = headers["learner"]
    for url in (
        "/api/v1/officials/T-LEARN",
        "/api/v1/officials/T-LEARN/statement",
        "/api/v1/officials/T-LEARN/ledger",
        f"/api/v1/certificates/{serial}",
    ):
        assert client.get(url, headers=own).status_code == 200, url
    assert client.get("/api/v1/units/P-HAICHAU/compliance", headers=own).status_code == 404
    assert (
        client.get(f"/api/v1/certificates/{serial}", headers=headers["reviewer"]).status_code == 404
    )


BODY = {"title": "Lớp ngoài", "credits": 1, "earned_on": "2026-05-01"}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("DN000001", {"learner": 404, "manager": 403, "hr": 201, "reviewer": 403, "admin": 201}),
        ("DN000002", {"learner": 404, "manager": 403, "hr": 201, "reviewer": 404, "admin": 201}),
        ("T-LEARN", {"learner": 403, "manager": 403, "hr": 201, "reviewer": 404, "admin": 201}),
    ],
)
def test_only_hr_over_the_unit_and_administrators_add_credits(reach, code, expected):
    client, headers, _serials = reach
    url = f"/api/v1/officials/{code}/ledger"
    got = {role: client.post(url, headers=headers[role], json=BODY).status_code for role in ROLES}
    assert got == expected


def test_an_hr_officer_of_one_ward_neither_reads_nor_writes_another_unit(reach, world):
    client, _headers, _serials = reach
    ward_hr = auth.create_user(auth.NewUser("hr.haichau", "Hoa-Sen-42", "HR Hải Châu"), None)
    auth.grant_role(ward_hr, HR_OFFICER, _lookup(OrgUnit, "P-HAICHAU", "unit", "").id, None)
    db.session.commit()
    headers = bearer(ward_hr)
    assert client.get("/api/v1/officials/DN000002", headers=headers).status_code == 200
    for url in ("/api/v1/officials/DN000001", "/api/v1/units/SNV/compliance"):
        assert client.get(url, headers=headers).status_code == 404, url
    url = "/api/v1/officials/DN000001/ledger"
    assert client.post(url, headers=headers, json=BODY).status_code == 404
    codes = [
        i["employee_code"]
        for i in client.get("/api/v1/officials", headers=headers).get_json()["items"]
    ]
    assert sorted(codes) == ["DN000002", "T-LEARN"]


def test_a_revoked_grant_stops_the_tokens_reach_at_once(reach, world):
    client, headers, _serials = reach
    url = "/api/v1/officials/DN000001"
    assert client.get(url, headers=headers["reviewer"]).status_code == 200
    auth.revoke_role(world["reviewer"].grants[0].id, actor=world["admin"])
    db.session.commit()
    assert client.get(url, headers=headers["reviewer"]).status_code == 404
