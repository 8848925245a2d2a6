"""Certificates over HTTP: the public verification page and API (valid, revoked, unknown,
rate-limited, logged), downloads limited to the holder and the staff whose scope covers them,
the staff list with filters, revoke and re-issue, the bulk .zip with progress, an official's
own page and transcript."""

import io
import time
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.auth import services as auth
from lms.auth.models import HR_OFFICER
from lms.certificates import services
from lms.certificates.models import Certificate, VerificationLog
from lms.extensions import db, limiter
from lms.i18n import format_day
from lms.organisation.models import Official, OrgUnit
from tests.conftest import count_queries, csrf_token, login
from tests.factories import PASSWORD, cycle_of, import_course, make_completion, make_official
from tests.services import test_certificates_services as base
from tests.services.test_certificates_pdf import run, text_of, tool

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


idle_worker = base.idle_worker  # fixture: a queue nobody consumes


@pytest.fixture
def certs(world, assets_dir, freeze, app, tmp_path, monkeypatch):
    """BB01 certificates for the learner (P-HAICHAU) and for T-MAN (SNV-CCVC)."""
    freeze(date(2026, 3, 20))
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    course = import_course()
    learner = db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))
    manager = db.session.scalar(select(Official).where(Official.employee_code == "T-MAN"))
    mine = services.issue_for(make_completion(learner, course, commit=True))
    other = services.issue_for(make_completion(manager, course, commit=True))
    db.session.commit()
    return {"learner": mine.serial, "manager": other.serial, "course": course}


def _code(serial: str) -> str:
    return db.session.scalar(
        select(Certificate.verification_code).where(Certificate.serial == serial)
    )


def _post(client, url: str, page: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


# --- public verification -----------------------------------------------------------------------


def test_the_verification_page_shows_status_name_course_and_dates_only(app, certs):
    page = app.test_client().get(f"/verify/{_code(certs['learner'])}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-status="valid"' in html
    assert "Người Dùng Learner" in html and "Văn hóa công vụ" in html
    assert format_day(date(2026, 3, 20)) in html
    assert certs["learner"] not in html and "T-LEARN" not in html  # nothing more
    assert db.session.scalar(select(func.count()).select_from(VerificationLog)) == 1


def test_an_unknown_code_answers_404_on_the_page_and_in_json(app, certs):
    client = app.test_client()
    assert client.get("/verify/not-a-real-code").status_code == 404
    answer = client.get("/api/v1/verify/not-a-real-code")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"
    assert answer.get_json()["error"]["message"]


def test_revocation_by_hr_shows_at_the_verification_address(app, certs, login_as):
    code, serial = _code(certs["learner"]), certs["learner"]
    hr = login_as("hr")
    page = f"/manage/certificates/{serial}"
    response = _post(hr, f"{page}/revoke", page, reason="fraud", note="Hồ sơ giả")
    assert response.status_code == 302
    public = app.test_client()
    html = public.get(f"/verify/{code}").get_data(as_text=True)
    assert 'data-status="revoked"' in html
    data = public.get(f"/api/v1/verify/{code}").get_json()
    assert (data["status"], data["revoked_reason"]) == ("revoked", "fraud")
    assert data["holder_name"] == "Người Dùng Learner"


def test_the_api_answer_for_a_valid_certificate(app, certs):
    data = app.test_client().get(f"/api/v1/verify/{_code(certs['manager'])}").get_json()
    assert data == {
        "status": "valid",
        "revoked_reason": None,
        "holder_name": "Người Dùng Manager",
        "course_title": "Văn hóa công vụ và đạo đức công vụ",
        "issued_on": "2026-03-20",
        "expires_on": "2029-03-10",
        "replaced": False,
    }


def test_verification_is_rate_limited_per_address(app, certs, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_VERIFY_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        client = app.test_client()
        statuses = [client.get("/verify/abc").status_code for _ in range(4)]
        api = client.get("/api/v1/verify/abc")
    finally:
        limiter.reset()
    assert statuses == [404, 404, 404, 429]
    assert api.status_code == 429 and api.get_json()["error"]["message"]


# --- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "whose", "status"),
    [
        ("learner", "learner", 200),
        ("learner", "manager", 404),
        ("hr", "learner", 200),
        ("manager", "learner", 200),
        # Reviewers open the certificates of the officials they rate (the statement links
        # them), not those of anyone else.
        ("reviewer", "manager", 200),
        ("reviewer", "learner", 404),
        ("admin", "learner", 200),
    ],
)
def test_a_certificate_pdf_is_for_its_holder_and_the_staff_covering_them(
    certs, login_as, role, whose, status
):
    response = login_as(role).get(f"/certificates/{certs[whose]}.pdf")
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/pdf"
        assert "no-store" in response.headers["Cache-Control"]


def test_hr_of_another_unit_neither_lists_nor_downloads_the_certificate(app, certs):
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    official = make_official("T-HR2", "Lê Thị Hồng", "SNV-CCVC")
    user = auth.create_user(
        auth.NewUser("hr2", PASSWORD, "HR SNV", None, official.id, must_change_password=False),
        actor=None,
    )
    auth.grant_role(user, HR_OFFICER, unit.id, actor=None)
    db.session.commit()
    client = app.test_client()
    login(client, "hr2")
    assert client.get(f"/certificates/{certs['learner']}.pdf").status_code == 404
    assert client.get(f"/certificates/{certs['manager']}.pdf").status_code == 200
    listing = client.get("/manage/certificates").get_data(as_text=True)
    assert certs["manager"] in listing and certs["learner"] not in listing
    assert client.get(f"/manage/certificates/{certs['learner']}").status_code == 404


def test_the_downloaded_pdf_uses_the_public_base_url_for_the_qr_code(app, certs, login_as):
    app.config["LMS_PUBLIC_BASE_URL"] = "https://tinchi.example.vn/"
    try:
        pdf = login_as("learner").get(f"/certificates/{certs['learner']}.pdf").data
    finally:
        app.config.pop("LMS_PUBLIC_BASE_URL")
    assert f"https://tinchi.example.vn/verify/{_code(certs['learner'])}" in text_of(pdf)


# --- an official's own page and transcript -----------------------------------------------------


def test_my_certificates_lists_mine_with_links_and_transcripts(certs, login_as):
    html = login_as("learner").get("/me/certificates").get_data(as_text=True)
    assert certs["learner"] in html and certs["manager"] not in html
    assert f"/certificates/{certs['learner']}.pdf" in html
    assert "/transcripts/T-LEARN/2026.pdf" in html


def test_a_cycle_whose_completion_earned_nothing_still_has_its_transcript(certs, login_as):
    """An older BB01 completion recorded after the 2026 one earns no credits (a course earns
    once), so 2024 has no ledger entry, but its certificate puts 2024 in the transcript list."""
    cycle_of(2024)
    learner = db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))
    old = services.issue_for(make_completion(learner, certs["course"], date(2024, 5, 6)))
    db.session.commit()
    html = login_as("learner").get("/me/certificates").get_data(as_text=True)
    assert "/transcripts/T-LEARN/2024.pdf" in html and "/transcripts/T-LEARN/2026.pdf" in html
    response = login_as("learner").get("/transcripts/T-LEARN/2024.pdf")
    assert response.status_code == 200 and old.serial in " ".join(text_of(response.data).split())


def test_the_transcript_lists_the_ledger_and_the_certificates_of_the_cycle(certs, login_as):
    response = login_as("learner").get("/transcripts/T-LEARN/2026.pdf")
    assert response.status_code == 200
    text = " ".join(text_of(response.data).split())
    assert "Người Dùng Learner" in text and "T-LEARN" in text
    assert "Văn hóa công vụ và đạo đức công vụ" in text
    assert certs["learner"] in text


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("learner", "/transcripts/T-MAN/2026.pdf", 404),
        ("reviewer", "/transcripts/T-MAN/2026.pdf", 200),  # T-MAN works in SNV
        ("reviewer", "/transcripts/T-LEARN/2026.pdf", 404),
        ("hr", "/transcripts/T-LEARN/2026.pdf", 200),
        ("hr", "/transcripts/T-LEARN/2019.pdf", 404),  # no such cycle
    ],
)
def test_transcripts_are_scoped(certs, login_as, role, url, status):
    assert login_as(role).get(url).status_code == status


# --- staff screens -----------------------------------------------------------------------------


def test_the_manage_list_filters_by_status_course_and_name(certs, login_as):
    hr = login_as("hr")
    services.revoke(
        db.session.scalar(select(Certificate).where(Certificate.serial == certs["manager"])),
        "lent",
        "",
        None,
    )
    db.session.commit()
    revoked = hr.get("/manage/certificates?status=revoked").get_data(as_text=True)
    assert certs["manager"] in revoked and certs["learner"] not in revoked
    by_name = hr.get("/manage/certificates?q=nguoi dung learner").get_data(as_text=True)
    assert certs["learner"] in by_name and certs["manager"] not in by_name
    assert certs["learner"] not in hr.get("/manage/certificates?course=XX99").get_data(as_text=True)


def test_the_manage_list_costs_the_same_queries_for_more_certificates(certs, login_as):
    hr = login_as("hr")
    hr.get("/manage/certificates")
    with count_queries() as few:
        hr.get("/manage/certificates")
    for number in range(10):
        official = make_official(f"Q-{number}", f"Phan Văn Số {number}", "P-HAICHAU")
        services.issue_for(make_completion(official, certs["course"], commit=True))
    db.session.commit()
    with count_queries() as many:
        hr.get("/manage/certificates")
    assert many[0] == few[0]


def _pending_in_two_units(world):
    """BB02 completions waiting for their certificate: P-0001 (P-HAICHAU), S-0001 (SNV-CCVC).
    The reviewer becomes HR over SNV only."""
    course = import_course("BB02")
    make_completion(make_official("P-0001", "Võ Thị Lan", "P-HAICHAU"), course, commit=True)
    make_completion(make_official("S-0001", "Đặng Văn Sơn", "SNV-CCVC"), course, commit=True)
    snv = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    auth.grant_role(world["reviewer"], HR_OFFICER, snv.id, actor=None)
    db.session.commit()


def _bb02_holders() -> list[str]:
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            select(Official.employee_code)
            .join(Certificate, Certificate.official_id == Official.id)
            .where(Certificate.course_code == "BB02")
        )
    )


def _issue_runs():
    from lms.jobs.models import JobRun

    db.session.expire_all()
    return db.session.scalars(
        select(JobRun).where(JobRun.name == "certificates.issue_requested").order_by(JobRun.id)
    ).all()


def test_issue_pending_goes_through_the_queue_within_the_viewers_scope(
    idle_worker, certs, login_as, world, app, monkeypatch
):
    from lms.certificates.permissions import manage_scope
    from lms.jobs.models import DONE

    # no worker runs the queue yet: each completion's own `certificates.issue` job waits there
    _pending_in_two_units(world)
    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", "immediate://")  # now a worker runs jobs
    snv_hr = login_as("reviewer")
    waiting = snv_hr.get("/manage/certificates").get_data(as_text=True)
    assert "1 completed course is waiting for its certificate." in waiting  # S-0001 only
    response = _post(snv_hr, "/manage/certificates/issue", "/manage/certificates")
    [run] = _issue_runs()
    assert response.location.endswith(f"/jobs/{run.id}")
    assert (run.status, run.user_id) == (DONE, world["reviewer"].id)
    scope = manage_scope(world["reviewer"])
    assert scope and run.params["scope"] == scope  # the viewer's unit paths, not everyone
    assert _bb02_holders() == ["S-0001"]  # P-HAICHAU is outside the reviewer's SNV scope
    page = snv_hr.get(response.location).get_data(as_text=True)
    assert "1 certificate is being issued; this page shows the progress." in page
    assert "Done" in page and "1 certificate(s) issued." in page
    # HR over Đà Nẵng issues the rest; a third press finds nothing left and queues nothing
    hr = login_as("hr")
    _post(hr, "/manage/certificates/issue", "/manage/certificates")
    assert _bb02_holders() == ["P-0001", "S-0001"]
    again = _post(hr, "/manage/certificates/issue", "/manage/certificates")
    assert again.location.endswith("/manage/certificates")
    assert "No certificate is waiting to be issued." in hr.get(again.location).get_data(
        as_text=True
    )
    assert [r.status for r in _issue_runs()] == [DONE, DONE]


def test_issue_pending_waits_for_a_worker_and_a_second_press_queues_nothing_more(
    idle_worker, certs, login_as, world
):
    from lms.jobs.models import DONE, QUEUED
    from lms.jobs.queue import execute

    _pending_in_two_units(world)
    hr = login_as("hr")
    first = _post(hr, "/manage/certificates/issue", "/manage/certificates")
    [run] = _issue_runs()
    assert (run.status, _bb02_holders()) == (QUEUED, [])  # nothing issued in the request
    page = hr.get(first.location).get_data(as_text=True)
    assert "2 certificates are being issued" in page and "Queued" in page
    second = _post(hr, "/manage/certificates/issue", "/manage/certificates")
    assert second.location == first.location and len(_issue_runs()) == 1
    assert "already being issued" in hr.get(second.location).get_data(as_text=True)
    execute(run.id)  # what the worker does with the message
    assert [r.status for r in _issue_runs()] == [DONE]
    assert _bb02_holders() == ["P-0001", "S-0001"]


def test_reissue_from_the_detail_page_gives_a_new_serial(certs, login_as):
    hr = login_as("hr")
    page = f"/manage/certificates/{certs['learner']}"
    response = _post(hr, f"{page}/reissue", page, note="Sai ngày sinh")
    assert response.status_code == 302 and response.location.endswith("DN-2026-000003")
    again = _post(hr, f"{page}/reissue", page, note="Lần nữa")
    assert again.location.endswith(page)  # refused, with a message, nothing written
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 3


def test_an_invalid_revocation_reason_writes_nothing(certs, login_as):
    hr = login_as("hr")
    page = f"/manage/certificates/{certs['learner']}"
    _post(hr, f"{page}/revoke", page, reason="lost")
    assert (
        db.session.scalar(
            select(Certificate.revoked_at).where(Certificate.serial == certs["learner"])
        )
        is None
    )


# --- bulk download -----------------------------------------------------------------------------


def _zip_names(client, job_url: str) -> list[str]:
    for _ in range(100):
        html = client.get(job_url).get_data(as_text=True)
        if ".zip" in html and "Preparing" not in html and "Đang" not in html:
            break
        time.sleep(0.1)
    response = client.get(job_url + ".zip")
    data = response.data
    response.close()
    assert response.status_code == 200
    return sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_bulk_zip_of_a_course_holds_every_certificate_in_scope(certs, login_as):
    hr = login_as("hr")
    response = _post(
        hr, "/manage/certificates/bulk", "/manage/certificates/bulk", kind="course", value="bb01"
    )
    assert response.status_code == 302
    names = _zip_names(hr, response.location)
    assert names == sorted(f"BB01/{certs[who]}.pdf" for who in ("learner", "manager"))


def test_bulk_zip_is_built_in_the_background_with_progress(app, certs, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_CERTIFICATE_BULK_INLINE", 0)
    hr = login_as("hr")
    response = _post(
        hr, "/manage/certificates/bulk", "/manage/certificates/bulk", kind="unit", value="P-HAICHAU"
    )
    assert _zip_names(hr, response.location) == [f"BB01/{certs['learner']}.pdf"]
    # another user cannot open the job
    assert login_as("manager").get(response.location).status_code == 404


def test_bulk_with_nothing_in_scope_says_so(certs, login_as):
    hr = login_as("hr")
    page = _post(
        hr, "/manage/certificates/bulk", "/manage/certificates/bulk", kind="unit", value="NOPE"
    )
    assert page.status_code == 200
    assert "No certificate" in page.get_data(as_text=True) or "Không" in page.get_data(as_text=True)


def test_a_revoked_certificate_is_no_longer_the_holders_to_print(certs, login_as):
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.serial == certs["learner"])
    )
    services.revoke(certificate, "altered", "", None)
    db.session.commit()
    assert login_as("learner").get(f"/certificates/{certs['learner']}.pdf").status_code == 404
    staff = login_as("hr").get(f"/certificates/{certs['learner']}.pdf")
    text = text_of(staff.data)
    assert "REVOKED" in text or "ĐÃ THU HỒI" in text
    assert "Pages:           1" in run(tool("pdfinfo"), "-", data=staff.data)
