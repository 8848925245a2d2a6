"""The historical completions import as HR uses it on the web: upload, checked preview with the
per-row report, confirm, and the same file again changing nothing."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.common.exporter import csv_table as write_csv
from lms.curricula.completions.models import Completion
from lms.curricula.ledger.models import LedgerEntry
from lms.organisation import import_jobs
from tests.conftest import csrf_token
from tests.factories import make_in_person_course, make_official
from tests.services.test_curricula_completions_import import LEGACY, VI
from tests.services.test_organisation_officials_import import person, to_xlsx

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


ROWS = [
    ["DN000001", "VHCV01", "15/11/2019", "8,5", "", "GCN-2019/0153"],
    ["T-LEARN", "VHCV01", "02/03/2024", "7", "1", ""],
]


@pytest.fixture
def setting(world, db, app, tmp_path, monkeypatch, freeze):
    freeze(date(2026, 6, 15))
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    make_official("DN000001", "Nguyễn Thị Hoa")
    make_in_person_course("VHCV01")
    db.session.commit()


def upload(client, data: bytes, name: str = "hoan-thanh.csv"):
    token = csrf_token(client, "/completions/import")
    return client.post(
        "/completions/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_hr_checks_then_confirms_and_a_second_import_changes_nothing(setting, login_as, db):
    client = login_as("hr")
    response = upload(client, write_csv(VI, ROWS))
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert "hoan-thanh.csv" in preview and "new: VHCV01 on 15/11/2019" in preview
    assert count(db, Completion) == 0  # the check writes nothing
    token = csrf_token(client, response.location)
    done = client.post(response.location, data={"csrf_token": token}, follow_redirects=True)
    assert "2 completions recorded, 3.00 credits written" in done.get_data(as_text=True)
    assert (count(db, Completion), count(db, LedgerEntry)) == (2, 2)
    again = upload(client, write_csv(VI, ROWS))
    page = client.get(again.location).get_data(as_text=True)
    assert "No change: every row was imported before." in page
    assert 'name="valid_only"' not in page and ">Import<" not in page
    assert (count(db, Completion), count(db, LedgerEntry)) == (2, 2)


def test_rows_in_error_block_the_import_unless_valid_only(setting, login_as, db):
    client = login_as("hr")
    rows = [*ROWS, ["DN404", "VHCV01", "01/01/2020", "", "", ""]]
    response = upload(client, write_csv(VI, rows))
    page = client.get(response.location).get_data(as_text=True)
    assert "DN404" in page and 'name="valid_only"' in page
    token = csrf_token(client, response.location)
    client.post(response.location, data={"csrf_token": token})
    assert count(db, Completion) == 0
    client.post(response.location, data={"csrf_token": token, "valid_only": "y"})
    assert count(db, Completion) == 2


def test_the_error_report_cannot_smuggle_a_formula(setting, login_as):
    client = login_as("hr")
    rows = [['=HYPERLINK("http://evil.example","x")', "VHCV01", "01/01/2020", "", "", ""]]
    response = upload(client, write_csv(VI, rows))
    report = client.get(response.location + "/report.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in report  # shown as text by Excel and LibreOffice
    assert "\n=" not in report and ",=" not in report


def test_a_wrong_encoding_or_type_is_refused_on_the_form(setting, login_as):
    client = login_as("hr")
    legacy = upload(client, LEGACY)
    assert legacy.status_code == 200 and "UTF-8" in legacy.get_data(as_text=True)
    wrong = upload(client, b"%PDF-1.4", "ho-so.pdf")
    assert wrong.status_code == 200 and ".csv" in wrong.get_data(as_text=True)


def test_hr_sees_only_officials_of_their_scope(setting, login_as, db, world):
    """The reviewer cannot import at all; an HR officer of SNV gets DN000002 refused."""
    from lms.auth import services as auth
    from lms.auth.models import HR_OFFICER
    from lms.organisation.models import OrgUnit

    assert login_as("reviewer").get("/completions/import").status_code == 403
    assert login_as("manager").get("/completions/import").status_code == 403
    snv = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    auth.grant_role(world["reviewer"], HR_OFFICER, snv.id, actor=None)
    db.session.commit()
    client = login_as("reviewer")
    response = upload(client, write_csv(VI, ROWS))
    page = client.get(response.location).get_data(as_text=True)
    assert "T-LEARN" in page and "outside your scope" in page


def test_a_job_is_seen_only_by_its_uploader_and_only_as_a_completions_import(
    setting, login_as, world
):
    response = upload(login_as("hr"), write_csv(VI, ROWS))
    assert login_as("admin").get(response.location).status_code == 404
    officials_job = import_jobs.create(world["hr"].id, "f.xlsx", to_xlsx([person(1)]), 1, False)
    assert login_as("hr").get(f"/completions/import/{officials_job}").status_code == 404
    # and the officials import does not open (nor confirm) a completions upload either
    hr = login_as("hr")
    token = response.location.rstrip("/").split("/")[-1]
    assert hr.get(f"/officials/import/{token}").status_code == 404
    assert hr.get(f"/officials/import/{token}/report.csv").status_code == 404


# --- files above LMS_IMPORT_INLINE_ROWS go through the job queue --------------------------------


def _runs(db):
    from lms.jobs.models import JobRun

    db.session.expire_all()
    return db.session.scalars(
        select(JobRun).where(JobRun.name == "curricula.completions_import").order_by(JobRun.id)
    ).all()


def _meta(location: str) -> dict:
    return import_jobs.read_meta(import_jobs.job_dir(location.rsplit("/", 1)[1]))


@pytest.fixture
def queued(app, monkeypatch):
    """Every file is "large": it is checked and imported by the job queue (immediate://, a
    worker that runs each job when the request commits)."""
    monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 1)


@pytest.fixture
def idle_queue(app, tmp_path, monkeypatch):
    """A real queue (SQLite) that no worker consumes: queued runs wait until the test runs them."""
    from lms.jobs.queue import get_queue

    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", f"sqlite:///{tmp_path}/jobs.sqlite3")
    queue = get_queue(app)
    yield queue
    queue.huey.flush()
    app.extensions.pop("lms_queue", None)


def test_a_large_file_is_checked_and_imported_on_the_queue_and_a_rerun_adds_nothing(
    setting, queued, login_as, db, world
):
    from lms.jobs import enqueue
    from lms.jobs.models import DONE

    client = login_as("hr")
    response = upload(client, write_csv(VI, ROWS))
    [check] = _runs(db)
    assert (check.status, check.user_id, check.params["step"]) == (DONE, world["hr"].id, "check")
    assert _meta(response.location)["run_id"] == check.id
    preview = client.get(response.location).get_data(as_text=True)
    assert "new: VHCV01 on 15/11/2019" in preview  # written in the uploader's language
    token = csrf_token(client, response.location)
    done = client.post(response.location, data={"csrf_token": token}, follow_redirects=True)
    assert "2 completions recorded, 3.00 credits written" in done.get_data(as_text=True)
    apply = _runs(db)[-1]
    assert (apply.name, apply.status, apply.params["step"]) == (
        "curricula.completions_import",
        DONE,
        "apply",
    )
    assert (count(db, Completion), count(db, LedgerEntry)) == (2, 2)
    # a worker that died after the commit runs the step again: nothing is recorded twice
    enqueue("curricula.completions_import", actor=world["hr"], **apply.params)
    db.session.commit()
    assert [run.status for run in _runs(db)] == [DONE, DONE, DONE]
    assert (count(db, Completion), count(db, LedgerEntry)) == (2, 2)


def test_the_preview_shows_progress_while_the_check_waits_for_a_worker(
    setting, queued, idle_queue, login_as, db
):
    from lms.jobs.models import DONE, QUEUED
    from lms.jobs.queue import execute

    client = login_as("hr")
    response = upload(client, write_csv(VI, ROWS))
    [run] = _runs(db)
    busy = client.get(response.location).get_data(as_text=True)
    assert run.status == QUEUED and "Checking the file…" in busy
    assert 'http-equiv="refresh"' in busy and f'href="/jobs/{run.id}"' in busy
    execute(run.id)  # what the worker does with the message
    assert [r.status for r in _runs(db)] == [DONE]
    ready = client.get(response.location).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in ready and "new: VHCV01 on 15/11/2019" in ready


def test_a_queued_import_that_fails_says_so_on_its_page_and_writes_nothing(
    setting, queued, login_as, db, monkeypatch
):
    from lms.curricula.completions import importer as completions_import
    from lms.jobs.models import DONE, FAILED

    real = completions_import.record_completion
    calls = []

    def failing(data, actor=None, override=None):
        calls.append(data)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(data, actor, override)

    monkeypatch.setattr(completions_import, "record_completion", failing)
    client = login_as("hr")
    response = upload(client, write_csv(VI, ROWS))
    token = csrf_token(client, response.location)
    page = client.post(response.location, data={"csrf_token": token}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "The import failed and nothing was written: disk full" in html
    assert 'http-equiv="refresh"' not in html  # it does not spin forever
    assert [run.status for run in _runs(db)] == [DONE, FAILED]
    assert "disk full" in _runs(db)[-1].error
    assert (count(db, Completion), count(db, LedgerEntry)) == (0, 0)
