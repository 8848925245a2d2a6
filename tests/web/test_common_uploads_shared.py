"""The officials import, the completions import and the certificate bulk download run on one
job-folder store and flow (lms.common.uploads): the same token rule answers the same 404 on
every page, and the behaviour the two imports had drifted on is now one (a failure is shown
with the way on and writes nothing, inline or queued; a finished import run again does not
overwrite what it reported)."""

import io

import pytest
from sqlalchemy import func, select

from lms.common import uploads
from lms.common.exporter import csv_table as write_csv
from lms.curricula.completions.models import Completion
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.services.test_curricula_completions_import import VI
from tests.services.test_organisation_officials_import import person, to_xlsx
from tests.web.test_curricula_sources_completions import ROWS, setting  # noqa: F401 (fixture)
from tests.web.test_curricula_sources_completions import upload as upload_completions

pytestmark = pytest.mark.usefixtures("english", "setting")

BAD = ["..%2F..%2Fetc%2Fpasswd", "A" * 300, "short", "a" * 21 + ".", "a" * 20 + ".."]
PAGES = [
    "/officials/import/{}",
    "/officials/import/{}/report.csv",
    "/completions/import/{}",
    "/completions/import/{}/report.xlsx",
    "/manage/certificates/bulk/{}",
    "/manage/certificates/bulk/{}.zip",
]


@pytest.mark.parametrize("token", BAD)
def test_a_bad_token_is_the_same_404_on_every_upload_page(login_as, token):
    client = login_as("hr")
    for page in PAGES:
        assert client.get(page.format(token)).status_code == 404, page


def test_a_token_of_one_flow_opens_no_page_of_another(login_as, db):
    hr = login_as("hr")
    officials = _upload_officials(hr, to_xlsx([person(1)]))
    completions = upload_completions(hr, write_csv(VI, ROWS)).location
    for location, other in (
        (officials, "/completions/import/"),
        (completions, "/officials/import/"),
    ):
        token = location.rsplit("/", 1)[1]
        assert uploads.valid_token(token)
        assert hr.get(location).status_code == 200
        assert hr.get(other + token).status_code == 404
        assert hr.get(f"/manage/certificates/bulk/{token}").status_code == 404


def _upload_officials(client, data: bytes) -> str:
    response = client.post(
        "/officials/import",
        data={
            "csrf_token": csrf_token(client, "/officials/import"),
            "file": (io.BytesIO(data), "danh-sach.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.location


def _confirm(client, location: str) -> str:
    token = csrf_token(client, location)
    page = client.post(location, data={"csrf_token": token}, follow_redirects=True)
    return page.get_data(as_text=True)


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("queued", [False, True], ids=["inline", "queued"])
def test_an_officials_import_that_fails_says_why_offers_a_new_upload_and_writes_nothing(
    login_as,
    db,
    app,
    monkeypatch,
    queued,
):
    from lms.organisation import imports

    if queued:
        monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 1)
    real = imports.apply_plan

    def failing(plan, actor, valid_only):
        real(plan, actor, valid_only)  # written, then rolled back
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "apply_plan", failing)
    before = _count(db, Official)
    client = login_as("hr")
    location = _upload_officials(client, to_xlsx([person(1), person(2)]))
    html = _confirm(client, location)
    assert "The import failed and nothing was written: disk full" in html
    assert 'href="/officials/import"' in html  # upload another file
    assert 'http-equiv="refresh"' not in html
    assert _count(db, Official) == before
    meta = uploads.read_meta(uploads.IMPORTS.find(location.rsplit("/", 1)[1]))
    assert (meta["state"], meta["error"]) == ("failed", "disk full")


@pytest.mark.parametrize("queued", [False, True], ids=["inline", "queued"])
def test_a_completions_import_that_fails_says_why_offers_a_new_upload_and_writes_nothing(
    login_as,
    db,
    app,
    monkeypatch,
    queued,
):
    from lms.curricula.completions import importer as completions_import

    if queued:
        monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 1)
    real = completions_import.record_completion
    calls = []

    def failing(data, actor=None, override=None):
        calls.append(data)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(data, actor, override)

    monkeypatch.setattr(completions_import, "record_completion", failing)
    client = login_as("hr")
    location = upload_completions(client, write_csv(VI, ROWS)).location
    html = _confirm(client, location)
    assert "The import failed and nothing was written: disk full" in html
    assert 'href="/completions/import"' in html
    assert _count(db, Completion) == 0


def test_a_finished_import_run_again_keeps_what_it_reported(login_as, db, app, monkeypatch):
    """A worker that died after publishing: its step runs again and changes nothing, neither
    the database nor the counts the page shows (they used to become zeros)."""
    from lms.jobs import enqueue
    from lms.jobs.models import JobRun

    monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 1)
    client = login_as("hr")
    for location, name in (
        (_upload_officials(client, to_xlsx([person(1), person(2)])), "organisation.import"),
        (upload_completions(client, write_csv(VI, ROWS)).location, "curricula.completions_import"),
    ):
        _confirm(client, location)
        folder = uploads.IMPORTS.find(location.rsplit("/", 1)[1])
        done = uploads.read_meta(folder)
        assert done["state"] == "imported"
        last = db.session.scalar(
            select(JobRun).where(JobRun.name == name).order_by(JobRun.id.desc())
        )
        enqueue(name, actor=last.user, **last.params)
        db.session.commit()
        assert uploads.read_meta(folder)["result"] == done["result"]
