"""Compliance in SQL: statuses per official, counts by scope, cycle close and re-open."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.compliance import queries, statements
from lms.compliance import rules as compliance_rules
from lms.compliance.models import Statement
from lms.curricula.ledger import services as ledger
from lms.curricula.obligations.models import DONE, OPEN, Obligation
from lms.curricula.rules.due import counts_in_cycle
from lms.errors import RuleViolation
from lms.extensions import db
from lms.organisation.models import OrgUnit
from tests.conftest import count_queries
from tests.factories import make_course, make_cycle, make_official, make_target, make_units

AS_OF = date(2026, 6, 30)  # half the year gone: the pace is target × 0.5
COMMON = {"kind": "mandatory_common", "audited": False}  # mandatory for all; no audit entry


def _situation(cycle, course, code, *, target=3, earned=0, due=None, done=False, **person):
    """An official with a target, credits earned in March and optionally one obligation."""
    official = make_official(code, person.pop("name", f"Người {code}"), **person)
    make_target(official, cycle, target)
    if earned:
        ledger.append(
            ledger.NewEntry(official.id, date(cycle.year, 3, 1), Decimal(earned), "manual", "Học")
        )
    if due:
        db.session.add(
            Obligation(
                official_id=official.id,
                cycle_id=cycle.id,
                course_id=course.id,
                due_on=due,
                status=DONE if done else OPEN,
            )
        )
    db.session.flush()
    return official


@pytest.fixture
def city(db):
    """Six officials, one per situation, in two subtrees (SNV and P-HAICHAU)."""
    make_units()
    cycle, course = make_cycle(), make_course("BB01", **COMMON)
    people = {
        "met": _situation(cycle, course, "A-MET", earned=3, due=date(2026, 3, 1), done=True),
        "overdue": _situation(cycle, course, "A-OVER", earned=3, due=date(2026, 6, 1)),
        "due_soon": _situation(cycle, course, "A-SOON", earned=2, due=date(2026, 7, 20)),
        "behind": _situation(cycle, course, "A-SLOW", earned=0, unit="P-HAICHAU"),
        "on_track": _situation(
            cycle, course, "A-OK", earned=1, due=date(2026, 11, 1), unit="P-HAICHAU", gender="male"
        ),
        "no_target": _situation(cycle, course, "A-ZERO", target=0, unit="P-HAICHAU"),
    }
    db.session.commit()
    return cycle, people


def _statuses(cycle, scope, as_of=AS_OF) -> dict[str, str]:
    sub = queries.filtered(cycle, as_of, scope, queries.Filters())
    return {row.employee_code: row.status for row in db.session.execute(db.select(sub))}


def _path(code: str) -> str:
    return db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == code))


def test_each_situation_gets_its_status(city):
    cycle, _people = city
    assert _statuses(cycle, None) == {
        "A-MET": "met",
        "A-OVER": "overdue",
        "A-SOON": "at_risk",  # due within 30 days
        "A-SLOW": "at_risk",  # 0 earned, pace 1.5 − 1 slack
        "A-OK": "on_track",
        "A-ZERO": "met",
    }


def test_one_credit_behind_the_pace_is_still_on_track(city):
    cycle, _people = city
    # On 30/06 the pace of a 3-TC target is 1.5; 0.5 earned is exactly one credit behind,
    # 0.4 is more than one.
    half = _situation(cycle, make_course("BB02", **COMMON), "A-HALF", earned=Decimal("0.5"))
    less = _situation(cycle, make_course("BB03", **COMMON), "A-LESS", earned=Decimal("0.4"))
    db.session.commit()
    statuses = _statuses(cycle, None)
    assert statuses[half.employee_code] == "on_track"
    assert statuses[less.employee_code] == "at_risk"


@pytest.mark.parametrize("scope_units", [None, ("DN",), ("SNV",), ("P-HAICHAU",), ("SNV-CCVC",)])
def test_counts_equal_the_sum_of_the_officials_statuses(city, scope_units):
    cycle, _people = city
    scope = None if scope_units is None else [_path(code) for code in scope_units]
    per_official = _statuses(cycle, scope)
    sub = queries.filtered(cycle, AS_OF, scope, queries.Filters())
    counted = {status: count for status, count in queries.status_counts(sub)}
    expected: dict[str, int] = {}
    for status in per_official.values():
        expected[status] = expected.get(status, 0) + 1
    assert counted == expected
    root = None
    if scope_units:
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == scope_units[0]))
    by_unit = queries.by_child_unit(sub, root)
    assert sum(row[-1] for row in by_unit) == len(per_official)


def test_unit_counts_split_by_gender(city):
    cycle, _people = city
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "P-HAICHAU"))
    counts = queries.unit_counts(unit, cycle, AS_OF)
    assert counts["total"] == 3
    assert counts["by_status"] == {"at_risk": 1, "on_track": 1, "met": 1}
    assert counts["by_gender"] == {"female": {"at_risk": 1, "met": 1}, "male": {"on_track": 1}}


def test_closing_freezes_statements_that_later_credits_do_not_change(city):
    cycle, people = city
    dn = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    with pytest.raises(RuleViolation):
        statements.close_cycle(cycle, dn, None, date(2026, 12, 31))  # not over yet
    frozen = statements.close_cycle(cycle, dn, None, date(2027, 1, 5))
    db.session.commit()
    assert frozen == 6
    before = {
        s.employee_code: (s.earned_credits, s.status) for s in db.session.scalars(select(Statement))
    }
    assert before["A-MET"] == (Decimal("3.00"), "met")
    assert before["A-SLOW"] == (Decimal("0.00"), "not_met")
    # A late credit dated in the closed cycle counts in no closed statement.
    ledger.append(
        ledger.NewEntry(people["behind"].id, date(2026, 12, 1), Decimal(3), "manual", "Muộn")
    )
    db.session.commit()
    after = {
        s.employee_code: (s.earned_credits, s.status) for s in db.session.scalars(select(Statement))
    }
    assert after == before
    sub = queries.filtered(cycle, date(2027, 2, 1), None, queries.Filters())
    listed = {row.employee_code: row for row in db.session.execute(db.select(sub))}
    assert (listed["A-SLOW"].earned, listed["A-SLOW"].status) == (Decimal("0.00"), "not_met")
    statement = statements.statement_for(people["behind"].id, cycle, date(2027, 2, 1))
    assert statement["status"] == "not_met" and statement["earned_credits"] == Decimal("0.00")
    assert _statuses(cycle, None, date(2027, 2, 1))["A-SLOW"] == "not_met"
    with pytest.raises(RuleViolation):
        statements.close_cycle(cycle, dn, None, date(2027, 1, 6))  # closed already


def test_reopening_needs_a_reason_supersedes_and_is_audited(city):
    cycle, people = city
    dn = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    statements.close_cycle(cycle, dn, None, date(2027, 1, 5))
    db.session.commit()
    with pytest.raises(RuleViolation):
        statements.reopen_cycle(cycle, dn, "  ", None)
    assert statements.reopen_cycle(cycle, dn, "Sai dữ liệu phường Hải Châu", None) == 6
    db.session.commit()
    live = statements.statement_for(people["behind"].id, cycle, date(2027, 2, 1))
    assert live["closed_at"] is None
    assert db.session.scalar(select(db.func.count()).select_from(Statement)) == 6  # kept
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["cycle.close", "cycle.reopen"]
    # Closed again: new statements, the old ones stay superseded.
    assert statements.close_cycle(cycle, dn, None, date(2027, 2, 2)) == 6


def test_a_subtree_closes_alone_and_the_city_close_skips_it(city):
    cycle, _people = city
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    assert statements.close_cycle(cycle, units["P-HAICHAU"], None, date(2027, 1, 2)) == 3
    assert statements.closure_state(cycle, units["SNV"]) is None
    assert statements.close_cycle(cycle, units["DN"], None, date(2027, 1, 3)) == 3


def test_dashboard_query_count_does_not_grow_with_officials(city):
    cycle, _people = city

    def run() -> int:
        with count_queries() as counter:
            sub = queries.filtered(cycle, AS_OF, None, queries.Filters())
            queries.status_counts(sub)
            queries.status_counts(sub, "gender")
            queries.by_child_unit(sub, None)
        return counter[0]

    small = run()
    for number in range(40):
        _situation(cycle, make_course(f"X{number}", **COMMON), f"B-{number:03}", earned=number % 4)
    db.session.commit()
    assert run() == small


def test_the_sql_status_is_the_rules_status_for_every_official(db):
    """The dashboard's SQL and lms.compliance.rules.compliance_status (used by /me) agree, for
    random targets, credits and obligations on several days of the cycle — some due after the
    cycle's end (required in its last weeks), which count in neither."""
    import random

    make_units()
    cycle, rng = make_cycle(), random.Random(7)
    courses = [make_course(f"R{n}", **COMMON) for n in range(3)]
    people = []
    for number in range(60):
        official = make_official(f"R-{number:03}", f"Người {number}")
        target = Decimal(rng.choice((0, 1, 2, 3, 4)))
        make_target(official, cycle, target)
        earned = Decimal(rng.choice((0, 0.5, 1, 1.5, 2, 3, 5)))
        if earned:
            day = date(2026, rng.randrange(1, 13), rng.randrange(1, 28))
            ledger.append(ledger.NewEntry(official.id, day, earned, "manual", "Học"))
        owed = []
        for course in rng.sample(courses, rng.randrange(0, 3)):
            due = date(2026, rng.randrange(1, 13), rng.randrange(1, 28))
            if rng.random() < 0.2:  # required late in the year: due after the cycle's end
                due = date(2027, 1, rng.randrange(1, 31))
            done = rng.random() < 0.4
            db.session.add(
                Obligation(
                    official_id=official.id,
                    cycle_id=cycle.id,
                    course_id=course.id,
                    due_on=due,
                    status=DONE if done else OPEN,
                )
            )
            if not done and counts_in_cycle(due, cycle.ends_on):
                owed.append(due)
        people.append((official.employee_code, target, earned, owed))
    db.session.commit()
    for as_of in (date(2026, 1, 1), date(2026, 3, 31), date(2026, 7, 15), date(2026, 12, 31)):
        sql = _statuses(cycle, None, as_of)
        for code, target, earned, owed in people:
            expected = compliance_rules.compliance_status(
                as_of=as_of,
                starts_on=cycle.starts_on,
                ends_on=cycle.ends_on,
                closed=False,
                target=target,
                earned=earned,
                open_obligations=len(owed),
                earliest_open_due=min(owed) if owed else None,
                at_risk_days=cycle.at_risk_days,
                pace_slack=cycle.pace_slack,
            )
            assert sql[code] == expected, (code, as_of, target, earned, owed)


DUE = date(2026, 7, 15)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (DUE - timedelta(days=31), "on_track"),  # the day before the at-risk window
        (DUE - timedelta(days=30), "at_risk"),  # its first day
        (DUE - timedelta(days=1), "at_risk"),
        (DUE, "at_risk"),  # due today: not overdue yet
        (DUE + timedelta(days=1), "overdue"),
    ],
    ids=["window-1", "window", "due-1", "due", "due+1"],
)
def test_sql_status_agrees_with_the_rules_on_the_due_day_itself(db, as_of, expected):
    """The list's status (SQL) and rules.compliance_status are one rule: on the due day, the
    days around it and the edge of the at-risk window (issue 20, survivor 1)."""
    make_units()
    cycle, course = make_cycle(), make_course("BB01", **COMMON)
    official = _situation(cycle, course, "A-DUE", target=3, earned=3, due=DUE)
    db.session.commit()
    rules_status = compliance_rules.compliance_status(
        as_of=as_of,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        closed=False,
        target=Decimal(3),
        earned=Decimal(3),
        open_obligations=1,
        earliest_open_due=DUE,
        at_risk_days=cycle.at_risk_days,
        pace_slack=Decimal(cycle.pace_slack),
    )
    assert _statuses(cycle, None, as_of)[official.employee_code] == rules_status == expected
