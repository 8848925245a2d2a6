"""External training: evidence checked by its first bytes and size, stored under a generated
name; HR approves with credits (one ledger entry) or rejects with a reason, once; audited."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.curricula.external import services as external
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import EXTERNAL, LedgerEntry
from lms.errors import RuleViolation, ValidationFailed
from tests.factories import PDF, PNG, make_official, make_units
from tests.past_cycles import assert_2025_stays_past, cycle_of, open_obligations

TRAINING = external.Submission(
    title="Bồi dưỡng kỹ năng chuyển đổi số",
    organiser="Học viện Hành chính Quốc gia",
    starts_on=date(2026, 3, 2),
    ends_on=date(2026, 3, 6),
    periods=40,
)


@pytest.fixture
def official(db, freeze):
    freeze(date(2026, 4, 1))
    make_units()
    person = make_official("DN000001", "Nguyễn Thị Hoa")
    db.session.commit()
    return person


def submit(official, tmp_path, name="chung-nhan.pdf", content=PDF, data=TRAINING, limit=10**6):
    return external.submit(official.id, data, name, content, tmp_path, limit, actor=None)


@pytest.mark.parametrize(
    ("periods", "credits"), [(1, "0.5"), (15, "1"), (22, "1.5"), (40, "2.5"), (45, "3")]
)
def test_the_suggested_credits_are_periods_over_15_rounded_to_a_half(periods, credits):
    assert external.default_credits(periods) == Decimal(credits)


def test_the_evidence_is_stored_under_a_generated_name(official, tmp_path):
    record = submit(official, tmp_path, name="../../etc/Giấy chứng nhận.png", content=PNG)
    stored = tmp_path / record.evidence_path.split("/", 1)[1]
    assert stored.read_bytes() == PNG and stored.suffix == ".png"
    assert "Giấy" not in record.evidence_path and ".." not in record.evidence_path
    assert record.evidence_name == "Giấy chứng nhận.png"
    assert record.status == "submitted"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chung-nhan.pdf", PNG),  # the name lies about the content
        ("chung-nhan.exe", b"MZ\x90\x00"),
        ("chung-nhan.docx", b"PK\x03\x04"),
        ("anh.jpg", b"GIF89a"),
        ("trong.pdf", b""),
    ],
)
def test_other_files_are_refused(official, tmp_path, name, content):
    with pytest.raises(ValidationFailed) as error:
        submit(official, tmp_path, name=name, content=content)
    assert error.value.reasons[0][0] == "evidence"
    assert not list(tmp_path.iterdir())


def test_an_oversize_file_is_refused_with_the_limit(official, tmp_path):
    with pytest.raises(ValidationFailed, match=" 1 MB"):
        submit(official, tmp_path, content=PDF + b"0" * 1024 * 1024, limit=1024 * 1024)


def test_dates_must_be_in_order_and_past(official, tmp_path):
    wrong = external.Submission("X", "Y", date(2026, 3, 6), date(2026, 3, 2), 4)
    future = external.Submission("X", "Y", date(2026, 3, 6), date(2026, 4, 2), 4)
    for data in (wrong, future):
        with pytest.raises(ValidationFailed):
            submit(official, tmp_path, data=data)


def test_approval_writes_one_ledger_entry_once(official, tmp_path, db):
    record = submit(official, tmp_path)
    external.approve(record, Decimal("2.5"), actor=None)
    db.session.commit()
    entry = db.session.scalar(select(LedgerEntry))
    assert (entry.source, entry.source_ref) == (EXTERNAL, f"external:{record.id}")
    assert (entry.credits, entry.periods, entry.earned_on) == (Decimal("2.5"), 40, date(2026, 3, 6))
    assert ledger.balance(official.id, entry.cycle_id) == Decimal("2.5")
    with pytest.raises(RuleViolation):
        external.approve(record, Decimal(1), actor=None)
    with pytest.raises(RuleViolation):
        external.reject(record, "Muộn", actor=None)
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "external.submitted" in actions and "external.approved" in actions


def test_rejection_needs_a_reason_and_writes_no_credit(official, tmp_path, db):
    record = submit(official, tmp_path)
    with pytest.raises(ValidationFailed):
        external.reject(record, "  ", actor=None)
    external.reject(record, "Giấy chứng nhận không rõ", actor=None)
    assert (record.status, record.decision_reason) == ("rejected", "Giấy chứng nhận không rõ")
    assert db.session.scalar(select(LedgerEntry)) is None


def test_the_queue_is_scoped_to_the_officials_units(official, tmp_path, db):
    ward = make_official("DN000002", "Trần Văn Bình", unit="P-HAICHAU")
    submit(official, tmp_path)
    submit(ward, tmp_path)
    snv = ["/1/2/"]
    names = [r.official.employee_code for r in db.session.scalars(external.queue_select(snv))]
    assert names == ["DN000001"]
    assert len(db.session.scalars(external.queue_select(None)).all()) == 2


def test_external_training_approved_in_2026_leaves_2025_as_it_was(official, tmp_path, db):
    """Past cycles stay past: the external training path (issue 20, survivor 5). Its credits
    are dated 06/03/2026 and count in 2026 only; they name no course, so no obligation moves."""
    from tests.factories import make_in_person_course

    ids = open_obligations(official.id, make_in_person_course("VHCV01").id)
    external.approve(submit(official, tmp_path), Decimal("2.5"), actor=None)
    db.session.commit()
    assert_2025_stays_past(ids, official.id, met_in_2026=False)
    assert ledger.balance(official.id, cycle_of(2026).id) == Decimal("2.5")
