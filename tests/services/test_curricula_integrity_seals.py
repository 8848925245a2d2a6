"""Frozen statements and the audit log are signed and sealed like the ledger (issue 18): each
row carries an HMAC under the ledger key, seals are numbered, chained and keyed, and
`flask integrity verify` checks the ledger, the statements and the audit log together. The
review edited a frozen statement and deleted audit rows in SQL unseen."""

from datetime import date

import pytest
from sqlalchemy import func, select, text

from lms.audit import services as audit
from lms.audit.models import AuditEntry, IntegritySeal
from lms.common import sealing
from lms.compliance import statements
from lms.compliance.models import Statement
from lms.extensions import db
from lms.organisation.models import OrgUnit
from tests.services.test_compliance_queries import city  # noqa: F401 (fixture)

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def closed(city):  # noqa: F811
    cycle, people = city
    dn = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    statements.close_cycle(cycle, dn, None, date(2027, 1, 5))
    db.session.commit()
    return cycle, dn, people


def verify(runner):
    db.session.commit()
    db.session.expire_all()
    return runner.invoke(args=["integrity", "verify"])


def seal_all():
    for kind in sealing.KINDS:
        sealing.seal(kind)
    db.session.commit()


def test_an_intact_database_verifies_with_its_seals(closed, runner):
    seal_all()
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "Frozen statements OK: 6 rows" in result.output
    assert "Audit log OK" in result.output and "Ledger OK" in result.output


def test_a_frozen_statement_edited_in_sql_is_reported(closed, runner):
    seal_all()
    row = db.session.scalar(select(Statement).where(Statement.employee_code == "A-SLOW"))
    db.session.execute(
        text("UPDATE statements SET status = 'met', earned_credits = 5 WHERE id = :id"),
        {"id": row.id},
    )
    result = verify(runner)
    assert result.exit_code != 0
    assert f"BROKEN Frozen statements: row {row.id} was changed" in result.output


def test_a_statement_added_in_sql_is_reported(closed, runner):
    row = db.session.scalar(select(Statement).limit(1))
    values = {c.name: getattr(row, c.name) for c in Statement.__table__.columns if c.name != "id"}
    values.update(superseded_at=None, cycle_id=row.cycle_id, status="met", row_mac="0" * 64)
    db.session.execute(
        text("UPDATE statements SET superseded_at = closed_at WHERE id = :id"), {"id": row.id}
    )
    db.session.execute(Statement.__table__.insert(), [values])
    assert verify(runner).exit_code != 0


def test_a_deleted_audit_row_is_reported(closed, runner):
    seal_all()
    victim = db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "cycle.close"))
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": victim})
    result = verify(runner)
    assert result.exit_code != 0
    assert "BROKEN Audit log seal: sealed entries were removed" in result.output


def test_an_audit_row_rewritten_or_inserted_in_sql_is_reported(closed, runner):
    seal_all()
    victim = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cycle.close"))
    db.session.execute(
        text("UPDATE audit_entries SET actor_id = NULL, after = NULL WHERE id = :id"),
        {"id": victim.id},
    )
    db.session.execute(
        AuditEntry.__table__.insert(),
        [{"action": "cycle.close", "object_type": "cycle", "object_id": "2026", "seal_seq": 1}],
    )
    result = verify(runner)
    assert result.exit_code != 0
    assert f"BROKEN Audit log: row {victim.id} was changed" in result.output


def test_emptied_seal_tables_are_reported(closed, runner):
    seal_all()
    audit.record(None, "cycle.close", "cycle", 2026, after={"unit": "DN"})  # after the seal
    db.session.commit()
    assert verify(runner).exit_code == 0
    db.session.execute(text("DELETE FROM integrity_seals"))
    result = verify(runner)
    assert result.exit_code != 0
    assert "seals that entries name are gone" in result.output


def test_a_reopening_re_signs_what_it_supersedes(closed, runner):
    cycle, dn, _people = closed
    seal_all()
    statements.reopen_cycle(cycle, dn, "Sai dữ liệu", None)
    db.session.commit()
    statements.close_cycle(cycle, dn, None, date(2027, 2, 2))
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 0, result.output


def test_rows_from_before_the_key_are_reported_until_rekey(closed, runner):
    seal_all()
    db.session.execute(text("UPDATE statements SET row_mac = NULL"))
    db.session.execute(text("UPDATE audit_entries SET row_mac = NULL"))
    result = verify(runner)
    assert result.exit_code != 0
    assert "rows written before the key" in result.output
    done = runner.invoke(args=["integrity", "rekey"])
    assert done.exit_code == 0, done.output
    assert "signed 6 statements" in done.output
    after = verify(runner)
    assert after.exit_code == 0, after.output
    assert db.session.scalar(select(func.count()).select_from(IntegritySeal)) >= 4


def test_rekey_refuses_an_altered_statement(closed, runner):
    db.session.execute(text("UPDATE statements SET status = 'met'"))
    db.session.commit()
    result = runner.invoke(args=["integrity", "rekey"])
    assert result.exit_code != 0 and "altered" in result.output


def test_writing_an_audit_entry_reads_only_the_latest_seal_number(closed):
    from tests.conftest import count_queries

    seal_all()
    with count_queries() as n:
        audit.record(None, "cycle.close", "cycle", 2026, after={"unit": "DN"})
    assert n[0] == 2  # the seal number, the insert
