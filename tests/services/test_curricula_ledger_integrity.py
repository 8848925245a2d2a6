"""A ledger that an insider with database access cannot forge (issue 18): entry hashes are an
HMAC under the ledger key, which the database does not hold; every entry names its actor or a
system source and has its audit entry; seals are numbered and chained, and entries carry the
number of seals before them, so an emptied seal table shows; entries hashed before the key are
reported until `flask ledger rekey` re-hashes them; the key rotates through `ledger rekey`."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, insert, select, text, update

from lms.audit.models import AuditEntry
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import LedgerEntry, LedgerSeal
from lms.extensions import db
from tests.conftest import count_queries
from tests.factories import make_credit, make_official, make_units

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def people(db, freeze):
    freeze(datetime(2026, 6, 15, 3, 0))
    make_units()
    hoa = make_official("DN000001", "Nguyễn Thị Hoa")
    binh = make_official("DN000002", "Trần Văn Bình")
    for credits in ("1", "0.5", "2"):
        make_credit(hoa, credits)
    make_credit(binh, "1")
    db.session.commit()
    return hoa, binh


def verify(runner):
    db.session.commit()
    db.session.expire_all()
    return runner.invoke(args=["ledger", "verify"])


def problems() -> set[str]:
    db.session.expire_all()
    return {b.problem for b in seals.verify()}


def _insert(values: dict) -> None:
    """An INSERT straight into the table (no application code, no audit entry)."""
    db.session.execute(insert(LedgerEntry.__table__), [values])


def _forged_row(official, last: LedgerEntry, **changes) -> dict:
    """The next entry of `official`, as someone writing SQL would add it: content, a correct
    link to the last entry, the hash left to the caller."""
    values = {
        "official_id": official.id,
        "seq": last.seq + 1,
        "cycle_id": last.cycle_id,
        "earned_on": date(2026, 6, 1),
        "course_id": None,
        "title": "Bồi dưỡng bổ sung",
        "credits": Decimal("99.99"),
        "periods": 0,
        "source": "manual",
        "source_ref": "",
        "completion_id": None,
        "reverses_id": None,
        "reason": "",
        "actor_id": None,
        "created_at": datetime(2026, 6, 15, 3, 0),
        "prev_hash": last.entry_hash,
        "entry_hash": "",
        "hash_version": 2,
        "system_source": "manual",
        "seal_seq": 0,
    }
    values.update(changes)
    return values


# --- forgeries of the review ---------------------------------------------------------------------


def test_a_row_appended_in_sql_with_the_unkeyed_recipe_and_a_correct_chain_is_reported(
    people, runner
):
    hoa, _binh = people
    last = ledger.entries(hoa.id)[-1]
    row = _forged_row(hoa, last)
    row["entry_hash"] = ledger.legacy_entry_hash(SimpleNamespace(**row), 2026)  # public SHA-256
    _insert(row)
    result = verify(runner)
    assert result.exit_code != 0
    assert "BROKEN DN000001 seq 4" in result.output
    assert "hashed without the ledger key" in result.output
    assert "no audit entry" in result.output
    assert ledger.balance(hoa.id, last.cycle_id) == Decimal("103.49")  # what the forger gained


def test_a_row_marked_as_written_before_the_key_after_the_upgrade_is_reported(people, runner):
    """Calling a forged row "version 1" (the old, unkeyed scheme) does not make it pass."""
    hoa, _binh = people
    last = ledger.entries(hoa.id)[-1]
    row = _forged_row(hoa, last, hash_version=1)
    row["entry_hash"] = ledger.legacy_entry_hash(SimpleNamespace(**row), 2026)
    _insert(row)
    result = verify(runner)
    assert result.exit_code != 0
    assert "1 entries are hashed without the ledger key" in result.output


def test_a_row_hashed_with_a_guessed_key_is_reported(people, runner):
    hoa, _binh = people
    last = ledger.entries(hoa.id)[-1]
    row = _forged_row(hoa, last)
    row["entry_hash"] = ledger.entry_hash(SimpleNamespace(**row), 2026, key=b"guessed")
    _insert(row)
    assert "hash" in problems()
    assert verify(runner).exit_code != 0


def test_a_rehashed_chain_with_the_seals_deleted_is_reported(people, runner):
    """The review's second forgery: change an entry, re-hash the chain after it with the public
    recipe, empty ledger_seals. The recipe is no longer public, and the entries written after
    a seal name it."""
    hoa, _binh = people
    seals.seal()
    db.session.commit()
    make_credit(hoa, "1", day=date(2026, 5, 2))  # written after seal no. 1: carries seal_seq 1
    db.session.commit()
    entries = ledger.entries(hoa.id)
    previous = ledger.GENESIS
    for entry in entries:
        db.session.expunge(entry)
        values = {c.name: getattr(entry, c.name) for c in LedgerEntry.__table__.columns}
        if entry.seq == 2:
            values["credits"] = Decimal(50)
        values["prev_hash"] = previous
        previous = ledger.legacy_entry_hash(SimpleNamespace(**values), 2026)
        table = LedgerEntry.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == entry.id)
            .values(credits=values["credits"], prev_hash=values["prev_hash"], entry_hash=previous)
        )
    db.session.execute(text("DELETE FROM ledger_seals"))
    result = verify(runner)
    assert result.exit_code != 0
    assert "seals that entries name are gone" in result.output
    assert "BROKEN DN000001 seq 2" in result.output
    found = problems()
    assert "hash" in found


def test_emptying_the_seal_table_is_reported_even_with_every_chain_intact(people, runner):
    hoa, _binh = people
    seals.seal()
    db.session.commit()
    make_credit(hoa, "1", day=date(2026, 5, 2))
    db.session.commit()
    assert verify(runner).exit_code == 0
    db.session.execute(text("DELETE FROM ledger_seals"))
    assert problems() == set()  # the chains themselves hold
    result = verify(runner)
    assert result.exit_code != 0
    assert seals.check_seal().problems == ("emptied",)
    assert "No seal yet" in result.output


def test_a_seal_removed_from_the_middle_or_the_end_is_reported(people, runner):
    hoa, _binh = people
    for day in (date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 3)):
        seals.seal()
        db.session.commit()
        make_credit(hoa, "1", day=day)
        db.session.commit()
    assert seals.check_seal().problems == ()
    db.session.execute(text("DELETE FROM ledger_seals WHERE seq = 2"))
    assert "seal_gap" in seals.check_seal().problems
    db.session.rollback()
    db.session.execute(text("DELETE FROM ledger_seals WHERE seq = 3"))
    assert "emptied" in seals.check_seal().problems  # the last entry names seal no. 3
    assert verify(runner).exit_code != 0


def test_a_seal_rewritten_to_follow_another_breaks_the_chain_of_seals(people):
    seals.seal()
    db.session.commit()
    seals.seal()
    db.session.commit()
    db.session.execute(text("UPDATE ledger_seals SET prev_mac = :m WHERE seq = 2"), {"m": "0" * 64})
    assert {"seal_chain", "signature"} <= set(seals.check_seal().problems)


def test_a_deleted_audit_entry_of_a_ledger_entry_is_reported(people, runner):
    hoa, _binh = people
    entry = ledger.entries(hoa.id)[1]
    db.session.execute(
        text(
            "DELETE FROM audit_entries WHERE object_type = 'ledger_entry' AND object_id = :id "
            "AND action = 'ledger.append'"
        ),
        {"id": str(entry.id)},
    )
    result = verify(runner)
    assert result.exit_code != 0
    assert "BROKEN DN000001 seq 2" in result.output and "no audit entry" in result.output


def test_an_audit_entry_naming_another_actor_does_not_match(people, world):
    hoa, _binh = people
    entry = ledger.entries(hoa.id)[0]
    db.session.execute(
        text("UPDATE audit_entries SET actor_id = :a WHERE object_id = :id"),
        {"a": world["admin"].id, "id": str(entry.id)},
    )
    assert [(b.seq, b.problem) for b in seals.verify()] == [(1, "audit")]


def test_every_entry_names_a_person_or_a_system_source(people, world):
    hoa, _binh = people
    by_hand = ledger.append(
        ledger.NewEntry(hoa.id, date(2026, 6, 1), Decimal(1), "manual", "Hội thảo"),
        world["hr"],
    )
    assert (by_hand.actor_id, by_hand.system_source) == (world["hr"].id, None)
    graded = ledger.append(ledger.NewEntry(hoa.id, date(2026, 6, 1), Decimal(2), "online", "K"))
    assert (graded.actor_id, graded.system_source) == (None, "grading")
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.object_id == str(graded.id)))
    assert audit.after["system"] == "grading"
    # A row naming nobody, even hashed with the key (a bug, or the key stolen), is reported.
    last = ledger.entries(hoa.id)[-1]
    row = _forged_row(hoa, last, system_source=None)
    row["entry_hash"] = ledger.entry_hash(SimpleNamespace(**row), 2026)
    _insert(row)
    assert {"actor", "audit"} <= problems()


# --- appending stays O(1) ----------------------------------------------------------------------


def test_appending_reads_neither_the_chain_nor_the_seals_again(people):
    hoa, binh = people
    for _ in range(30):
        make_credit(hoa, "0.5")
    seals.seal()
    db.session.commit()
    with count_queries() as long_chain:
        make_credit(hoa, "1")
    with count_queries() as short_chain:
        make_credit(binh, "1")
    assert long_chain[0] == short_chain[0]


# --- the upgrade: entries hashed before the key --------------------------------------------------


def _as_before_the_upgrade() -> None:
    """Turn the ledger into what an upgraded database holds: version 1 entries (plain SHA-256
    chains), no system source, seals of version 1 signed with SECRET_KEY."""
    years = dict(db.session.execute(text("SELECT id, year FROM cycles")).all())
    rows = db.session.scalars(
        select(LedgerEntry).order_by(LedgerEntry.official_id, LedgerEntry.seq)
    ).all()
    previous, official = ledger.GENESIS, None
    for entry in rows:
        db.session.expunge(entry)
        if entry.official_id != official:
            previous, official = ledger.GENESIS, entry.official_id
        entry.prev_hash = previous
        previous = ledger.legacy_entry_hash(entry, years[entry.cycle_id])
        db.session.execute(
            text(
                "UPDATE ledger_entries SET hash_version = 1, system_source = NULL, seal_seq = 0, "
                "prev_hash = :p, entry_hash = :h WHERE id = :id"
            ),
            {"p": entry.prev_hash, "h": previous, "id": entry.id},
        )
    db.session.commit()


def test_entries_from_before_the_key_are_reported_once_then_rekeyed_and_sealed(people, runner):
    hoa, _binh = people
    _as_before_the_upgrade()
    before = verify(runner)
    assert before.exit_code != 0
    assert "4 entries are hashed without the ledger key" in before.output
    assert "ledger rekey" in before.output
    assert "BROKEN DN000001" not in before.output  # reported as a count, not as breaks
    result = runner.invoke(args=["ledger", "rekey"])
    assert result.exit_code == 0, result.output
    assert "Re-hashed 4 entries (4 from before the key)" in result.output
    after = verify(runner)
    assert after.exit_code == 0, after.output
    assert "Ledger OK: 4 entries" in after.output and "holds" in after.output
    db.session.expire_all()
    assert {e.system_source for e in ledger.entries(hoa.id)} == {"legacy"}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "ledger.rekeyed"))
    # Once re-keyed, an entry added with the old recipe stands out.
    last = ledger.entries(hoa.id)[-1]
    row = _forged_row(hoa, last, hash_version=1)
    row["entry_hash"] = ledger.legacy_entry_hash(SimpleNamespace(**row), 2026)
    _insert(row)
    assert verify(runner).exit_code != 0


def test_rekey_refuses_a_ledger_altered_before_the_upgrade(people, runner):
    hoa, _binh = people
    _as_before_the_upgrade()
    entry = ledger.entries(hoa.id)[1]
    db.session.execute(
        text("UPDATE ledger_entries SET credits = 7 WHERE id = :id"), {"id": entry.id}
    )
    db.session.commit()
    result = runner.invoke(args=["ledger", "rekey"])
    assert result.exit_code != 0 and "does not verify" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.max(LedgerEntry.hash_version))) == 1  # nothing changed


def test_the_key_rotates_through_rekey(people, runner, app, monkeypatch):
    """From the key derived from SECRET_KEY to a key of its own, then to a new one."""
    seals.seal()
    db.session.commit()
    monkeypatch.setitem(app.config, "LMS_LEDGER_KEY", "first-ledger-key-" + "k" * 32)
    assert "hash" in problems()  # a key changed without rekey: nothing verifies
    assert "signature" in seals.check_seal().problems
    result = runner.invoke(args=["ledger", "rekey"])
    assert result.exit_code == 0, result.output
    assert verify(runner).exit_code == 0
    monkeypatch.setitem(app.config, "LMS_LEDGER_PREVIOUS_KEY", "first-ledger-key-" + "k" * 32)
    monkeypatch.setitem(app.config, "LMS_LEDGER_KEY", "second-ledger-key-" + "q" * 32)
    assert "hash" in problems()
    result = runner.invoke(args=["ledger", "rekey"])
    assert result.exit_code == 0, result.output
    assert "Remove LMS_LEDGER_PREVIOUS_KEY" in result.output
    monkeypatch.setitem(app.config, "LMS_LEDGER_PREVIOUS_KEY", "")
    assert verify(runner).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(LedgerSeal)) == 3


def test_the_next_seal_never_blesses_entries_removed_since_the_last_one(people, runner):
    """An official's newest entries deleted in SQL leave every chain valid; the night's seal
    would then count the shortened ledger as the truth. It refuses, and verify still tells."""
    hoa, _binh = people
    seals.seal()
    db.session.commit()
    newest = ledger.entries(hoa.id)[-1]
    db.session.execute(
        text("DELETE FROM audit_entries WHERE object_id = :id"), {"id": str(newest.id)}
    )
    db.session.execute(text("DELETE FROM ledger_entries WHERE id = :id"), {"id": newest.id})
    db.session.commit()
    sealed = db.session.scalar(select(func.count()).select_from(LedgerSeal))
    with pytest.raises(seals.SealRefused, match="no longer matches its latest seal"):
        seals.seal()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LedgerSeal)) == sealed
    assert "missing" in seals.check_seal().problems
    assert verify(runner).exit_code != 0
