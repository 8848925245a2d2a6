"""Seal and chain rules the mutation run (docs/testing.md) found unpinned: the MACs of a seal
in both versions (the version-1 seals written under SECRET_KEY still verify), the chain read
in seq order whatever order the rows are stored in, the progress count of `verify`, and the
sequence number a "hashed before the key" report names."""

import hashlib
import hmac
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from lms.common import integrity
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import LedgerEntry
from tests.factories import make_credit, make_official

SEALED_AT = datetime(2026, 3, 10, 3, 0)


def seal(version):
    return SimpleNamespace(
        version=version,
        seq=3,
        prev_mac="p" * 64,
        sealed_at=SEALED_AT,
        last_entry_id=10,
        entries=5,
        officials=2,
        digest="d" * 64,
    )


def test_a_version_1_seal_is_keyed_by_the_secret_key(app):
    key = hashlib.sha256(b"lms.ledger-seal\x1f" + app.secret_key.encode()).digest()
    message = f"2026-03-10T03:00:00.000000|10|5|2|{'d' * 64}"
    expected = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
    with app.app_context():
        assert seals._mac(seal(1)) == expected


def test_a_version_2_seal_is_keyed_by_the_ledger_key_and_chained(app):
    key = b"k" * 32
    parts = ("ledger-seal", 3, "p" * 64, "2026-03-10T03:00:00.000000", 10, 5, 2, "d" * 64)
    with app.app_context():
        assert seals._mac(seal(2), key) == integrity.mac(key, parts)


@pytest.fixture
def hoa(world, db):
    person = make_official("DN000001", "Nguyễn Thị Hoa")
    for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)):
        make_credit(person, "1", day=day)
    db.session.commit()
    return person


def test_verify_reads_each_chain_in_seq_order_and_counts_every_entry(hoa, db):
    """Rows stored out of seq order (a restore, a vacuum) are still one intact chain."""
    first, _second, third = ledger.entries(hoa.id)
    ids = {"a": first.id, "b": third.id, "tmp": 10_000}
    db.session.expunge_all()
    swap = (
        "UPDATE ledger_entries SET id = :tmp WHERE id = :a;"
        "UPDATE ledger_entries SET id = :a WHERE id = :b;"
        "UPDATE ledger_entries SET id = :b WHERE id = :tmp"
    )
    audit = (
        "UPDATE audit_entries SET object_id = 'tmp' WHERE object_type = 'ledger_entry' "
        "AND object_id = :a;"
        "UPDATE audit_entries SET object_id = :a WHERE object_type = 'ledger_entry' "
        "AND object_id = :b;"
        "UPDATE audit_entries SET object_id = :b WHERE object_type = 'ledger_entry' "
        "AND object_id = 'tmp'"
    )
    for statement in swap.split(";"):
        db.session.execute(text(statement), ids)
    for statement in audit.split(";"):
        db.session.execute(text(statement), {"a": str(ids["a"]), "b": str(ids["b"])})
    db.session.commit()
    stored = db.session.scalars(select(LedgerEntry.seq).order_by(LedgerEntry.id)).all()
    assert stored == [3, 2, 1]
    steps = []
    assert list(seals.verify(progress=steps.append)) == []
    assert sum(steps) == 3


def test_an_entry_hashed_before_the_key_is_reported_with_its_seq(hoa, db):
    entries = ledger.entries(hoa.id)
    last = entries[-1]
    db.session.expunge(last)
    legacy = ledger.legacy_entry_hash(last, 2026)
    db.session.execute(
        text("UPDATE ledger_entries SET hash_version = 1, entry_hash = :h WHERE id = :id"),
        {"h": legacy, "id": last.id},
    )
    db.session.commit()
    found = [b for b in seals.verify() if b.problem in ("unkeyed", "hash")]
    assert found == [seals.Break(hoa.id, last.id, 3, "unkeyed")]


def two_seals(official, db):
    first = seals.seal()
    make_credit(official, "1", day=date(2026, 3, 4))
    second = seals.seal()
    db.session.commit()
    return first, second


def test_the_seals_are_read_in_their_own_order_whatever_order_they_are_stored_in(hoa, db):
    first, second = two_seals(hoa, db)
    ids = {"a": first.id, "b": second.id, "tmp": 10_000}
    db.session.expunge_all()
    for statement in (
        "UPDATE ledger_seals SET id = :tmp WHERE id = :a",
        "UPDATE ledger_seals SET id = :a WHERE id = :b",
        "UPDATE ledger_seals SET id = :b WHERE id = :tmp",
    ):
        db.session.execute(text(statement), ids)
    db.session.commit()
    assert db.session.scalars(select(seals.LedgerSeal.seq).order_by(seals.LedgerSeal.id)).all() == [
        2,
        1,
    ]
    assert seals.check_seal().problems == ()


def test_a_first_seal_removed_shows_as_a_gap(hoa, db):
    first, _second = two_seals(hoa, db)
    db.session.execute(text("DELETE FROM ledger_seals WHERE id = :id"), {"id": first.id})
    db.session.commit()
    assert "seal_gap" in seals.check_seal().problems


def test_before_any_seal_an_empty_ledger_checks_clean_with_zero_figures(db):
    assert seals.check_seal() == seals.SealCheck(None, 0, 0, ())


def test_a_seal_check_counts_the_sealed_entries_and_officials(hoa, db):
    make_credit(make_official("DN000002", "Trần Văn Bình"), "1")
    latest = seals.seal()
    make_credit(hoa, "1", day=date(2026, 3, 20))  # after the seal: not counted
    db.session.commit()
    assert seals.check_seal() == seals.SealCheck(latest, 4, 2, ())


def test_removed_latest_seal_is_reported_first_before_a_signature_problem(hoa, db):
    first, second = two_seals(hoa, db)
    make_credit(hoa, "1", day=date(2026, 3, 5))  # names the second seal
    db.session.execute(text("DELETE FROM ledger_seals WHERE id = :id"), {"id": second.id})
    db.session.execute(text("UPDATE ledger_seals SET mac = :mac WHERE id = :id"),
                       {"mac": "0" * 64, "id": first.id})  # fmt: skip
    db.session.commit()
    assert seals.check_seal().problems == ("emptied", "signature")


def test_an_entry_put_back_among_the_sealed_ones_is_extra(hoa, db):
    make_credit(hoa, "1", day=date(2026, 3, 4))
    db.session.commit()
    table = LedgerEntry.__table__
    row = select(table).where(table.c.official_id == hoa.id, table.c.seq == 2)
    middle = dict(db.session.execute(row).mappings().one())
    db.session.execute(text("DELETE FROM ledger_entries WHERE id = :id"), {"id": middle["id"]})
    db.session.commit()
    seals.seal(checked=False)
    db.session.commit()
    db.session.execute(table.insert().values(**middle))
    db.session.commit()
    assert seals.check_seal().problems == ("extra",)
