"""Reads of personal data are audited: every page, PDF, download and API answer that shows an
official's data to someone else writes one audit entry (one per request, lists included, with
the count and the scope), never for the official themselves; the API asks for a purpose before
a bulk read of the registry; the official finds these reads in their own data download."""

import json
from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from lms.audit import reads
from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import count_queries, csrf_token
from tests.factories import make_cycle, make_official
from tests.web import routes
from tests.web.routes.api import bearer

HR_SYNC = {"X-Purpose": "Đồng bộ CSDL nhân sự"}


@pytest.fixture
def scene(app, world, tmp_path, monkeypatch, freeze):
    """The learner (T-LEARN, P-HAICHAU) with a 2025 certificate and an external record with
    evidence; cycles 2025 and 2026; today 15/06/2026."""
    freeze(date(2026, 6, 15))
    made = routes.Scene(app, world, tmp_path, monkeypatch)
    make_cycle(2025)
    made.value("cycle")  # 2026
    made.value("cert_serial")
    made.value("src_external")
    db.session.commit()
    return made


def _learner_id() -> int:
    return db.session.scalar(select(Official.id).where(Official.employee_code == "T-LEARN"))


def _entries_after(before: int) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.id > before).order_by(AuditEntry.id))
    )


def _last_id() -> int:
    return db.session.scalar(select(func.max(AuditEntry.id))) or 0


def _reads(entries) -> list[AuditEntry]:
    return [entry for entry in entries if entry.action in reads.READ_ACTIONS]


# (what is read, URL) → (action, details expected in `after`)
WEB_VIEWS = {
    "profile": ("/officials/T-LEARN", "official.viewed", {}),
    "ledger": ("/officials/T-LEARN/ledger", "ledger.viewed", {"via": "web"}),
    "statement": ("/reviews/T-LEARN?cycle=2026", "statement.viewed", {"cycle": 2026}),
    "certificate": (
        "/manage/certificates/{cert_serial}",
        "certificate.viewed",
        {"serial": "{cert_serial}"},
    ),
    "certificate PDF": (
        "/certificates/{cert_serial}.pdf",
        "certificate.viewed",
        {"serial": "{cert_serial}", "format": "pdf"},
    ),
    "transcript": ("/transcripts/T-LEARN/2025.pdf", "transcript.viewed", {"cycle": 2025}),
    "evidence": (
        "/external/{src_external}/evidence",
        "evidence.downloaded",
        {"external_record": "{src_external}"},
    ),
}


@pytest.mark.parametrize("what", sorted(WEB_VIEWS))
def test_hr_reading_an_officials_data_on_the_web_writes_one_entry(scene, login_as, what):
    template, action, details = WEB_VIEWS[what]
    hr = login_as("hr")
    before = _last_id()
    response = hr.get(scene.url(template))
    response.close()
    assert response.status_code == 200, response.status_code
    (entry,) = _reads(_entries_after(before))
    assert (entry.action, entry.object_type, entry.object_id) == (action, "official", "T-LEARN")
    assert entry.actor_id == scene.world["hr"].id and entry.address == "127.0.0.1"
    for key, value in details.items():
        expected = scene.url(value) if isinstance(value, str) else value
        assert str(entry.after[key]) == str(expected), (key, entry.after)


@pytest.mark.parametrize(
    "template",
    ["/certificates/{cert_serial}.pdf", "/transcripts/T-LEARN/2025.pdf", "/me/external/"],
)
def test_an_official_reading_their_own_data_writes_nothing(scene, login_as, template):
    learner = login_as("learner")
    before = _last_id()
    response = learner.get(scene.url(template))
    response.close()
    assert response.status_code == 200
    assert _reads(_entries_after(before)) == []


API_VIEWS = {
    "official": ("/api/v1/officials/T-LEARN", "official.viewed", {}),
    "statement": ("/api/v1/officials/T-LEARN/statement?cycle=2026", "statement.viewed", {}),
    "ledger": ("/api/v1/officials/T-LEARN/ledger", "ledger.viewed", {"page": 1, "count": 1}),
    "certificate": ("/api/v1/certificates/{cert_serial}", "certificate.viewed", {}),
}


@pytest.mark.parametrize("what", sorted(API_VIEWS))
def test_a_token_reading_an_officials_data_writes_one_entry(scene, client, what):
    template, action, details = API_VIEWS[what]
    headers = bearer(scene.world["hr"])
    before = _last_id()
    assert client.get(scene.url(template), headers=headers).status_code == 200
    (entry,) = _reads(_entries_after(before))
    assert (entry.action, entry.object_id, entry.after["via"]) == (action, "T-LEARN", "api")
    assert entry.after["token_id"] and entry.actor_id == scene.world["hr"].id
    assert all(entry.after[key] == value for key, value in details.items())


def test_an_officials_own_token_reads_their_statement_unrecorded(scene, client):
    headers = bearer(scene.world["learner"])
    before = _last_id()
    url = "/api/v1/officials/T-LEARN/statement?cycle=2026"
    assert client.get(url, headers=headers).status_code == 200
    assert _reads(_entries_after(before)) == []


# --- lists: one entry per request --------------------------------------------------------------


def test_an_api_page_of_officials_is_one_entry_with_its_officials_and_filters(scene, client):
    headers = bearer(scene.world["hr"])
    before = _last_id()
    answer = client.get("/api/v1/officials?q=nguoi+dung", headers=headers).get_json()
    (entry,) = _entries_after(before)
    on_page = set(
        db.session.scalars(
            select(Official.id).where(
                Official.employee_code.in_([item["employee_code"] for item in answer["items"]])
            )
        )
    )
    assert entry.action == "officials.listed" and entry.after["count"] == len(on_page) == 4
    assert set(entry.after["official_ids"]) == on_page
    assert entry.after["filters"] == {"q": "nguoi dung"} and entry.after["scope"] != []
    assert "purpose" not in entry.after  # a first page of 50 is a look-up


def test_a_unit_pdf_registry_and_compliance_exports_and_bulk_zip_are_one_entry_each(
    scene, login_as
):
    hr = login_as("hr")
    learner = _learner_id()
    before = _last_id()
    assert hr.get("/reviews/units/P-HAICHAU.pdf?cycle=2026").status_code == 200
    token = csrf_token(hr, "/officials/export")
    exported = hr.post(
        "/officials/export?unit_code=P-HAICHAU",
        data={"csrf_token": token, "reason": "Báo cáo Sở", "fmt": "csv"},
    )
    assert exported.status_code == 200
    token = csrf_token(hr, "/compliance/export?cycle=2026")
    standing = hr.post(
        "/compliance/export?cycle=2026",
        data={"csrf_token": token, "reason": "Báo cáo quý", "fmt": "csv"},
    )
    assert standing.status_code == 200 and standing.get_data()
    token = csrf_token(hr, "/manage/certificates/bulk")
    made = hr.post(
        "/manage/certificates/bulk", data={"csrf_token": token, "kind": "course", "value": "CX01"}
    )
    archive = hr.get(made.location + ".zip")
    archive.close()
    assert archive.status_code == 200
    entries = {entry.action: entry for entry in _reads(_entries_after(before))}
    assert sorted(entries) == [
        "certificates.bulk_downloaded",
        "compliance.exported",
        "officials.exported",
        "statements.printed",
    ]
    printed = entries["statements.printed"]
    assert (printed.object_type, printed.object_id) == ("unit", "P-HAICHAU")
    assert learner in printed.after["official_ids"] and printed.after["cycle"] == 2026
    registry = entries["officials.exported"].after
    assert registry["official_ids"] == [learner] and registry["count"] == 1
    assert registry["reason"] == "Báo cáo Sở" and registry["filters"] == {"unit_code": "P-HAICHAU"}
    assert len(registry["scope"]) == 1  # the subtree of the unit filter, not all of DN
    compliance = entries["compliance.exported"].after
    assert compliance["count"] == len(compliance["official_ids"]) >= 4
    bulk = entries["certificates.bulk_downloaded"].after
    assert bulk["official_ids"] == [learner] and bulk["count"] == 1


def _registry_export(client, rows_wanted: int) -> int:
    for n in range(rows_wanted):
        make_official(f"X{n:04d}", f"Người Thứ {n}", "SNV-CCVC")
    db.session.commit()
    token = csrf_token(client, "/officials/export")
    with count_queries() as queries:
        answer = client.post(
            "/officials/export", data={"csrf_token": token, "reason": "Kiểm tra", "fmt": "csv"}
        )
    assert answer.status_code == 200
    return queries[0]


def test_auditing_a_list_costs_the_same_queries_for_5_and_40_officials(scene, login_as):
    hr = login_as("hr")
    few = _registry_export(hr, 0)
    many = _registry_export(hr, 35)
    assert many == few


def test_api_ledger_and_unit_pdf_cost_the_same_queries_whatever_they_hold(scene, client, login_as):
    from decimal import Decimal

    from lms.curricula.ledger import services as ledger

    headers = bearer(scene.world["hr"])
    url = "/api/v1/officials/T-LEARN/ledger?per_page=100"
    client.get(url, headers=headers)  # the token's first use writes once
    hr = login_as("hr")
    with count_queries() as few_api:
        client.get(url, headers=headers)
    with count_queries() as few_pdf:
        hr.get("/reviews/units/P-HAICHAU.pdf?cycle=2026")
    learner = _learner_id()
    for n in range(20):
        ledger.append(ledger.NewEntry(learner, date(2026, 3, 1), Decimal("0.5"), "manual", str(n)))
        make_official(f"Y{n:04d}", f"Người Phường {n}", "P-HAICHAU")
    db.session.commit()
    with count_queries() as many_api:
        assert len(client.get(url, headers=headers).get_json()["items"]) == 21
    with count_queries() as many_pdf:
        hr.get("/reviews/units/P-HAICHAU.pdf?cycle=2026")
    assert (many_api[0], many_pdf[0]) == (few_api[0], few_pdf[0])


# --- the API's bulk reads need a purpose ------------------------------------------------------


@pytest.mark.parametrize("query", ["page=2", "per_page=51", "page=2&per_page=10&q=nguyen"])
def test_a_bulk_read_of_the_registry_without_a_purpose_is_refused(scene, client, query):
    headers = bearer(scene.world["hr"])
    before = _last_id()
    response = client.get(f"/api/v1/officials?{query}", headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "purpose_required" and error["details"][0]["field"] == "purpose"
    assert "X-Purpose" in error["message"]
    assert _reads(_entries_after(before)) == []


def test_the_purpose_is_taken_from_the_header_or_the_parameter_and_recorded(scene, client):
    headers = bearer(scene.world["hr"])
    encoded = {**headers, "X-Purpose": quote("Đồng bộ CSDL nhân sự")}
    raw_utf8 = {**headers, "X-Purpose": "Rà soát".encode().decode("latin-1")}
    before = _last_id()
    first = client.get("/api/v1/officials?per_page=1&page=2", headers=encoded)
    assert first.status_code == 200 and "purpose" not in first.get_json()["next"]
    client.get("/api/v1/officials?per_page=1&page=2", headers=raw_utf8)
    following = client.get("/api/v1/officials?per_page=2&purpose=Thanh+tra", headers=headers)
    assert "purpose=Thanh+tra" in following.get_json()["next"]
    purposes = [entry.after["purpose"] for entry in _entries_after(before)]
    assert purposes == ["Đồng bộ CSDL nhân sự", "Rà soát", "Thanh tra"]


@pytest.mark.parametrize("where", ["parameter", "header"])
@pytest.mark.parametrize("value", ["x" * 201, "   "])
def test_an_over_long_or_blank_purpose_answers_400(scene, client, where, value):
    headers = bearer(scene.world["hr"])
    url = "/api/v1/officials?page=2&purpose=HR+sync"
    if where == "parameter":
        url = "/api/v1/officials?page=2&purpose=" + quote(value)
    else:
        headers = {**headers, "X-Purpose": value}
    response = client.get(url, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_a_purpose_is_recorded_as_plain_text(scene, client):
    headers = bearer(scene.world["hr"])
    before = _last_id()
    nfd = "Ra\u0301 soa\u0301t"
    url = "/api/v1/officials?page=2&per_page=1&purpose=" + quote(f" {nfd}\t\x1b[31m  hồ sơ ")
    assert client.get(url, headers=headers).status_code == 200
    (entry,) = _entries_after(before)
    assert entry.after["purpose"] == "Rá soát [31m hồ sơ"


def test_the_openapi_document_names_the_purpose(client):
    document = client.get("/api/v1/openapi.json").get_json()
    names = {p.get("name") for p in document["paths"]["/officials"]["get"]["parameters"]}
    assert {"purpose", "X-Purpose"} <= names


# --- the official finds the reads about them ---------------------------------------------------


def _processing_log(client) -> list[dict]:
    return json.loads(client.get("/me/data.json").get_data(as_text=True))["processing_log"]


def test_the_official_finds_reads_of_their_record_and_lists_that_held_them(
    scene, login_as, client, monkeypatch
):
    headers = bearer(scene.world["hr"])
    hr = login_as("hr")
    hr.get("/reviews/T-LEARN?cycle=2026")  # their statement
    client.get("/api/v1/officials?q=T-LEARN", headers=headers)  # a page holding them
    client.get("/api/v1/officials?q=T-MAN", headers=headers)  # a page without them
    token = csrf_token(hr, "/officials/export")
    for unit in ("SNV", "P-HAICHAU"):  # an export of another unit; one of theirs
        hr.post(
            f"/officials/export?unit_code={unit}",
            data={"csrf_token": token, "reason": "Báo cáo", "fmt": "csv"},
        )
    monkeypatch.setattr(reads, "IDS_MAX", 0)  # too many to list: the scope is kept instead
    for unit in ("SNV", "DN"):
        hr.post(
            f"/officials/export?unit_code={unit}",
            data={"csrf_token": token, "reason": "Lưu trữ", "fmt": "csv"},
        )
    about_learner = [
        (line["by"], line["action"])
        for line in _processing_log(login_as("learner"))
        if line["action"] in reads.READ_ACTIONS
    ]
    assert about_learner == [
        ("hr", "statement.viewed"),
        ("hr", "officials.listed"),
        ("hr", "officials.exported"),  # P-HAICHAU, by id
        ("hr", "officials.exported"),  # DN, by scope
    ]
    about_manager = [
        line["action"]
        for line in _processing_log(login_as("manager"))
        if line["action"] in reads.READ_ACTIONS
    ]
    # By id (SNV), by scope (SNV, then DN): T-MAN works in SNV-CCVC.
    assert about_manager == ["officials.listed"] + ["officials.exported"] * 3
