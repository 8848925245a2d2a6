"""The HR ledger view of one official: entries by cycle with sources and balances, manual
entries and reversals with a reason (HR), read-only for reviewers, scoped to their units."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import MANUAL, LedgerEntry
from lms.organisation.models import Official
from tests.conftest import csrf_token

URL = "/officials/T-MAN/ledger"


@pytest.fixture
def entry_id(world, db, freeze):
    freeze(date(2026, 6, 15))
    official = db.session.scalar(select(Official).where(Official.employee_code == "T-MAN"))
    ledger.append(
        ledger.NewEntry(official.id, date(2025, 11, 3), Decimal(1), MANUAL, "Hội thảo 2025")
    )
    entry = ledger.append(
        ledger.NewEntry(official.id, date(2026, 3, 2), Decimal("1.5"), MANUAL, "Tập huấn ISO")
    )
    db.session.commit()
    return entry.id


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, URL), **data})


def test_hr_reads_the_ledger_by_cycle_with_balances(entry_id, login_as):
    page = login_as("hr").get(URL).get_data(as_text=True)
    assert page.index("Tập huấn ISO") < page.index("Hội thảo 2025")  # newest cycle first
    assert "2026" in page and "1,5" in page
    assert "/ledger/manual" in page and "/reverse" in page


def test_reviewers_read_only_and_others_are_kept_out(entry_id, login_as):
    reviewer = login_as("reviewer")  # SNV covers T-MAN (SNV-CCVC)
    page = reviewer.get(URL).get_data(as_text=True)
    assert "Tập huấn ISO" in page and "/ledger/manual" not in page
    assert post(reviewer, URL + "/manual", title="x", credits="1").status_code == 403
    assert reviewer.get("/officials/T-LEARN/ledger").status_code == 404  # a ward official
    assert login_as("learner").get(URL).status_code == 403
    assert login_as("manager").get(URL).status_code == 403


def test_hr_adds_a_manual_entry_with_a_reason(entry_id, login_as, db):
    client = login_as("hr")
    missing = post(client, URL + "/manual", title="Hội nghị", credits="0,5", earned_on="2026-05-04")
    assert missing.status_code == 422
    done = post(
        client,
        URL + "/manual",
        title="Hội nghị chuyên đề",
        credits="0,5",
        earned_on="04/05/2026",
        reason="Theo Quyết định 12/QĐ-SNV",
    )
    assert done.status_code == 302
    entry = db.session.scalar(select(LedgerEntry).order_by(LedgerEntry.id.desc()))
    assert (entry.credits, entry.reason) == (Decimal("0.5"), "Theo Quyết định 12/QĐ-SNV")
    assert entry.actor_id is not None
    assert db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "ledger.append", AuditEntry.actor_id.is_not(None)
        )
    )


def test_hr_reverses_an_entry_once_with_a_reason(entry_id, login_as, db):
    client = login_as("hr")
    url = f"{URL}/{entry_id}/reverse"
    empty = post(client, url, reason="  ")
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.get_data(as_text=True)
    assert post(client, url, reason="Trùng với lớp tập trung").status_code == 302
    twice = post(client, url, reason="Lần nữa")
    assert twice.status_code == 422
    entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)).all()
    assert [e.credits for e in entries] == [Decimal(1), Decimal("1.5"), Decimal("-1.5")]
    assert list(seals.verify()) == []
    assert "Trùng với lớp tập trung" in client.get(URL).get_data(as_text=True)


def test_an_entry_of_another_official_is_not_found(entry_id, login_as):
    assert (
        post(login_as("hr"), f"/officials/T-REV/ledger/{entry_id}/reverse", reason="x").status_code
        == 404
    )


def test_the_ledger_page_its_csv_and_the_transcript_name_the_source_alike(entry_id, login_as):
    """One label per credit source (CreditSource): the HR ledger page, its CSV download and the
    official's transcript PDF print the same words (they once had three wordings)."""
    from lms.curricula.ledger.models import CreditSource
    from tests.services.test_certificates_pdf import text_of

    hr = login_as("hr")
    words = "Nhập thủ công (cán bộ tổ chức)"
    with hr.application.test_request_context():
        from flask_babel import force_locale

        with force_locale("vi"):
            assert str(CreditSource.MANUAL.label) == words
    assert words in hr.get(URL).get_data(as_text=True)
    assert words in hr.get(URL + ".csv").get_data(as_text=True)
    transcript = hr.get("/transcripts/T-MAN/2026.pdf")
    assert transcript.status_code == 200
    text = " ".join(text_of(transcript.data).split())
    # the cell wraps: "Nhập thủ" | periods | "công (cán bộ tổ chức)"
    assert "Nhập thủ" in text and "công (cán bộ tổ chức)" in text
    assert "Do bộ phận" not in text  # the transcript's own wording of old
