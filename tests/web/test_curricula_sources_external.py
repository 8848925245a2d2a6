"""External training on the web: an official submits with evidence; HR of their unit approves
or rejects; the evidence is downloadable by its owner and HR in scope only."""

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger.models import LedgerEntry
from tests.conftest import csrf_token
from tests.factories import PDF

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def setting(world, app, tmp_path, monkeypatch, freeze):
    freeze(date(2026, 4, 1))
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


FIELDS = {
    "title": "Bồi dưỡng kỹ năng chuyển đổi số",
    "organiser": "Học viện Hành chính Quốc gia",
    "starts_on": "2026-03-02",
    "ends_on": "06/03/2026",
    "periods": "40",
}


def download(client, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    try:
        return response.status_code, response.data
    finally:
        response.close()  # send_file keeps the file open until the response is closed


def submit(client, content=PDF, name="giay-chung-nhan.pdf", **changes):
    token = csrf_token(client, "/me/external/new")
    return client.post(
        "/me/external/new",
        data={"csrf_token": token, **FIELDS, **changes, "evidence": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_an_official_submits_and_hr_approves_with_the_suggested_credits(setting, login_as, db):
    learner = login_as("learner")
    response = submit(learner)
    assert response.status_code == 302
    mine = learner.get("/me/external/").get_data(as_text=True)
    assert "Bồi dưỡng kỹ năng chuyển đổi số" in mine
    record = db.session.scalar(select(ExternalRecord))
    assert download(learner, f"/me/external/{record.id}/evidence") == (200, PDF)
    hr = login_as("hr")
    assert "Bồi dưỡng kỹ năng chuyển đổi số" in hr.get("/external/").get_data(as_text=True)
    detail = hr.get(f"/external/{record.id}").get_data(as_text=True)
    assert 'value="2.5"' in detail  # 40 periods ÷ 15 → 2.5
    assert download(hr, f"/external/{record.id}/evidence") == (200, PDF)
    token = csrf_token(hr, f"/external/{record.id}")
    done = hr.post(f"/external/{record.id}/approve", data={"csrf_token": token, "credits": "2,5"})
    assert done.status_code == 302
    assert db.session.scalar(select(LedgerEntry.credits)) == Decimal("2.5")
    again = hr.post(f"/external/{record.id}/approve", data={"csrf_token": token, "credits": "1"})
    assert again.status_code == 302
    assert len(db.session.scalars(select(LedgerEntry)).all()) == 1


def test_a_rejection_needs_a_reason_and_the_official_reads_it(setting, login_as, db):
    submit(login_as("learner"))
    record_id = db.session.scalar(select(ExternalRecord.id))
    hr = login_as("hr")
    token = csrf_token(hr, f"/external/{record_id}")
    empty = hr.post(f"/external/{record_id}/reject", data={"csrf_token": token, "reason": " "})
    assert empty.status_code == 422
    hr.post(f"/external/{record_id}/reject", data={"csrf_token": token, "reason": "Thiếu dấu"})
    assert "Thiếu dấu" in login_as("learner").get("/me/external/").get_data(as_text=True)


def test_wrong_files_are_refused_clearly(setting, login_as, db, app, monkeypatch):
    learner = login_as("learner")
    fake = submit(learner, content=b"MZ\x90\x00 not a pdf", name="virus.pdf")
    assert fake.status_code == 200 and "PDF, JPG or PNG" in fake.get_data(as_text=True)
    # Restored afterwards (a deleted key left later tests without the configured limit).
    monkeypatch.setitem(app.config, "LMS_EVIDENCE_MAX_BYTES", 256 * 1024)
    big = submit(learner, content=PDF + b"0" * 300 * 1024)
    assert big.status_code == 200 and " 0.25 MB" in big.get_data(as_text=True)
    assert db.session.scalar(select(ExternalRecord)) is None


def test_evidence_is_closed_to_other_officials_and_hr_out_of_scope(setting, login_as, db, world):
    from lms.auth import services as auth
    from lms.auth.models import HR_OFFICER
    from lms.organisation.models import OrgUnit

    submit(login_as("learner"))  # the learner works in P-HAICHAU
    record_id = db.session.scalar(select(ExternalRecord.id))
    assert download(login_as("manager"), f"/me/external/{record_id}/evidence")[0] == 404
    assert download(login_as("manager"), f"/external/{record_id}/evidence")[0] == 403
    snv = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV"))
    auth.grant_role(world["reviewer"], HR_OFFICER, snv, actor=None)
    db.session.commit()
    outsider = login_as("reviewer")
    assert download(outsider, f"/external/{record_id}/evidence")[0] == 404
    assert outsider.get(f"/external/{record_id}").status_code == 404
    assert "kỹ năng chuyển đổi số" not in outsider.get("/external/").get_data(as_text=True)
    assert login_as("admin").get("/me/external/").status_code == 403  # no official record
