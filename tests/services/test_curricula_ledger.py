"""The credit ledger: append-only, reversals with a reason, balances in SQL, credits once per
course per cycle, idempotent completions, the hash chain and `flask ledger verify`, and two
writers racing for the same official on PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from lms.audit.models import AuditEntry
from lms.curricula.completions import services as completions
from lms.curricula.completions.models import CERT_NONE, CERT_REQUESTED, Completion
from lms.curricula.completions.services import CompletionData, record_completion, revoke_completion
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.cli import ledger_cli
from lms.curricula.ledger.models import HISTORICAL, IN_PERSON, MANUAL, LedgerEntry
from lms.curricula.obligations.models import DONE, OPEN, Obligation
from lms.errors import RuleViolation
from lms.extensions import db as _db
from tests.conftest import count_queries
from tests.factories import (
    make_credit,
    make_in_person_course,
    make_official,
    make_units,
)

# These tests read English wording (the command line's); the Vietnamese catalog is checked on
# its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def official(db):
    make_units()
    person = make_official("DN000001", "Nguyễn Thị Hoa")
    db.session.commit()
    return person


def test_the_module_offers_no_way_to_change_or_delete_an_entry():
    public = [
        name for module in (ledger, seals) for name in dir(module) if not name.startswith("_")
    ]
    verbs = ("update", "delete", "remove", "edit", "set_", "change", "modify", "purge", "clear")
    assert not [name for name in public if name.lower().startswith(verbs)]
    assert {"append", "reverse", "balance", "verify"} <= set(public)


def test_changing_or_deleting_an_entry_through_the_session_is_refused(official, db):
    entry = make_credit(official)
    db.session.commit()
    entry.credits = Decimal(5)
    with pytest.raises(RuleViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(LedgerEntry, entry.id))
    with pytest.raises(RuleViolation):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(LedgerEntry, entry.id).credits == Decimal(1)


def test_negative_credits_and_unknown_sources_are_refused(official):
    with pytest.raises(RuleViolation):
        make_credit(official, "-1")
    with pytest.raises(RuleViolation):
        make_credit(official, source="gift")


def test_a_reversal_cancels_the_entry_keeps_both_rows_and_is_audited(official, db):
    cycle = ledger.cycle_for(date(2026, 3, 10))
    entry = make_credit(official, "1.5", periods=20)
    reversal = ledger.reverse(entry, "Nhập nhầm người", actor=None)
    db.session.commit()
    assert (reversal.credits, reversal.periods) == (Decimal("-1.5"), -20)
    assert reversal.reverses_id == entry.id and reversal.reason == "Nhập nhầm người"
    assert [e.seq for e in ledger.entries(official.id)] == [1, 2]
    assert ledger.balance(official.id, cycle.id) == Decimal(0)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["ledger.append", "ledger.reverse"]


def test_a_reversal_needs_a_reason_and_happens_once(official, db):
    entry = make_credit(official)
    for blank in ("", "   ", None):
        with pytest.raises(RuleViolation) as error:
            ledger.reverse(entry, blank, actor=None)
        assert error.value.code == "reason_required"
    reversal = ledger.reverse(entry, "Sai số tín chỉ", actor=None)
    with pytest.raises(RuleViolation) as error:
        ledger.reverse(entry, "Lần nữa", actor=None)
    assert error.value.code == "already_reversed"
    with pytest.raises(RuleViolation) as error:
        ledger.reverse(reversal, "Đảo ngược bút toán đảo", actor=None)
    assert error.value.code == "is_reversal"
    assert len(ledger.entries(official.id)) == 2


def test_balances_are_summed_per_cycle_in_one_query(official, db):
    make_credit(official, "1", day=date(2025, 12, 31))
    make_credit(official, "0.5", day=date(2026, 1, 1))
    wrong = make_credit(official, "2", day=date(2026, 6, 1))
    ledger.reverse(wrong, "Trùng hồ sơ", actor=None)
    cycles = {year: ledger.cycle_for(date(year, 6, 1)).id for year in (2025, 2026)}
    official_id = official.id
    db.session.commit()
    with count_queries() as queries:
        balance = ledger.balance(official_id, cycles[2026])
    assert (balance, queries[0]) == (Decimal("0.5"), 1)
    assert ledger.balance(official_id, cycles[2025]) == Decimal(1)


def test_a_course_credits_once_and_a_repeatable_one_once_per_cycle(official, db):
    once = make_in_person_course("VHCV")
    yearly = make_in_person_course("ATLD", repeatable=True)
    recorded = {}
    for course in (once, yearly):
        for number, day in enumerate((date(2026, 3, 1), date(2026, 9, 1), date(2027, 2, 1))):
            recorded[course.code, day.year, number] = record_completion(
                CompletionData(official.id, course.id, day, IN_PERSON, f"{course.code}:{number}")
            ).credited
    db.session.commit()
    assert recorded == {
        ("VHCV", 2026, 0): 2,
        ("VHCV", 2026, 1): 0,
        ("VHCV", 2027, 2): 0,  # a course earns its credits once
        ("ATLD", 2026, 0): 2,
        ("ATLD", 2026, 1): 0,  # not twice in one cycle
        ("ATLD", 2027, 2): 2,  # a repeatable course again the next cycle
    }
    assert ledger.balance(official.id, ledger.cycle_for(date(2026, 1, 1)).id) == Decimal(4)
    assert ledger.balance(official.id, ledger.cycle_for(date(2027, 1, 1)).id) == Decimal(2)
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 6  # all kept


def test_recording_the_same_completion_twice_writes_nothing_the_second_time(official, db):
    course = make_in_person_course()
    data = CompletionData(official.id, course.id, date(2026, 3, 1), IN_PERSON, "member:7")
    first = record_completion(data)
    again = record_completion(data)
    db.session.commit()
    assert again.completion.id == first.completion.id
    assert (again.created, again.credited) == (False, 0)
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 1
    assert len(ledger.entries(official.id)) == 1


def test_a_completion_requests_its_certificate_unless_it_brings_the_paper_number(official, db):
    course = make_in_person_course()
    fresh = record_completion(
        CompletionData(official.id, course.id, date(2026, 3, 1), IN_PERSON, "member:1")
    )
    paper = record_completion(
        CompletionData(
            official.id,
            course.id,
            date(2019, 5, 20),
            HISTORICAL,
            "import:x",
            original_certificate_number="GCN-2019/0153",
        )
    )
    assert fresh.completion.certificate_state == CERT_REQUESTED
    assert fresh.completion.expires_on == date(2029, 3, 1)
    assert paper.completion.certificate_state == CERT_NONE
    assert completions.pending_certificates() == [fresh.completion]


def test_revoking_a_completion_reverses_its_credit_and_reopens_its_obligation(official, db):
    course = make_in_person_course()
    cycle = ledger.cycle_for(date(2026, 1, 1))
    obligation = Obligation(
        official_id=official.id, cycle_id=cycle.id, course_id=course.id, due_on=date(2026, 6, 30)
    )
    db.session.add(obligation)
    recorded = record_completion(
        CompletionData(official.id, course.id, date(2026, 3, 1), IN_PERSON, "member:1")
    )
    assert obligation.status == DONE
    with pytest.raises(RuleViolation):
        revoke_completion(recorded.completion, " ", actor=None)
    reversals = revoke_completion(recorded.completion, "Kết quả nhập nhầm", actor=None)
    db.session.commit()
    assert [r.credits for r in reversals] == [Decimal(-2)]
    assert ledger.balance(official.id, cycle.id) == Decimal(0)
    assert (obligation.status, obligation.completion_id) == (OPEN, None)
    assert recorded.completion.revoked_reason == "Kết quả nhập nhầm"
    assert completions.pending_certificates() == []
    with pytest.raises(RuleViolation):
        revoke_completion(recorded.completion, "Lần hai", actor=None)
    # A later completion of the course in the same cycle credits it again.
    later = record_completion(
        CompletionData(official.id, course.id, date(2026, 5, 1), IN_PERSON, "member:2")
    )
    assert later.credited == Decimal(2)


# --- the hash chain ------------------------------------------------------------------------


def _three_entries(official, db):
    for credits in ("1", "0.5", "2"):
        make_credit(official, credits)
    other = make_official("DN000002", "Trần Văn Bình")
    make_credit(other, "1")
    db.session.commit()
    return ledger.entries(official.id)


def _verify(runner, db):
    db.session.commit()
    db.session.expire_all()
    return runner.invoke(args=["ledger", "verify"])  # as `flask --app lms ledger verify`


def test_the_commands_are_registered(app):
    assert app.cli.commands["ledger"] is ledger_cli
    assert "import" in app.cli.commands["completions"].commands


def test_an_intact_ledger_verifies(official, db, runner):
    _three_entries(official, db)
    result = _verify(runner, db)
    assert result.exit_code == 0, result.output
    assert "Ledger OK: 4 entries" in result.output


def test_a_row_changed_in_sql_is_named_by_verify(official, db, runner):
    entries = _three_entries(official, db)
    db.session.execute(
        text("UPDATE ledger_entries SET credits = 3 WHERE id = :id"), {"id": entries[1].id}
    )
    result = _verify(runner, db)
    assert result.exit_code != 0
    assert "BROKEN DN000001 seq 2" in result.output
    assert "content changed" in result.output
    assert "DN000002" not in result.output
    assert list(seals.verify()) == [seals.Break(official.id, entries[1].id, 2, "hash")]


def test_a_deleted_row_shows_as_a_gap(official, db, runner):
    entries = _three_entries(official, db)
    db.session.execute(text("DELETE FROM ledger_entries WHERE id = :id"), {"id": entries[1].id})
    result = _verify(runner, db)
    assert result.exit_code != 0
    assert "BROKEN DN000001 seq 3" in result.output and "sequence gap" in result.output


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(official, db, runner):
    """Someone who knows the hash recipe changes a row and recomputes its hash: the next
    entry's link no longer matches."""
    entries = _three_entries(official, db)
    forged = entries[0]
    db.session.expunge(forged)
    forged.credits = Decimal(3)
    new_hash = ledger.entry_hash(forged, 2026)
    db.session.execute(
        text("UPDATE ledger_entries SET credits = 3, entry_hash = :h WHERE id = :id"),
        {"h": new_hash, "id": forged.id},
    )
    result = _verify(runner, db)
    assert result.exit_code != 0
    assert "BROKEN DN000001 seq 2" in result.output and "link broken" in result.output
    assert "seq 1 " not in result.output


def test_two_entries_swapped_in_order_are_found(official, db, runner):
    entries = _three_entries(official, db)
    for entry_id, seq in ((entries[1].id, 99), (entries[2].id, 2), (entries[1].id, 3)):
        db.session.execute(
            text("UPDATE ledger_entries SET seq = :s WHERE id = :id"), {"s": seq, "id": entry_id}
        )
    result = _verify(runner, db)
    assert result.exit_code != 0
    assert "BROKEN DN000001 seq 2" in result.output and "BROKEN DN000001 seq 3" in result.output


# --- concurrency (PostgreSQL) --------------------------------------------------------------


def _postgresql(app) -> bool:
    with app.app_context():
        return _db.engine.dialect.name == "postgresql"


def _in_threads(app, work, count: int = 2) -> list:
    """Run `work(i)` in `count` threads, each with its own app context and session, started
    together; returns what each raised (None when it succeeded)."""
    barrier = threading.Barrier(count)
    errors: list = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                work(i)
                _db.session.commit()
            except Exception as error:  # reported to the test
                _db.session.rollback()
                errors[i] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_two_writers_appending_for_the_same_official_both_end_in_the_chain(app, official, db):
    if not _postgresql(app):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    ledger.cycle_for(date(2026, 3, 10))
    db.session.commit()
    official_id = official.id

    def work(i: int) -> None:
        ledger.append(
            ledger.NewEntry(official_id, date(2026, 3, 10), Decimal(1), MANUAL, f"Hội thảo {i}")
        )

    for _round in range(5):
        assert _in_threads(app, work, count=3) == [None, None, None]
    db.session.expire_all()
    entries = ledger.entries(official_id)
    assert [e.seq for e in entries] == list(range(1, 16))
    assert list(seals.verify()) == []


# --- seals ------------------------------------------------------------------------------------


def _seal(db):
    row = seals.seal()
    db.session.commit()
    return row


def test_removing_an_officials_last_entry_passes_the_chains_but_not_the_seal(official, db, runner):
    """The chains cannot see their own end cut off; the nightly seal can."""
    entries = _three_entries(official, db)
    _seal(db)
    assert "holds" in _verify(runner, db).output
    db.session.execute(text("DELETE FROM ledger_entries WHERE id = :id"), {"id": entries[-1].id})
    assert list(seals.verify()) == []  # every remaining chain is intact
    result = _verify(runner, db)
    assert result.exit_code != 0
    assert "BROKEN seal: sealed entries were removed" in result.output
    assert seals.check_seal().problems == ("missing", "heads")


def test_a_seal_rewritten_in_sql_to_match_fails_its_signature(official, db, runner):
    entries = _three_entries(official, db)
    seal = _seal(db)
    db.session.execute(text("DELETE FROM ledger_entries WHERE id = :id"), {"id": entries[-1].id})
    entries_now, officials_now, digest_now = seals._extent(seal.last_entry_id)
    db.session.execute(
        text("UPDATE ledger_seals SET entries = :n, officials = :o, digest = :d WHERE id = :id"),
        {"n": entries_now, "o": officials_now, "d": digest_now, "id": seal.id},
    )
    result = _verify(runner, db)
    assert result.exit_code != 0
    assert seals.check_seal().problems == ("signature",)
    assert "altered, or the key changed" in result.output


def test_entries_added_after_the_seal_leave_it_holding(official, db, runner):
    _three_entries(official, db)
    first = _seal(db)
    make_credit(official, "2", day=date(2026, 5, 1))
    db.session.commit()
    assert seals.check_seal().problems == ()
    second = _seal(db)
    assert (first.entries, second.entries) == (4, 5)
    assert (first.officials, second.officials) == (2, 2)
    result = _verify(runner, db)
    assert result.exit_code == 0 and "Ledger OK: 5 entries" in result.output


def test_the_seal_command_and_an_empty_ledger(official, db, runner):
    assert "nothing to seal" in runner.invoke(args=["ledger", "seal"]).output
    assert "No seal yet" in _verify(runner, db).output
    _three_entries(official, db)
    result = runner.invoke(args=["ledger", "seal"])
    assert result.exit_code == 0 and "Sealed 4 entries of 2 officials" in result.output
