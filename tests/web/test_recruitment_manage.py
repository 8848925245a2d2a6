"""HR's recruitment pages, the invigilator's page and the public application: an incident with
added time is recorded and audited, the admission cards are a PDF with one card per candidate,
the application form takes applications only inside the window (day before, first, last, day
after) and stores the name in NFC."""

import io
import subprocess
from datetime import date, datetime

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.extensions import db, limiter
from lms.recruitment.models import Candidate, Incident
from tests.conftest import csrf_token
from tests.factories import make_candidate, make_exam_session, make_recruitment


@pytest.fixture
def scene(world, assets_dir):
    item = make_recruitment()
    a = make_candidate(item, "Nguyễn Văn An")
    b = make_candidate(item, "Lê Thị Bình", position="VT02")
    db.session.commit()
    return item, make_exam_session(item, seat=[a, b]), a


def test_the_invigilator_adds_time_for_an_incident_and_it_is_audited(login_as, scene, freeze):
    _item, session, a = scene
    freeze(datetime(2026, 6, 15, 8, 30))
    hr = login_as("hr")
    page = hr.get(f"/manage/recruitment/sessions/{session.id}/invigilate").get_data(as_text=True)
    assert "AB12CD" in page and a.number in page
    assert "<dd>Từ 15:00 đến 18:00, thứ Hai 15/06/2026</dd>" in page  # Vietnam time
    token = csrf_token(hr, f"/manage/recruitment/sessions/{session.id}/invigilate")
    response = hr.post(
        f"/manage/recruitment/sessions/{session.id}/incidents",
        data={"seat": "1", "minutes": "10", "note": "Mất điện 10 phút", "csrf_token": token},
    )
    assert response.status_code == 302
    incident = db.session.scalar(select(Incident))
    assert (incident.minutes_added, incident.note) == (10, "Mất điện 10 phút")
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "recruitment.incident_recorded")
    )
    page = hr.get(f"/manage/recruitment/sessions/{session.id}/invigilate").get_data(as_text=True)
    assert "Mất điện 10 phút" in page and "10 phút" in page


def test_the_admission_cards_are_a_pdf(login_as, scene):
    _item, session, _a = scene
    response = login_as("hr").get(f"/manage/recruitment/sessions/{session.id}/cards.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    # the session's window as the candidate reads it, in Vietnam time, on each card (the day's
    # date wraps to the next line of the cell)
    assert text.count("Từ 15:00 đến 18:00, thứ Hai") == 2 and "15/06/2026" in text


def test_the_recruitment_page_says_the_results_log_verifies(login_as, scene):
    item, _session, _a = scene
    page = login_as("hr").get(f"/manage/recruitment/{item.code}").get_data(as_text=True)
    assert "mọi dòng còn nguyên vẹn" in page and "VT01" in page


@pytest.mark.parametrize(
    ("today", "open_"),
    [(date(2026, 5, 31), False), (date(2026, 6, 1), True), (date(2026, 6, 30), True),
     (date(2026, 7, 1), False)],
)  # fmt: skip
def test_online_applications_only_inside_the_window(app, scene, freeze, today, open_):
    item, _session, _a = scene
    item.applications_open_on, item.applications_close_on = date(2026, 6, 1), date(2026, 6, 30)
    db.session.commit()
    limiter.reset()
    freeze(today)
    client = app.test_client()
    url = f"/recruitment/{item.code}/apply"
    data = {
        "position": "VT01",
        "full_name": "Nguye\u0302\u0303n Thi\u0323 Mai",
        "born_on": "2000-03-04",
        "id_number": "048200000777",
        "email": "mai@example.vn",
        "phone": "0905 123 456",
        "priority": "UT3",
        "password": "Mai-2026-ok",
        "csrf_token": csrf_token(client, url),
    }
    response = client.post(url, data=data)
    mai = db.session.scalar(select(Candidate).where(Candidate.id_number == "048200000777"))
    if not open_:
        assert mai is None and response.status_code == 200
        return
    assert response.status_code == 302
    assert mai.full_name == "Nguyễn Thị Mai" and mai.source == "online"
    assert str(mai.priority_points) == "2.50"
    page = client.get(url).get_data(as_text=True)
    assert mai.number in page  # the number is told at once
    again = client.post(url, data=data | {"csrf_token": csrf_token(client, url)})
    assert "số định danh này" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("today", "shown"),
    [(date(2026, 5, 31), "(chưa mở)"), (date(2026, 6, 1), "mẫu đăng ký"),
     (date(2026, 6, 30), "mẫu đăng ký"), (date(2026, 7, 1), "(đã hết hạn nhận hồ sơ)")],
)  # fmt: skip
def test_the_recruitment_page_links_the_application_form_only_while_it_takes_applications(
    login_as, scene, freeze, today, shown
):
    item, _session, _a = scene
    item.applications_open_on, item.applications_close_on = date(2026, 6, 1), date(2026, 6, 30)
    db.session.commit()
    freeze(today)
    page = login_as("hr").get(f"/manage/recruitment/{item.code}").get_data(as_text=True)
    assert shown in page
    assert (f"/recruitment/{item.code}/apply" in page) == (shown == "mẫu đăng ký")


def test_the_application_needs_the_csrf_token(app, scene):
    item, _session, _a = scene
    response = app.test_client().post(f"/recruitment/{item.code}/apply", data={"full_name": "X"})
    assert response.status_code == 400


def test_the_import_preview_reports_each_row_and_imports_on_confirm(login_as, scene):
    item, _session, _a = scene
    hr = login_as("hr")
    url = f"/manage/recruitment/{item.code}/import"
    body = "Vị trí dự tuyển,Họ và tên,Ngày sinh,Số CCCD\nVT01,Hồ Văn Mới,01/02/1999,048099001234\n"
    response = hr.post(
        url,
        data={"csrf_token": csrf_token(hr, url), "file": (io.BytesIO(body.encode()), "ds.csv")},
    )
    assert response.status_code == 302
    preview = hr.get(response.location).get_data(as_text=True)
    assert "Hồ Văn Mới" in preview and "thí sinh mới" in preview
    token = csrf_token(hr, response.location)
    assert hr.post(response.location, data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(select(Candidate).where(Candidate.full_name == "Hồ Văn Mới"))
