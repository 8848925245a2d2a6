"""The JSON API as an integrator meets it: bearer tokens, the answers of every endpoint,
pagination, synchronisation with updated_since, adding external credits, JSON errors, the
rate limit. Who sees what is in test_api_access.py."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.api import tokens
from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db, limiter
from lms.organisation import services as org
from lms.organisation.models import Official
from tests.conftest import count_queries
from tests.factories import make_cycle, make_official
from tests.past_cycles import assert_2025_stays_past, cycle_of, open_obligations
from tests.web.routes.api import bearer

NOW = datetime(2026, 6, 15, 3, 0)  # 10:00 in Đà Nẵng


@pytest.fixture
def frozen(freeze):
    """Today is 15/06/2026, from before the test users are made."""
    return freeze(NOW)


@pytest.fixture
def people(frozen, world):
    """Three officials besides the test users, the 2026 cycle and some credits (committed)."""
    make_cycle(2026)
    made = {
        "DN000001": make_official("DN000001", "Trần Văn Bình", "SNV-CCVC", gender="male"),
        "DN000002": make_official("DN000002", "Nguyễn Thị Ánh", "P-HAICHAU"),
        "DN000003": make_official("DN000003", "Lê An", "SNV", gender="male"),
    }
    for day, credits in ((date(2025, 11, 3), "2"), (date(2026, 3, 1), "1.5")):
        ledger.append(
            ledger.NewEntry(made["DN000001"].id, day, Decimal(credits), "manual", "Lớp A")
        )
    db.session.commit()
    return made


@pytest.fixture
def hr(app, people, world):
    """A client and the headers of a token of the HR officer (scope: the whole city)."""
    return app.test_client(), bearer(world["hr"])


def _codes(answer) -> list[str]:
    return [item["employee_code"] for item in answer.get_json()["items"]]


# --- authentication ------------------------------------------------------------------------------


def test_without_a_token_the_api_answers_401_in_json_with_a_bearer_challenge(app, people):
    response = app.test_client().get("/api/v1/officials")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer tc_wrong", "tc_x"])
def test_a_malformed_or_unknown_token_is_refused(app, people, header):
    response = app.test_client().get("/api/v1/officials", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] in {"unauthorized", "invalid_token"}


def test_a_browser_session_does_not_open_the_api(login_as, people):
    client = login_as("hr")
    assert client.get("/officials/").status_code == 200
    assert client.get("/api/v1/officials").status_code == 401


def test_a_revoked_or_expired_token_or_a_disabled_user_is_refused(app, hr, world, freeze):
    client, headers = hr
    assert client.get("/api/v1/officials", headers=headers).status_code == 200
    token = tokens.tokens_of(world["hr"].id)[0]
    tokens.revoke_token(token, actor=world["admin"])
    db.session.commit()
    assert client.get("/api/v1/officials", headers=headers).status_code == 401

    expiring = tokens.create_token(world["hr"], "tạm", None, expires_at=NOW + timedelta(hours=1))
    db.session.commit()
    headers = {"Authorization": f"Bearer {expiring.secret}"}
    assert client.get("/api/v1/officials", headers=headers).status_code == 200
    freeze(NOW + timedelta(hours=1))
    assert client.get("/api/v1/officials", headers=headers).status_code == 401

    headers = bearer(world["hr"])
    auth.set_enabled(world["hr"], False, actor=world["admin"])
    db.session.commit()
    assert client.get("/api/v1/officials", headers=headers).status_code == 401


def test_the_token_is_stored_only_as_its_hash_and_its_use_is_noted(app, hr, world, freeze):
    client, headers = hr
    secret = headers["Authorization"].split()[1]
    token = tokens.tokens_of(world["hr"].id)[0]
    assert secret not in (token.token_sha256, token.hint) and token.hint == secret[:7]
    assert token.last_used_at is None
    client.get("/api/v1/officials", headers=headers)
    db.session.refresh(token)
    assert token.last_used_at == NOW


def test_a_post_needs_no_csrf_token_with_a_bearer_token(hr):
    client, headers = hr
    body = {"title": "Lớp ngoài", "credits": 1, "earned_on": "2026-05-01"}
    assert (
        client.post("/api/v1/officials/DN000002/ledger", headers=headers, json=body).status_code
        == 201
    )


def test_credits_posted_in_2026_through_the_api_leave_2025_as_it_was(hr, people):
    """Past cycles stay past: the API path (issue 20, survivor 5)."""
    from tests.factories import make_in_person_course

    client, headers = hr
    official = people["DN000002"]
    ids = open_obligations(official.id, make_in_person_course("VHCV01").id)
    body = {"title": "Lớp ngoài", "credits": 1, "earned_on": "2026-01-02"}
    url = "/api/v1/officials/DN000002/ledger"
    assert client.post(url, headers=headers, json=body).status_code == 201
    assert_2025_stays_past(ids, official.id, met_in_2026=False)
    assert ledger.balance(official.id, cycle_of(2026).id) == Decimal(1)


# --- officials -----------------------------------------------------------------------------------


def test_officials_are_ordered_by_given_name_and_carry_their_post(hr):
    client, headers = hr
    answer = client.get("/api/v1/officials?per_page=100&purpose=HR+sync", headers=headers)
    codes = [c for c in _codes(answer) if c.startswith("DN")]
    assert codes == ["DN000003", "DN000002", "DN000001"]  # An, Ánh, Bình
    first = answer.get_json()["items"][0]
    assert first["employee_code"] == "DN000003"
    assert first["unit"] == {"code": "SNV", "name": "Sở Nội vụ thành phố Đà Nẵng"}
    assert first["position"]["code"] == "CM-CCVC" and first["rank"]["code"] == "01.003"
    assert first["gender"] == "male" and first["post_started_on"] == "2020-01-01"
    assert "date_of_birth" not in first and "phone" not in first  # no more personal data


@pytest.mark.parametrize(
    ("q", "expected"),
    [("anh", ["DN000002"]), ("ÁNH", ["DN000002"]), ("dn000003", ["DN000003"]), ("zzz", [])],
)
def test_officials_are_found_by_name_without_diacritics_or_by_code(hr, q, expected):
    client, headers = hr
    assert _codes(client.get(f"/api/v1/officials?q={q}", headers=headers)) == expected


def test_officials_of_one_unit_subtree(hr):
    client, headers = hr
    codes = _codes(client.get("/api/v1/officials?unit=p-haichau", headers=headers))
    assert sorted(codes) == ["DN000002", "T-LEARN"]
    assert _codes(client.get("/api/v1/officials?unit=NOWHERE", headers=headers)) == []


def test_pages_follow_next_to_the_end_without_losing_anyone(hr):
    client, headers = hr
    url, seen, pages = "/api/v1/officials?per_page=2&purpose=HR+sync", [], 0
    while url:
        answer = client.get(url, headers=headers).get_json()
        assert answer["total"] == 7 and answer["per_page"] == 2 and len(answer["items"]) <= 2
        seen += [item["employee_code"] for item in answer["items"]]
        url, pages = answer["next"], pages + 1
    assert pages == 4 and len(seen) == len(set(seen)) == 7


def test_the_officials_list_sends_the_same_queries_for_3_and_30_officials(hr):
    client, headers = hr
    client.get("/api/v1/officials", headers=headers)  # the token's first use writes once
    with count_queries() as few:
        client.get("/api/v1/officials", headers=headers)
    for n in range(27):
        make_official(f"X{n:04d}", f"Người Thứ {n}", "SNV-CCVC")
    db.session.commit()
    with count_queries() as many:
        answer = client.get("/api/v1/officials?per_page=100&purpose=HR+sync", headers=headers)
    assert answer.get_json()["total"] == 34
    assert many[0] == few[0]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=x",
        "page=²",
        "per_page=101",
        "per_page=0",
        "cycle=26",
        "updated_since=hôm qua",
    ],
)
def test_bad_query_parameters_answer_400_naming_the_parameter(hr, query):
    client, headers = hr
    url = "/api/v1/officials?" + query
    if query.startswith("cycle"):
        url = "/api/v1/officials/DN000001/ledger?" + query
    response = client.get(url, headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"][0]["field"] == query.split("=")[0]


def test_updated_since_returns_only_what_changed_after_the_last_sync(hr, people, world, freeze):
    client, headers = hr
    later = freeze(NOW + timedelta(days=2))
    official = people["DN000003"]
    data = org.OfficialData("DN000003", "Lê Văn An", "male", "cong_chuc")
    org.update_official(official, data, actor=world["hr"])
    moved = people["DN000002"]
    org.change_position(moved, org.AssignmentData("SNV", "LD-TP", date(2026, 6, 17)), None)
    db.session.commit()
    since = (later - timedelta(minutes=1)).isoformat() + "Z"
    answer = client.get(f"/api/v1/officials?updated_since={since}", headers=headers).get_json()
    assert sorted(_codes_of(answer)) == ["DN000002", "DN000003"]
    moved_item = next(i for i in answer["items"] if i["employee_code"] == "DN000002")
    assert (
        moved_item["unit"]["code"] == "SNV" and moved_item["updated_at"] == "2026-06-17T03:00:00Z"
    )
    # The same moment given in Vietnam time (UTC+7) means the same thing.
    local = (later - timedelta(minutes=1) + timedelta(hours=7)).isoformat() + "+07:00"
    again = client.get("/api/v1/officials", query_string={"updated_since": local}, headers=headers)
    assert sorted(_codes_of(again.get_json())) == ["DN000002", "DN000003"]


def _codes_of(answer: dict) -> list[str]:
    return [item["employee_code"] for item in answer["items"]]


def test_one_official_by_code_any_case_and_the_view_is_audited(hr, world):
    client, headers = hr
    answer = client.get("/api/v1/officials/dn000001", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["full_name"] == "Trần Văn Bình"
    assert answer.headers["Cache-Control"] == "no-store"
    viewed = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "official.viewed"))
    assert viewed.actor_id == world["hr"].id and viewed.object_id == "DN000001"
    assert viewed.after["via"] == "api"


def test_an_unknown_official_is_a_json_404(hr):
    client, headers = hr
    response = client.get("/api/v1/officials/NOBODY", headers=headers)
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": response.get_json()["error"]["message"]}
    }


# --- statement and compliance --------------------------------------------------------------------


def test_the_statement_of_a_cycle_has_the_keys_of_the_design(hr):
    client, headers = hr
    answer = client.get("/api/v1/officials/DN000001/statement?cycle=2026", headers=headers)
    assert answer.status_code == 200
    statement = answer.get_json()
    assert set(statement) >= {
        "employee_code",
        "full_name",
        "unit",
        "position",
        "rank",
        "cycle",
        "target_credits",
        "earned_credits",
        "mandatory_required",
        "mandatory_completed",
        "status",
        "certificates",
        "closed_at",
    }
    assert statement["earned_credits"] == 1.5  # the 2025 entry counts in 2025
    assert statement["cycle"] == 2026 and statement["closed_at"] is None
    assert statement["as_of"] == "2026-06-15"
    default = client.get("/api/v1/officials/DN000001/statement", headers=headers).get_json()
    assert default == statement  # the current year by default


def test_a_statement_of_a_cycle_that_does_not_exist_is_404(hr):
    client, headers = hr
    response = client.get("/api/v1/officials/DN000001/statement?cycle=2031", headers=headers)
    assert response.status_code == 404 and "2031" in response.get_json()["error"]["message"]


def test_unit_compliance_counts_the_subtree_by_status_and_gender(hr):
    client, headers = hr
    answer = client.get("/api/v1/units/snv/compliance?cycle=2026", headers=headers).get_json()
    # SNV holds DN000001 and DN000003 (male), T-MAN, T-HR and T-REV (female).
    assert answer["unit"]["code"] == "SNV" and answer["total"] == 5
    assert sum(answer["by_status"].values()) == 5
    assert set(answer["by_status"]) == {"met", "on_track", "at_risk", "overdue", "not_met"}
    assert answer["by_gender"]["male"]["total"] == 2
    assert answer["by_gender"]["female"]["total"] == 3
    for gender in ("male", "female"):
        assert (
            sum(answer["by_gender"][gender]["by_status"].values())
            == (answer["by_gender"][gender]["total"])
        )
    assert client.get("/api/v1/units/NOWHERE/compliance", headers=headers).status_code == 404


# --- ledger --------------------------------------------------------------------------------------


def test_the_ledger_lists_entries_oldest_first_by_cycle(hr):
    client, headers = hr
    every = client.get("/api/v1/officials/DN000001/ledger", headers=headers).get_json()
    assert [e["cycle"] for e in every["items"]] == [2025, 2026]
    assert every["items"][1]["credits"] == 1.5 and every["items"][1]["source"] == "manual"
    one = client.get("/api/v1/officials/DN000001/ledger?cycle=2025", headers=headers).get_json()
    assert [e["earned_on"] for e in one["items"]] == ["2025-11-03"] and one["total"] == 1
    none = client.get("/api/v1/officials/DN000001/ledger?cycle=2019", headers=headers).get_json()
    assert none["items"] == [] and none["total"] == 0


def test_the_ledger_since_a_moment_has_only_the_entries_written_after_it(hr, people, freeze):
    client, headers = hr
    freeze(NOW + timedelta(days=1))
    ledger.append(
        ledger.NewEntry(people["DN000001"].id, date(2026, 6, 1), Decimal(1), "manual", "Mới")
    )
    db.session.commit()
    since = (NOW + timedelta(hours=1)).isoformat()
    answer = client.get(
        f"/api/v1/officials/DN000001/ledger?updated_since={since}", headers=headers
    ).get_json()
    assert [e["title"] for e in answer["items"]] == ["Mới"]


ENTRY = {
    "title": "Bồi dưỡng kỹ năng số (Học viện CB)",
    "credits": 1.5,
    "periods": 20,
    "earned_on": "2026-05-20",
    "reason": "QĐ 12/QĐ-SNV",
    "source_ref": "hrdb-778",
}


def test_hr_adds_external_credits_that_count_in_the_statement_and_are_audited(hr, people, world):
    client, headers = hr
    response = client.post("/api/v1/officials/DN000002/ledger", headers=headers, json=ENTRY)
    assert response.status_code == 201
    entry = response.get_json()
    assert entry["source"] == "external" and entry["credits"] == 1.5 and entry["cycle"] == 2026
    assert entry["title"] == ENTRY["title"] and entry["periods"] == 20
    assert response.headers["Location"].endswith("/api/v1/officials/DN000002/ledger?cycle=2026")
    statement = client.get("/api/v1/officials/DN000002/statement", headers=headers).get_json()
    assert statement["earned_credits"] == 1.5
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"ledger.append", "api.ledger_added"} <= actions
    row = db.session.get(LedgerEntry, entry["id"])
    assert row.actor_id == world["hr"].id


def test_posting_the_same_source_ref_again_adds_nothing(hr, people):
    client, headers = hr
    first = client.post("/api/v1/officials/DN000002/ledger", headers=headers, json=ENTRY)
    again = client.post("/api/v1/officials/DN000002/ledger", headers=headers, json=ENTRY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    count = select(func.count()).select_from(LedgerEntry)
    assert db.session.scalar(count.where(LedgerEntry.official_id == people["DN000002"].id)) == 1
    changed = client.post(
        "/api/v1/officials/DN000002/ledger", headers=headers, json={**ENTRY, "credits": 3}
    )
    assert changed.status_code == 409
    assert changed.get_json()["error"]["code"] == "source_ref_conflict"


def test_without_source_ref_each_post_adds_an_entry(hr, people):
    client, headers = hr
    body = {key: ENTRY[key] for key in ("title", "credits", "earned_on")}
    for _ in range(2):
        assert (
            client.post("/api/v1/officials/DN000002/ledger", headers=headers, json=body).status_code
            == 201
        )
    answer = client.get("/api/v1/officials/DN000002/ledger", headers=headers).get_json()
    assert answer["total"] == 2


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"title", "credits", "earned_on"}),
        ({**ENTRY, "credits": 0}, {"credits"}),
        ({**ENTRY, "credits": -1}, {"credits"}),
        ({**ENTRY, "credits": 1.234}, {"credits"}),
        ({**ENTRY, "credits": "1.5"}, {"credits"}),
        ({**ENTRY, "credits": True}, {"credits"}),
        ({**ENTRY, "credits": 101}, {"credits"}),
        ({**ENTRY, "periods": 2.5}, {"periods"}),
        ({**ENTRY, "periods": None}, {"periods"}),
        ({**ENTRY, "earned_on": "2026-06-16"}, {"earned_on"}),
        ({**ENTRY, "earned_on": "20/05/2026"}, {"earned_on"}),
        ({**ENTRY, "earned_on": "1989-12-31"}, {"earned_on"}),
        ({**ENTRY, "title": "   "}, {"title"}),
        ({**ENTRY, "title": "x" * 256}, {"title"}),
        ({**ENTRY, "reason": None}, {"reason"}),
        ({**ENTRY, "source_ref": "r" * 61}, {"source_ref"}),
        ({**ENTRY, "credit": 1}, {"credit"}),
    ],
)
def test_an_invalid_entry_is_refused_with_every_field_named_and_nothing_written(hr, body, fields):
    client, headers = hr
    response = client.post("/api/v1/officials/DN000002/ledger", headers=headers, json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert {detail["field"] for detail in error["details"]} == fields
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 2


def test_a_body_that_is_not_json_is_refused(hr):
    client, headers = hr
    url = "/api/v1/officials/DN000002/ledger"
    form = client.post(url, headers=headers, data={"title": "x"})
    assert form.status_code == 415
    broken = client.post(url, headers=headers, data="{", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["error"]["code"] == "malformed_json"
    listed = client.post(url, headers=headers, json=[ENTRY])
    assert listed.status_code == 422


# --- errors and limits ---------------------------------------------------------------------------


def test_unknown_paths_and_methods_answer_json_errors(hr):
    client, headers = hr
    missing = client.get("/api/v1/nothing", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/v1/officials", headers=headers)
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"


def test_the_rate_limit_answers_429_in_json_per_token(app, hr, world, monkeypatch):
    client, headers = hr
    monkeypatch.setitem(app.config, "LMS_API_RATE_LIMIT", "3 per minute")
    try:
        statuses = [client.get("/api/v1/officials", headers=headers).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/api/v1/officials", headers=headers)
        assert limited.get_json()["error"]["code"] == "rate_limited"
        assert "Retry-After" in limited.headers
        other = bearer(world["admin"])  # another integration keeps its own budget
        assert client.get("/api/v1/officials", headers=other).status_code == 200
    finally:
        limiter.reset()


def test_made_up_tokens_count_against_the_callers_address(app, hr, monkeypatch):
    client, headers = hr
    monkeypatch.setitem(app.config, "LMS_API_BAD_TOKEN_RATE_LIMIT", "5 per minute")
    try:
        statuses = [
            client.get("/api/v1/officials", headers={"Authorization": f"Bearer tc_guess{n}"})
            for n in range(7)
        ]
        assert [s.status_code for s in statuses] == [401] * 5 + [429] * 2
        assert statuses[-1].get_json()["error"]["code"] == "rate_limited"
        # past the limit the address waits, whatever it sends; other addresses do not
        assert client.get("/api/v1/officials", headers=headers).status_code == 429
        elsewhere = app.test_client()
        elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.4"
        assert elsewhere.get("/api/v1/officials", headers=headers).status_code == 200
        for _ in range(5):  # good tokens spend nothing of that budget
            assert elsewhere.get("/api/v1/officials", headers=headers).status_code == 200
    finally:
        limiter.reset()


# --- certificates --------------------------------------------------------------------------------


@pytest.fixture
def certificate(people, assets_dir):
    """A certificate issued to DN000002 (P-HAICHAU) for BB01."""
    from lms.certificates import services
    from tests.factories import import_course, make_completion

    course = import_course("BB01")
    completion = make_completion(
        db.session.get(Official, people["DN000002"].id), course, date(2026, 3, 10), commit=True
    )
    issued = services.issue_for(completion)
    db.session.commit()
    return issued.serial


def test_a_certificate_by_serial_with_its_status_and_pdf_link(hr, certificate):
    client, headers = hr
    answer = client.get(f"/api/v1/certificates/{certificate}", headers=headers)
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["serial"] == certificate and data["status"] == "valid"
    assert data["employee_code"] == "DN000002" and data["full_name"] == "Nguyễn Thị Ánh"
    assert data["course_code"] == "BB01" and data["issued_on"] == "2026-06-15"
    assert data["pdf_url"] == f"/certificates/{certificate}.pdf"
    assert len(data["verification_code"]) >= 8
    assert client.get("/api/v1/certificates/DN-2026-999999", headers=headers).status_code == 404


def test_a_query_parameter_the_endpoint_does_not_take_is_refused_not_ignored(hr):
    client, headers = hr
    response = client.get("/api/v1/officials?updatedsince=2026-01-01", headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "unknown_parameter" and error["details"][0]["field"] == "updatedsince"
