"""The reviewer's statement of one official, as the reviewer reads it: every mandatory course
once, with its code, title, due date and state (done on <date> / owed / not yet due); the
certificates as links that open; the same on the PDF (Vietnamese, read back with pdftotext)
and in the API; frozen statements keep their list; scope (a reviewer of SNV cannot read an
official of P-HAICHAU); unit codes accepted in any letter case."""

import html as html_lib
import re
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select, update

from lms.certificates.models import Certificate
from lms.compliance import statements
from lms.compliance.models import Statement
from lms.curricula.completions.models import Completion
from lms.extensions import db
from lms.i18n import format_day
from lms.organisation.models import Official, OrgUnit
from tests.factories import make_target
from tests.services.test_certificates_pdf import run, tool
from tests.services.test_compliance_statement_courses import complete, recertification_scene
from tests.web.routes.api import bearer

TITLES = {
    "BB01": "Kiến thức chung về quản lý nhà nước",
    "BB02": "Văn hóa công vụ và đạo đức công vụ",
}


@pytest.fixture
def today(freeze):
    """01/02/2026, from before the test users are made."""
    return freeze(date(2026, 2, 1))


@pytest.fixture
def scene(today, world, freeze):
    """T-MAN (SNV-CCVC, CM-CCVC; the reviewer covers SNV) in the recertification scene; on
    10/03/2026 they pass BB01 online (a certificate is issued); today is 20/03/2026, so the
    BB02 recertification due 12/03 is owed and BB01 is done."""
    official = db.session.scalar(select(Official).where(Official.employee_code == "T-MAN"))
    cycle, courses = recertification_scene(official)
    freeze(date(2026, 3, 20))
    complete(official, courses["BB01"], date(2026, 3, 10), "attempt:1", source="online")
    db.session.commit()  # the tests' queue issues the certificate at the commit
    completion = db.session.scalar(select(Completion).where(Completion.source == "online"))
    assert completion.certificate_state == "issued"
    [certificate] = db.session.scalars(select(Certificate)).all()
    return official, cycle, certificate


def _section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id`."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, heading_id
    return html_lib.unescape(match.group(1))


@pytest.mark.usefixtures("english")
def test_the_reviewer_reads_each_mandatory_course_with_its_due_date_and_state(scene, login_as):
    _official, _cycle, certificate = scene
    client = login_as("reviewer")
    page = client.get("/reviews/T-MAN?cycle=2026").get_data(as_text=True)
    courses = _section(page, "mandatory-h")
    rows = re.findall(r"<tr class=\"m-(\w+)\">(.*?)</tr>", courses, re.S)
    assert [state for state, _cells in rows] == ["owed", "done"]
    owed, done = (re.sub(r"<[^>]+>", " ", cells) for _state, cells in rows)
    assert "BB02" in owed and TITLES["BB02"] in owed and "(recertification)" in owed
    assert format_day(date(2026, 3, 12)) in owed and "Owed (past due, not done)" in owed
    assert "BB01" in done and format_day(date(2026, 7, 31)) in done
    assert f"Done on {format_day(date(2026, 3, 10))}" in done
    assert courses.count("BB02") == 1  # the course and its recertification: one row
    assert "1 of 2 completed" in page
    # The certificate is a link that opens for the reviewer; the page has its PDF.
    links = _section(page, "certificates-h")
    assert f'href="/certificates/{certificate.serial}.pdf"' in links
    assert f"/verify/{certificate.verification_code}" in links
    opened = client.get(f"/certificates/{certificate.serial}.pdf")
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    assert 'href="/reviews/T-MAN.pdf?cycle=2026"' in page


def test_the_statement_pdf_lists_the_courses_and_states_in_vietnamese(scene, login_as):
    _official, _cycle, certificate = scene
    response = login_as("reviewer").get("/reviews/T-MAN.pdf?cycle=2026")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "statement-T-MAN-2026.pdf" in response.headers["Content-Disposition"]
    # Reading order (no -layout): a cell wrapped over two lines reads as one phrase.
    text = unicodedata.normalize("NFC", run(tool("pdftotext"), "-", "-", data=response.data))
    flat = " ".join(text.split())
    assert "BẢN TỔNG HỢP KẾT QUẢ BỒI DƯỠNG" in flat
    assert "Người Dùng Manager" in flat
    for title in TITLES.values():
        assert flat.count(title) >= 1
    assert flat.count(TITLES["BB02"]) == 1  # one row, not two
    assert "Còn nợ (quá hạn, chưa hoàn thành)" in flat
    assert "Đã hoàn thành ngày 10/03/2026" in flat
    assert "12/03/2026" in flat and "31/12/2026" in flat
    assert certificate.serial in flat and f"/verify/{certificate.verification_code}" in flat


def test_a_reviewer_gets_neither_page_nor_pdf_of_an_official_outside_their_units(scene, login_as):
    reviewer = login_as("reviewer")  # SNV; T-LEARN works in P-HAICHAU
    assert reviewer.get("/reviews/T-LEARN?cycle=2026").status_code == 404
    assert reviewer.get("/reviews/T-LEARN.pdf?cycle=2026").status_code == 404
    assert reviewer.get("/reviews/NOBODY.pdf?cycle=2026").status_code == 404
    assert reviewer.get("/reviews/T-MAN.pdf?cycle=1999").status_code == 404
    assert login_as("hr").get("/reviews/T-LEARN.pdf?cycle=2026").status_code == 200
    assert login_as("learner").get("/reviews/T-MAN.pdf?cycle=2026").status_code == 403


def test_a_reviewer_cannot_open_a_revoked_certificate(scene, login_as):
    from lms.certificates import services
    from lms.certificates.models import ISSUER_ERROR

    _official, _cycle, certificate = scene
    services.revoke(certificate, ISSUER_ERROR, "Cấp nhầm", actor=None)
    db.session.commit()
    client = login_as("reviewer")
    page = client.get("/reviews/T-MAN?cycle=2026").get_data(as_text=True)
    assert f'href="/certificates/{certificate.serial}.pdf"' not in page
    assert client.get(f"/certificates/{certificate.serial}.pdf").status_code == 404


def test_the_api_statement_lists_the_mandatory_courses_and_certificate_urls(scene, app, world):
    _official, _cycle, certificate = scene
    client, headers = app.test_client(), bearer(world["reviewer"])
    answer = client.get("/api/v1/officials/T-MAN/statement?cycle=2026", headers=headers)
    assert answer.status_code == 200
    statement = answer.get_json()
    assert statement["mandatory"] == [
        {"course_code": "BB02", "title": TITLES["BB02"], "due_on": "2026-03-12", "state": "owed"},
        {
            "course_code": "BB01",
            "title": TITLES["BB01"],
            "due_on": "2026-07-31",
            "state": "done",
            "done_on": "2026-03-10",
        },
    ]
    assert (statement["mandatory_required"], statement["mandatory_completed"]) == (2, 1)
    assert statement["certificates"] == [certificate.serial]
    [link] = statement["certificate_links"]
    assert link == {
        "serial": certificate.serial,
        "url": f"/api/v1/certificates/{certificate.serial}",
        "pdf_url": f"/certificates/{certificate.serial}.pdf",
    }
    assert client.get(link["url"], headers=headers).get_json()["serial"] == certificate.serial


def _close(cycle, freeze):
    freeze(date(2027, 1, 5))
    dn = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    statements.close_cycle(cycle, dn, None, date(2027, 1, 5))
    db.session.commit()


@pytest.mark.usefixtures("english")
def test_a_frozen_statement_shows_its_frozen_list_and_an_old_one_says_it_has_none(
    scene, login_as, app, world, freeze
):
    _close(scene[1], freeze)
    client, headers = login_as("reviewer"), bearer(world["reviewer"])
    page = client.get("/reviews/T-MAN?cycle=2026").get_data(as_text=True)
    assert [s for s in re.findall(r'<tr class="m-(\w+)">', page)] == ["owed", "done"]
    api = app.test_client().get("/api/v1/officials/T-MAN/statement?cycle=2026", headers=headers)
    frozen = api.get_json()
    assert frozen["closed_at"] and [i["state"] for i in frozen["mandatory"]] == ["owed", "done"]
    # A statement frozen before the list was kept.
    db.session.execute(update(Statement).values(mandatory=None))
    db.session.commit()
    page = client.get("/reviews/T-MAN?cycle=2026").get_data(as_text=True)
    assert "was not kept when this statement was frozen" in page
    assert "1 of 2 completed" in page
    assert client.get("/reviews/T-MAN.pdf?cycle=2026").status_code == 200
    api = app.test_client().get("/api/v1/officials/T-MAN/statement?cycle=2026", headers=headers)
    assert api.get_json()["mandatory"] is None


# --- unit codes in any letter case ----------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_unit_codes_are_taken_in_any_letter_case(scene, login_as, app, world):
    reviewer, hr = login_as("reviewer"), login_as("hr")
    pdf = reviewer.get("/reviews/units/snv-ccvc.pdf?cycle=2026")
    assert pdf.status_code == 200
    assert 'filename="statements-SNV-CCVC-2026.pdf"' in pdf.headers["Content-Disposition"]
    assert reviewer.get("/reviews/units/p-haichau.pdf?cycle=2026").status_code == 404  # scope
    listed = reviewer.get("/reviews/?cycle=2026&unit=snv-ccvc").get_data(as_text=True)
    assert "T-MAN" in listed and 'value="SNV-CCVC"' in listed
    upper = hr.get("/compliance/?cycle=2026&unit=SNV-CCVC").get_data(as_text=True)
    lower = hr.get("/compliance/?cycle=2026&unit=snv-ccvc")
    assert lower.status_code == 200
    lower = lower.get_data(as_text=True)
    assert '<option value="SNV-CCVC" selected>' in lower
    heading = r'<h2 id="totals-h">([^<]+)</h2>'
    assert re.findall(heading, lower) == re.findall(heading, upper) == ["3 officials"]
    assert "› Phòng Công chức, viên chức" in lower  # drilled down to the unit
    officials = hr.get("/compliance/officials?cycle=2026&unit=Snv-Ccvc").get_data(as_text=True)
    assert "T-MAN" in officials and "T-LEARN" not in officials
    registry = hr.get("/officials/?unit_code=snv-ccvc").get_data(as_text=True)
    assert "T-MAN" in registry and "T-LEARN" not in registry
    assert '<option value="SNV-CCVC" selected>' in registry
    headers = bearer(world["hr"])
    api = app.test_client()
    counts = api.get("/api/v1/units/snv-ccvc/compliance?cycle=2026", headers=headers)
    assert counts.status_code == 200 and counts.get_json()["unit"]["code"] == "SNV-CCVC"
    people = api.get("/api/v1/officials?unit=snv-ccvc", headers=headers).get_json()
    assert "T-MAN" in [item["employee_code"] for item in people["items"]]
    certificates = hr.get("/manage/certificates?unit=snv-ccvc").get_data(as_text=True)
    assert scene[2].serial in certificates


# --- the unit PDF's scope (issue 20, survivor 7) ----------------------------------------------


def test_a_reviewer_cannot_print_the_statements_of_a_unit_outside_their_scope(scene, login_as):
    """The reviewer covers SNV. The statements PDF of P-HAICHAU, and of the city (DN, which holds
    SNV but more), is not found, prints nothing and logs no print; SNV's PDF has SNV's people
    only. HR of the city prints P-HAICHAU's, with its official's name."""
    from lms.audit.models import AuditEntry
    from tests.factories import make_official
    from tests.services.test_certificates_pdf import text_of

    _official, cycle, _certificate = scene
    outsider = make_official("T-NGOAI", "Đặng Thị Ngoài Phạm Vi", "P-HAICHAU")
    make_target(outsider, cycle, 3)
    db.session.commit()
    reviewer = login_as("reviewer")
    printed = select(AuditEntry).where(AuditEntry.action == "statements.printed")
    for code in ("P-HAICHAU", "p-haichau", "DN"):
        response = reviewer.get(f"/reviews/units/{code}.pdf?cycle=2026")
        assert response.status_code == 404, code
        assert response.mimetype != "application/pdf"
    assert db.session.scalars(printed).all() == []
    own = reviewer.get("/reviews/units/SNV.pdf?cycle=2026")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    text = unicodedata.normalize("NFC", text_of(own.data))
    assert "T-MAN" in text and "T-NGOAI" not in text and "Ngoài" not in text
    hr = login_as("hr").get("/reviews/units/P-HAICHAU.pdf?cycle=2026")
    assert hr.status_code == 200
    text = unicodedata.normalize("NFC", text_of(hr.data))
    assert "T-NGOAI" in text and "Ngoài" in text  # the name wraps in its table cell
