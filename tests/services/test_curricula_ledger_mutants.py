"""Ledger rules the mutation run (docs/testing.md) found unpinned: what a reversal records
(its actor or system source, the reason, the audit row and an administrator's audited
override on their own record), the messages an officer reads when a reversal is refused, the
cycles in which credits for a course are held (`credited_cycles`: this official only, net
positive, in date order) and the format of the legacy (version 1) entry hash."""

import hashlib
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import ONLINE
from lms.errors import RuleViolation
from tests.factories import make_credit, make_in_person_course, make_official

pytestmark = pytest.mark.usefixtures("english")

OWN = "This is your own record: credits for you are recorded by another officer."


@pytest.fixture
def hoa(world, db):
    person = make_official("DN000001", "Nguyễn Thị Hoa")
    db.session.commit()
    return person


def audit_rows(action):
    return list(
        ledger.db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def test_a_reversal_names_its_actor_its_reason_and_is_audited(hoa, world, db):
    hr = world["hr"]
    entry = make_credit(hoa, "2")
    db.session.commit()
    reversal = ledger.reverse(entry, "  Nhập nhầm  ", hr)
    assert (reversal.actor_id, reversal.system_source) == (hr.id, None)
    assert (reversal.credits, reversal.reason, reversal.reverses_id) == (-2, "Nhập nhầm", entry.id)
    (row,) = audit_rows("ledger.reverse")
    assert (row.actor_id, row.object_type, row.object_id) == (hr.id, "ledger_entry", str(entry.id))
    assert row.after["seq"] == reversal.seq and row.after["reason"] == "Nhập nhầm"
    assert audit_rows("ledger.own_override") == []


def test_a_reversal_by_the_system_names_the_system(hoa, db):
    online = make_credit(hoa, "1", source=ONLINE)
    manual = make_credit(hoa, "1")
    db.session.commit()
    assert ledger.reverse(online, "Chấm lại", None).system_source == "grading"
    assert ledger.reverse(manual, "Đồng bộ", None, system="sync-hr").system_source == "sync-hr"


def test_the_refusals_say_why(hoa, world, db):
    hr = world["hr"]
    entry = make_credit(hoa, "1")
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        ledger.reverse(entry, "   ", hr)
    assert (refused.value.message, refused.value.code) == (
        "A reversal needs a reason.",
        "reason_required",
    )
    reversal = ledger.reverse(entry, "Nhập nhầm", hr)
    with pytest.raises(RuleViolation) as refused:
        ledger.reverse(reversal, "Lại", hr)
    assert refused.value.message == "A reversal cannot be reversed; add a new entry."
    with pytest.raises(RuleViolation) as refused:
        ledger.reverse(entry, "Lần nữa", hr)
    assert refused.value.message == "This entry was already reversed."


def test_nobody_reverses_credits_on_their_own_record_but_the_grading(world, db):
    hr = world["hr"]
    own = SimpleNamespace(id=hr.id, official_id=hr.official_id)
    mine = SimpleNamespace(id=hr.official_id)
    manual = make_credit(mine, "1")
    online = make_credit(mine, "1", source=ONLINE)
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        ledger.reverse(manual, "Tự sửa", hr)
    assert (refused.value.message, refused.value.code) == (OWN, "own_record")
    assert ledger.own_record_message() == OWN
    assert ledger.reverse(online, "Chấm lại", own).credits == -1  # a regrade withdraws them


def test_an_administrators_override_on_their_own_record_is_audited(hoa, world, db):
    admin = world["admin"]
    admin.official_id = hoa.id
    entry = make_credit(hoa, "1")
    db.session.commit()
    with pytest.raises(RuleViolation):
        ledger.reverse(entry, "Sửa", admin)
    reversal = ledger.reverse(entry, "Sửa", admin, override="Quyết định 12/QĐ")
    (row,) = audit_rows("ledger.own_override")
    assert (row.actor_id, row.object_type, row.object_id) == (admin.id, "official", "DN000001")
    assert row.after == {"reason": "Quyết định 12/QĐ", "entry_id": reversal.id, "seq": reversal.seq}


def test_credited_cycles_are_this_officials_net_credits_in_date_order(hoa, db):
    course = make_in_person_course(credits="1")
    other = make_official("DN000002", "Trần Văn Bình")
    make_credit(other, "1", day=date(2025, 4, 1), course_id=course.id)
    assert ledger.credited_cycles(hoa.id, course.id) == []  # another official's credits
    make_credit(hoa, "1", day=date(2027, 4, 1), course_id=course.id)  # its cycle made first
    make_credit(hoa, "0.5", day=date(2026, 4, 1), course_id=course.id)
    db.session.commit()
    assert ledger.credited_cycles(hoa.id, course.id) == [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 12, 31)),
    ]


def test_the_legacy_hash_is_sha256_of_the_fields_joined_by_the_unit_separator():
    entry = SimpleNamespace(
        prev_hash="0" * 64,
        official_id=7,
        seq=1,
        earned_on=date(2026, 3, 10),
        course_id=None,
        title="Hội thảo",
        credits=Decimal(1),
        periods=0,
        source="manual",
        source_ref="",
        completion_id=None,
        reverses_id=None,
        reason="Bổ sung",
        actor_id=None,
        created_at=datetime(2026, 3, 10, 3, 0),
    )
    text = "\x1f".join(
        ["0" * 64, "7", "1", "2026", "2026-03-10", "", "Hội thảo", "1.00", "0", "manual"]
        + ["", "", "", "Bổ sung", "", "2026-03-10T03:00:00.000000"]
    )
    assert ledger.legacy_entry_hash(entry, 2026) == hashlib.sha256(text.encode()).hexdigest()
