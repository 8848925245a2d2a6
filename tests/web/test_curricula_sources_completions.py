"""The historical completions import as HR uses it on the web: upload, checked preview with the
per-row report, confirm, and the same file again changing nothing."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.common.tabular import write_csv
from lms.curricula.models import Completion, LedgerEntry
from lms.organisation import import_jobs
from tests.conftest import csrf_token, make_official
from tests.services.test_completions_import import LEGACY, VI
from tests.services.test_ledger import make_course
from tests.services.test_officials_import import person, to_xlsx

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
    make_course("VHCV01")
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
