"""The recruitment results log: append-only, chained per candidate, keyed by the integrity key;
verify finds a changed, removed or forged line."""

from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from lms.audit.models import AuditEntry
from lms.errors import RuleViolation
from lms.extensions import db
from lms.recruitment import results_log
from lms.recruitment.models import ResultEntry
from tests.factories import make_candidate, make_recruitment, make_units


@pytest.fixture
def two(app, db):
    make_units()
    recruitment = make_recruitment()
    a = make_candidate(recruitment, "Nguyễn Văn An")
    b = make_candidate(recruitment, "Lê Thị Bình", position="VT02", priority="UT3")
    db.session.commit()
    return a, b


def test_lines_chain_per_candidate_and_verify_clean(two):
    a, b = two
    first = results_log.append(a.id, "computer_score", {"score": Decimal("7.5")}, None, "exam")
    second = results_log.append(a.id, "written_mark", {"mark": "62"}, None, "marking")
    other = results_log.append(b.id, "computer_score", {"score": "9"}, None, "exam")
    db.session.commit()
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert second.prev_hash == first.entry_hash
    assert first.payload == {"score": "7.5"}
    assert results_log.verify() == []
    assert results_log.latest(a.id, "computer_score").id == first.id
    assert [e.id for e in results_log.lines(a.id)] == [first.id, second.id]
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "recruitment.result_logged")
    ).all()
    assert len(audited) == 3


def test_lines_cannot_be_changed_or_deleted_through_the_app(two):
    a, _b = two
    entry = results_log.append(a.id, "computer_score", {"score": "5"}, None, "exam")
    db.session.commit()
    entry.payload = {"score": "10"}
    with pytest.raises(RuleViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ResultEntry, entry.id))
    with pytest.raises(RuleViolation):
        db.session.flush()
    db.session.rollback()


def test_verify_finds_a_score_changed_in_sql_and_a_removed_line(two):
    a, b = two
    results_log.append(a.id, "computer_score", {"score": "5"}, None, "exam")
    results_log.append(a.id, "appeal_change", {"score": "6"}, None, "marking")
    results_log.append(b.id, "computer_score", {"score": "4"}, None, "exam")
    db.session.commit()
    first_b = results_log.lines(b.id)[0]
    db.session.execute(
        update(ResultEntry.__table__)
        .where(ResultEntry.__table__.c.id == first_b.id)
        .values(payload={"score": "10"})
    )
    first_a = results_log.lines(a.id)[0]
    db.session.execute(text("DELETE FROM recruitment_results_log WHERE id = :i"), {"i": first_a.id})
    db.session.commit()
    found = {(p.candidate_id, p.reason) for p in results_log.verify()}
    assert found == {(b.id, "hash"), (a.id, "gap")}


def test_a_line_names_its_writer_and_a_known_kind(two):
    a, _b = two
    with pytest.raises(ValueError):
        results_log.append(a.id, "computer_score", {}, None)
    with pytest.raises(ValueError):
        results_log.append(a.id, "bonus", {}, None, "exam")


def test_registration_gives_a_number_an_account_and_the_priority_points(two):
    a, b = two
    assert a.number == "TD2026-0001" and b.number == "TD2026-0002"
    assert b.priority_points == Decimal("2.5")
    assert a.user.roles() == {"candidate"}
    assert a.user.username == "td2026-0001"
