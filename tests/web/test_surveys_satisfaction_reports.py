"""The satisfaction index as staff and the API see it: the weighted share of satisfied answers
with its response count and Wilson interval, month by month, the ranking within one's scope,
the XLSX export, the unit's A4 poster (its QR opens the survey) and
GET /api/v1/units/<CODE>/satisfaction."""

import io
from datetime import date

import openpyxl
import pytest

from lms.extensions import db
from lms.surveys import rules, services
from tests.factories import make_citizen_response, make_questionnaires, unit_id
from tests.services.test_certificates_pdf import decode_qr, text_of
from tests.web.routes.api import bearer


@pytest.fixture
def answered(world):
    """P-HAICHAU: three answers of 5 in March 2026 and one of 2 in April; SNV: one of 4."""
    make_questionnaires()
    for _n in range(3):
        make_citizen_response("P-HAICHAU", 5, date(2026, 3, 2))
    make_citizen_response("P-HAICHAU", 2, date(2026, 4, 9))
    make_citizen_response("SNV", 4, date(2026, 4, 9))
    db.session.commit()


def test_the_index_is_the_share_of_satisfied_answers_with_its_interval(login_as, answered):
    html = login_as("hr").get("/manage/satisfaction/P-HAICHAU?year=2026").get_data(as_text=True)
    assert 'data-index="75.0"' in html and 'data-responses="4"' in html
    interval = rules.wilson(0.75, 4)
    assert f"{interval.low * 100:.1f}".replace(".", ",") in html  # Vietnamese decimals


def test_items_are_weighted():
    """overall (weight 2) satisfied, the five others (weights 1, 1, 1.5, 1.5, 1) not: 2 of 8."""
    from lms.organisation import services as org
    from lms.surveys import reports

    org.upsert_unit("P-HAICHAU", "Ủy ban nhân dân phường Hải Châu", "ubnd_phuong", "xa", None)
    make_questionnaires()
    version = services.latest_version("CITIZEN")
    answers = {c: ["3"] for c in ("access", "procedure", "attitude", "competence", "timeliness")}
    answers["overall"] = ["5"]
    services.record_response(version, answers, "citizen", date(2026, 5, 1), unit_id("P-HAICHAU"))
    unit = db.session.get(reports.OrgUnit, unit_id("P-HAICHAU"))
    assert reports.unit_index(unit, 2026).index == 25.0


def test_months_show_each_months_index(login_as, answered):
    html = login_as("hr").get("/manage/satisfaction/P-HAICHAU?year=2026").get_data(as_text=True)
    march = html.split('<th scope="row">3</th>')[1].split("</tr>")[0]
    april = html.split('<th scope="row">4</th>')[1].split("</tr>")[0]
    assert "<strong>100</strong>" in march and "<strong>0</strong>" in april


def test_the_ranking_lists_the_units_of_ones_scope_best_first(login_as, answered):
    city = login_as("hr").get("/manage/satisfaction/?year=2026").get_data(as_text=True)
    assert city.index('data-unit="SNV"') < city.index('data-unit="P-HAICHAU"')
    reviewer = login_as("reviewer").get("/manage/satisfaction/?year=2026").get_data(as_text=True)
    assert 'data-unit="SNV"' in reviewer and "P-HAICHAU" not in reviewer


def test_the_export_is_an_xlsx_of_the_ranking_with_months(login_as, answered):
    response = login_as("hr").get("/manage/satisfaction/export.xlsx?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    found = {row[1]: row for row in rows if row and row[1] in ("SNV", "P-HAICHAU")}
    assert found["P-HAICHAU"][3:5] == [4, 75.0]
    assert found["P-HAICHAU"][7 + 2] == 100.0 and found["P-HAICHAU"][7 + 3] == 0.0
    assert found["SNV"][0] == 1


def test_the_poster_is_a_pdf_whose_qr_opens_the_survey(app, login_as, answered, tmp_path):
    response = login_as("hr").get("/manage/satisfaction/P-HAICHAU/poster.pdf")
    assert response.data.startswith(b"%PDF")
    assert "ĐÁNH GIÁ SỰ HÀI LÒNG" in text_of(response.data)
    [link] = decode_qr(response.data, tmp_path)
    assert "/satisfaction/P-HAICHAU?t=" in link
    page = app.test_client().get(link.split("localhost", 1)[1])
    assert 'name="q_overall"' in page.get_data(as_text=True)


def test_api_returns_responses_and_index(client, world, answered):
    headers = bearer(world["hr"])
    body = client.get("/api/v1/units/P-HAICHAU/satisfaction?year=2026", headers=headers).json
    assert body["responses"] == 4 and body["index"] == 75.0
    assert body["unit"]["code"] == "P-HAICHAU" and body["months"][2]["index"] == 100.0
    empty = client.get("/api/v1/units/P-HAICHAU/satisfaction?year=2025", headers=headers).json
    assert empty["responses"] == 0 and empty["index"] is None and empty["interval"] is None


def test_api_keeps_to_the_callers_scope(client, world, answered):
    headers = bearer(world["reviewer"])
    assert client.get("/api/v1/units/P-HAICHAU/satisfaction", headers=headers).status_code == 404
    assert (
        client.get("/api/v1/units/SNV/satisfaction?year=2026", headers=headers).json["responses"]
        == 1
    )
    assert client.get("/api/v1/units/SNV/satisfaction?yr=2026", headers=headers).status_code == 400


def test_the_menu_leads_hr_and_reviewers_to_the_index_not_learners(login_as, answered):
    assert "/manage/satisfaction/" in login_as("hr").get("/").get_data(as_text=True)
    assert "/manage/satisfaction/" in login_as("reviewer").get("/").get_data(as_text=True)
    assert "/manage/satisfaction/" not in login_as("learner").get("/").get_data(as_text=True)
