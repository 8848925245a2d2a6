"""Leave as HR meets it on the web — the "long leave and absence" section of an official's
registry page (add, refuse an overlap, change, delete; the months of the cycle), the leave
import (upload → checked preview → confirm; the same file twice; a file with errors) — and as
an integrator meets it in the API (GET/POST /api/v1/officials/<code>/leave)."""

import io
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lms.extensions import db as _db
from lms.organisation.models import LeavePeriod
from tests.conftest import csrf_token
from tests.factories import make_course, make_curriculum, make_cycle, make_leave, make_official
from tests.web.routes.api import bearer

pytestmark = pytest.mark.usefixtures("english")
PAGE = "/officials/DN000001"


@pytest.fixture
def hoa(world, freeze):
    """Nguyễn Thị Hoa in SNV-CCVC (3 TC a year), the 2026 cycle, today 10/01/2026."""
    freeze(datetime(2026, 1, 10, 3, 0))
    make_curriculum("CM-CCVC", "3", [make_course("BB01")])
    make_cycle(2026)
    official = make_official("DN000001", "Nguyễn Thị Hoa")
    _db.session.commit()
    return official


def _count() -> int:
    return _db.session.scalar(select(func.count()).select_from(LeavePeriod))


def _post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, PAGE), **data})


def test_hr_records_changes_and_deletes_leave_on_the_registry_page(login_as, hoa):
    client = login_as("hr")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Long leave and absence" in page and "No leave recorded." in page
    assert "12 months in post, 0 on exempting leave, 12 counted" in page
    done = _post(
        client,
        PAGE + "/leave/new",
        kind="maternity",
        starts_on="01/03/2026",
        ends_on="31/08/2026",
        decision_number="125/QĐ-SNV",
    )
    assert done.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Maternity leave" in page and "125/QĐ-SNV" in page and "Mar 1, 2026" in page
    assert "12 months in post, 6 on exempting leave, 6 counted" in page
    overlap = _post(
        client, PAGE + "/leave/new", kind="sick", starts_on="31/08/2026", ends_on="30/09/2026"
    )
    assert overlap.status_code == 200
    assert "It overlaps the leave from 01/03/2026 to 31/08/2026." in overlap.get_data(as_text=True)
    assert _count() == 1
    period = _db.session.scalar(select(LeavePeriod))
    changed = _post(
        client,
        f"{PAGE}/leave/{period.id}",
        kind="maternity",
        starts_on="01/03/2026",
        ends_on="31/05/2026",
        decision_number="125/QĐ-SNV",
    )
    assert changed.status_code == 302
    assert "9 counted" in client.get(PAGE).get_data(as_text=True)
    _post(client, f"{PAGE}/leave/{period.id}/delete")
    assert _count() == 0


def test_the_not_rated_flag_shows_on_the_registry_page_and_on_me(app, login_as, hoa):
    make_leave(hoa, date(2026, 1, 1), date(2026, 7, 31), "sick")
    _db.session.commit()
    page = login_as("hr").get(PAGE).get_data(as_text=True)
    assert "Under 6 months of work in the year: not rated" in page
    # the learner's own page shows their months (T-LEARN, no leave)
    me = login_as("learner").get("/me").get_data(as_text=True)
    assert "months in post" in me and "not rated" not in me


def test_a_reviewer_reads_leave_but_has_no_buttons(login_as, hoa):
    make_leave(hoa, date(2026, 3, 1), date(2026, 8, 31))
    _db.session.commit()
    client = login_as("reviewer")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Maternity leave" in page and "/leave/new" not in page
    assert client.get(PAGE + "/leave/new").status_code == 403


def _upload(client, text: str, name: str = "nghi.csv"):
    token = csrf_token(client, "/officials/leave/import")
    return client.post(
        "/officials/leave/import",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


FILE = "employee_code,kind,from,to,decision_number\nDN000001,maternity,01/03/2026,31/08/2026,1/QĐ\n"


def test_the_leave_import_checks_confirms_and_changes_nothing_the_second_time(login_as, hoa):
    client = login_as("hr")
    response = _upload(client, FILE)
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert "nghi.csv" in preview and "new: Maternity leave from 01/03/2026 to 31/08/2026" in preview
    assert _count() == 0  # the check writes nothing
    done = client.post(
        response.location,
        data={"csrf_token": csrf_token(client, response.location)},
        follow_redirects=True,
    )
    assert "Import finished: 1 new leave periods, 0 corrected." in done.get_data(as_text=True)
    assert _count() == 1
    again = client.get(_upload(client, FILE).location).get_data(as_text=True)
    assert "No change: every period is recorded already." in again
    assert 'type="submit" class="primary">Import<' not in again


def test_a_leave_file_with_errors_cannot_be_confirmed(login_as, hoa):
    client = login_as("hr")
    text = FILE + "DN000001,sick,15/08/2026,30/09/2026,\nNOPE,sick,01/01/2026,31/01/2026,\n"
    response = _upload(client, text)
    page = client.get(response.location).get_data(as_text=True)
    assert "It overlaps the leave on line 2." in page and "Unknown employee code NOPE." in page
    client.post(response.location, data={"csrf_token": csrf_token(client, response.location)})
    assert _count() == 0


def test_an_officer_cannot_import_their_own_leave(login_as, hoa):
    """Separation of duties: the HR officer's own record (T-HR) is refused on its row, the
    others' rows are reported fine, and nothing is written."""
    client = login_as("hr")
    response = _upload(client, FILE + "T-HR,sick,01/02/2026,28/02/2026,2/QĐ\n")
    page = client.get(response.location).get_data(as_text=True)
    assert "This is your own record: another officer records your leave." in page
    client.post(response.location, data={"csrf_token": csrf_token(client, response.location)})
    assert _count() == 0


def test_the_api_lists_and_adds_leave(app, world, hoa):
    client = app.test_client()
    headers = bearer(world["hr"])
    url = "/api/v1/officials/DN000001/leave"
    assert client.get(url, headers=headers).get_json() == {
        "employee_code": "DN000001",
        "items": [],
    }
    body = {"kind": "maternity", "from": "2026-03-01", "to": "2026-08-31", "decision_number": "1"}
    added = client.post(url, json=body, headers=headers)
    assert added.status_code == 201
    assert added.get_json() | {"id": 0} == {**body, "id": 0, "exempting": True}
    assert client.post(url, json=body, headers=headers).status_code == 200  # the same again
    overlap = client.post(
        url, json={**body, "from": "2026-08-01", "to": "2026-09-30"}, headers=headers
    )
    assert overlap.status_code == 422
    assert overlap.get_json()["error"]["details"][0]["field"] == "starts_on"
    bad = client.post(url, json={"kind": "x", "from": "2026-02-30", "to": 5}, headers=headers)
    assert bad.status_code == 422
    assert {d["field"] for d in bad.get_json()["error"]["details"]} == {"kind", "from", "to"}
    items = client.get(url, headers=headers).get_json()["items"]
    assert [(i["kind"], i["from"], i["to"]) for i in items] == [
        ("maternity", "2026-03-01", "2026-08-31")
    ]
    # a reviewer reads leave but does not record it
    reviewer = bearer(world["reviewer"])
    assert client.get(url, headers=reviewer).status_code == 200
    assert client.post(url, json=body, headers=reviewer).status_code == 403
    # an HR officer does not record their own leave
    own = client.post("/api/v1/officials/T-HR/leave", json=body, headers=headers)
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "own_record"


def test_a_large_leave_file_is_checked_and_imported_by_the_job_queue(
    app, login_as, hoa, monkeypatch
):
    """Above LMS_IMPORT_INLINE_ROWS the check and the import run as the job
    `organisation.leave_import` (the testing queue runs it at the commit)."""
    from lms.common import uploads
    from lms.jobs.models import DONE, JobRun

    monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 0)
    client = login_as("hr")
    location = _upload(client, FILE).location
    assert "new: Maternity leave" in client.get(location).get_data(as_text=True)
    done = client.post(
        location, data={"csrf_token": csrf_token(client, location)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Import finished: 1 new leave periods, 0 corrected." in done
    runs = _db.session.scalars(select(JobRun).where(JobRun.name == "organisation.leave_import"))
    assert [run.status for run in runs] == [DONE, DONE]  # check, import
    folder = uploads.IMPORTS.find(location.rsplit("/", 1)[1])
    assert uploads.read_meta(folder)["state"] == "imported" and _count() == 1
