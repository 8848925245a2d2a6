"""Leave periods on the database: entered through the service (overlaps refused, audited),
the obligations engine re-run at the commit takes exempting months out of the target and moves
due dates, the compliance SQL reads the same target as the rules give (parity), and
months_summary gives a statement its months in post, on leave, counted and "not rated"."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.compliance import queries as compliance_queries
from lms.curricula.obligations.models import MANDATORY, Obligation, OfficialTarget
from lms.curricula.obligations.queries import MonthsSummary, months_summaries, months_summary
from lms.curricula.rules import dates
from lms.curricula.rules.dates import CycleRules, Held
from lms.curricula.rules.targets import prorated_target
from lms.errors import ValidationFailed
from lms.extensions import db as _db
from lms.organisation import leave
from lms.organisation.models import Official
from tests.factories import (
    make_course,
    make_curriculum,
    make_cycle,
    make_leave,
    make_official,
    make_units,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def scene(db, freeze):
    """CM-CCVC asks 3 TC and BB01; cycle 2026; today 10/01/2026."""
    freeze(date(2026, 1, 10))
    make_units()
    course = make_course("BB01")
    make_curriculum("CM-CCVC", "3", [course])
    cycle = make_cycle()
    _db.session.commit()
    return cycle


def target_of(official, cycle) -> OfficialTarget:
    return _db.session.scalar(
        select(OfficialTarget).where(
            OfficialTarget.official_id == official.id, OfficialTarget.cycle_id == cycle.id
        )
    )


def due_of(official) -> date:
    return _db.session.scalar(
        select(Obligation.due_on).where(
            Obligation.official_id == official.id, Obligation.kind == MANDATORY
        )
    )


def test_maternity_leave_march_to_august_halves_a_3_tc_target(scene):
    cycle = scene
    hoa = make_official("A1", "Nguyễn Thị Hoa", started_on=date(2020, 1, 1))
    _db.session.commit()
    assert target_of(hoa, cycle).target_credits == Decimal(3)
    make_leave(hoa, date(2026, 3, 1), date(2026, 8, 31), "maternity", decision_number="12/QĐ")
    _db.session.commit()
    target = target_of(hoa, cycle)
    assert (target.target_credits, target.months) == (Decimal("1.5"), 6)
    assert months_summary(hoa, cycle) == MonthsSummary(12, 6, 6, False)
    assert months_summary(hoa, cycle)._asdict() == {
        "months_in_post": 12,
        "months_on_leave": 6,
        "months_counted": 6,
        "not_rated": False,
    }


def test_joined_in_august_on_leave_from_october_is_flagged_not_rated(scene):
    cycle = scene
    an = make_official("A2", "Trần Văn An", started_on=date(2026, 8, 1))
    make_leave(an, date(2026, 10, 1), date(2027, 3, 31), "sick")
    _db.session.commit()
    assert months_summary(an.id, cycle) == MonthsSummary(5, 3, 2, True)
    assert target_of(an, cycle).target_credits == Decimal("0.5")


def test_secondment_is_not_exempting_by_default_and_the_setting_changes_it(scene, app, monkeypatch):
    cycle = scene
    binh = make_official("A3", "Lê Văn Bình")
    make_leave(binh, date(2026, 1, 1), date(2026, 12, 31), "secondment")
    _db.session.commit()
    assert target_of(binh, cycle).target_credits == Decimal(3)
    assert months_summary(binh, cycle) == MonthsSummary(12, 0, 12, False)
    monkeypatch.setitem(app.config, "LMS_LEAVE_EXEMPTING_KINDS", ("secondment",))
    assert months_summary(binh, cycle) == MonthsSummary(12, 12, 0, True)


def test_deleting_or_moving_leave_gives_the_months_back(scene):
    cycle = scene
    hoa = make_official("A1", "Nguyễn Thị Hoa")
    period = make_leave(hoa, date(2026, 3, 1), date(2026, 8, 31))
    _db.session.commit()
    leave.save_leave(
        hoa, leave.LeaveData("maternity", date(2026, 3, 1), date(2026, 5, 31)), None, period
    )
    _db.session.commit()
    assert target_of(hoa, cycle).target_credits == Decimal("2.5")  # 9 months → 2.25 → 2.5
    leave.delete_leave(hoa, period, None)
    _db.session.commit()
    assert target_of(hoa, cycle).target_credits == Decimal(3)
    actions = _db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.object_id == "A1", AuditEntry.action.like("leave.%")
        )
    )
    assert sorted(actions) == ["leave.added", "leave.changed", "leave.deleted"]


def test_overlapping_periods_and_dates_out_of_order_are_refused(scene):
    hoa = make_official("A1", "Nguyễn Thị Hoa")
    make_leave(hoa, date(2026, 3, 1), date(2026, 8, 31))
    with pytest.raises(ValidationFailed, match="overlaps the leave from 01/03/2026 to 31/08/2026"):
        make_leave(hoa, date(2026, 8, 31), date(2026, 9, 30), "sick")
    with pytest.raises(ValidationFailed, match="before the first day"):
        make_leave(hoa, date(2026, 10, 2), date(2026, 10, 1), "sick")
    with pytest.raises(ValidationFailed, match="Unknown kind"):
        make_leave(hoa, date(2026, 10, 1), date(2026, 10, 2), "holiday")
    make_leave(hoa, date(2026, 9, 1), date(2026, 9, 30), "sick")  # the day after: fine


def test_due_dates_move_by_the_length_of_the_leave(scene, freeze):
    freeze(date(2026, 2, 1))
    cuong = make_official("A4", "Phạm Văn Cường", started_on=date(2026, 2, 1))
    _db.session.commit()
    assert due_of(cuong) == date(2026, 7, 31)  # 01/02 + 180 days
    make_leave(cuong, date(2026, 4, 1), date(2026, 4, 30), "study")
    _db.session.commit()
    assert due_of(cuong) == date(2026, 8, 30)


def test_the_compliance_sql_reads_the_target_the_rules_give_with_leave(scene):
    """Parity: the dashboard's SQL target (from the engine's rows) is prorated_target of
    the same posts and leave, for leave starting and ending on the 14th, 15th and 16th."""
    cycle = scene
    cases = {}
    for number, (first, last) in enumerate(
        [
            (date(2026, 3, 14), date(2026, 6, 14)),
            (date(2026, 3, 15), date(2026, 6, 15)),
            (date(2026, 3, 16), date(2026, 6, 16)),
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2026, 12, 15), date(2027, 2, 1)),
        ]
    ):
        official = make_official(f"P{number}", f"Người {number}")
        make_leave(official, first, last, "unpaid")
        held = [Held(1, date(2020, 1, 1), None, Decimal(3))]
        expected = prorated_target(held, CycleRules.of(cycle), [dates.Leave(first, last)])
        cases[official.employee_code] = expected.credits
    _db.session.commit()
    rows = _db.session.execute(compliance_queries.standing_select(cycle, date(2026, 6, 1), None))
    found = {row.employee_code: Decimal(row.target) for row in rows}
    assert found == cases
    # 14/03–14/06: Mar, Apr, May out (9 → 2.25 → 2.5); 15/03–15/06: four out (2); 16/03–16/06:
    # Apr, May, Jun out (2.5); the whole year (0); from 15/12: December out (2.75 → 3)
    assert list(cases.values()) == [Decimal("2.5"), Decimal(2), Decimal("2.5"), 0, Decimal(3)]
    summaries = months_summaries(
        [o.id for o in _db.session.scalars(select(Official).order_by(Official.id))], cycle
    )
    assert [s.months_counted for s in summaries.values()] == [9, 8, 9, 0, 11]


def test_a_second_refresh_with_leave_writes_nothing(scene, freeze):
    from lms.curricula.obligations import engine

    cycle = scene
    freeze(date(2026, 2, 1))
    cuong = make_official("A4", "Phạm Văn Cường", started_on=date(2026, 2, 1))
    make_leave(cuong, date(2026, 4, 1), date(2026, 4, 30), "study")
    _db.session.commit()
    freeze(date(2026, 5, 1))
    again = engine.refresh([cuong.id], cycle)
    assert (again.inserted, again.updated, again.withdrawn, again.targets_written) == (0, 0, 0, 0)
    assert due_of(cuong) == date(2026, 8, 30)
