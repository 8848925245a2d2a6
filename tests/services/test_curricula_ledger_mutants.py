"""Ledger rules the mutation run (docs/testing.md) found unpinned: what a reversal records
(its actor or system source, the reason, the audit row and an administrator's audited
override on their own record), the messages an officer reads when a reversal is refused, the
cycles in which credits for a course are held (`credited_cycles`: this official only, net
positive, in date order) and the format of the legacy (version 1) entry hash."""

import hashlib
import hmac
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import ONLINE
from lms.errors import RuleViolation
from tests.factories import make_credit, make_cycle, make_in_person_course, make_official

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


# An entry's hashed content and, in 2026, the text of its fields as the hashes join them.
ENTRY = dict(
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
CONTENT = ["0" * 64, "7", "1", "2026", "2026-03-10", "", "Hội thảo", "1.00", "0", "manual"]
CONTENT += ["", "", "", "Bổ sung", "", "2026-03-10T03:00:00.000000"]


def test_the_legacy_hash_is_sha256_of_the_fields_joined_by_the_unit_separator():
    entry = SimpleNamespace(**ENTRY)
    text = "\x1f".join(CONTENT)
    assert ledger.legacy_entry_hash(entry, 2026) == hashlib.sha256(text.encode()).hexdigest()


def test_the_keyed_hash_adds_the_system_source_the_seals_written_and_the_version():
    key = b"k" * 32

    def expected(*extra):
        message = "\x1f".join(CONTENT + list(extra)).encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    synced = SimpleNamespace(**ENTRY, system_source="sync-hr", seal_seq=3)
    assert ledger.entry_hash(synced, 2026, key) == expected("sync-hr", "3", "2")
    first = SimpleNamespace(**ENTRY, system_source=None, seal_seq=None)
    assert ledger.entry_hash(first, 2026, key) == expected("", "0", "2")
    assert ledger.HASH_KEYED == 2


def test_an_appended_entry_is_keyed_and_names_the_seals_written_before_it(hoa, db):
    first = make_credit(hoa, "1")
    seals.seal()
    second = make_credit(hoa, "1", day=date(2026, 3, 11))
    db.session.commit()
    db.session.expire_all()
    assert [(e.hash_version, e.seal_seq) for e in (first, second)] == [(2, 0), (2, 1)]


def test_credits_written_on_ones_own_record_are_refused_but_the_grading_and_an_override(
    hoa, world, db
):
    hr = world["hr"]
    mine = ledger.NewEntry(hr.official_id, date(2026, 3, 10), Decimal(1), "manual", "Tự ghi")
    with pytest.raises(RuleViolation) as refused:
        ledger.append(mine, hr)
    assert refused.value.code == "own_record"
    graded = ledger.NewEntry(hr.official_id, date(2026, 3, 10), Decimal(1), ONLINE, "Bài thi")
    assert ledger.append(graded, hr).credits == 1
    theirs = ledger.NewEntry(hoa.id, date(2026, 3, 10), Decimal(1), "manual", "Ghi hộ")
    assert ledger.append(theirs, hr).official_id == hoa.id
    admin = world["admin"]
    admin.official_id = hoa.id
    with pytest.raises(RuleViolation):
        ledger.append(theirs, admin)
    entry = ledger.append(theirs, admin, override="Quyết định 12/QĐ")
    (row,) = audit_rows("ledger.own_override")
    assert row.after == {"reason": "Quyết định 12/QĐ", "entry_id": entry.id, "seq": entry.seq}


def test_the_official_of_an_actor_is_its_own_link_else_that_of_the_user_with_its_id(hoa, world):
    hr = world["hr"]
    assert hr.official_id is not None and hr.official_id != hoa.id
    # an actor that carries its link is taken at its word, whatever its id
    assert ledger.actor_official_id(SimpleNamespace(id=hr.id, official_id=hoa.id)) == hoa.id
    # a job's stand-in carries only the user's id
    for user in world.values():
        assert ledger.actor_official_id(SimpleNamespace(id=user.id)) == user.official_id
    assert ledger.actor_official_id(SimpleNamespace(name="cron")) is None
    assert ledger.actor_official_id(None) is None
    assert ledger.is_own_record(SimpleNamespace(id=hr.id), hr.official_id)


def test_a_day_belongs_to_the_cycle_that_holds_it_up_to_its_last_day(db):
    cycle = make_cycle(2026)
    db.session.commit()
    assert ledger.cycle_for(date(2026, 1, 1)).id == cycle.id
    assert ledger.cycle_for(date(2026, 12, 31)).id == cycle.id
    following = ledger.cycle_for(date(2027, 1, 1))
    assert (following.year, following.starts_on, following.ends_on) == (
        2027,
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 2


def test_append_refuses_an_unknown_source_and_negative_credits_but_takes_zero(hoa, db):
    unknown = ledger.NewEntry(hoa.id, date(2026, 3, 10), Decimal(1), "gift", "Quà")
    with pytest.raises(RuleViolation) as refused:
        ledger.append(unknown)
    assert (refused.value.message, refused.value.code) == ("Unknown credit source.", "bad_source")
    negative = ledger.NewEntry(hoa.id, date(2026, 3, 10), Decimal(-1), "manual", "Trừ")
    with pytest.raises(RuleViolation) as refused:
        ledger.append(negative)
    assert (refused.value.message, refused.value.code) == (
        "Credits cannot be negative; reverse an entry instead.",
        "negative",
    )
    zero = ledger.NewEntry(hoa.id, date(2026, 3, 10), Decimal(0), "manual", "Dự thính")
    assert ledger.append(zero).credits == 0


def test_append_keeps_what_its_columns_hold_names_the_system_and_audits_the_actor(hoa, world, db):
    hr = world["hr"]
    long = ledger.NewEntry(
        hoa.id, date(2026, 3, 10), Decimal(1), "manual", "T" * 300, source_ref="R" * 80
    )
    entry = ledger.append(long, hr)
    assert (len(entry.title), len(entry.source_ref)) == (255, 64)
    (row,) = audit_rows("ledger.append")
    assert (row.actor_id, row.object_id) == (hr.id, str(entry.id))
    synced = ledger.NewEntry(hoa.id, date(2026, 3, 11), Decimal(1), "manual", "Đồng bộ")
    assert ledger.append(synced, system="sync-hr").system_source == "sync-hr"
