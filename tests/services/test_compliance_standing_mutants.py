"""The figures of a compliance standing row (lms/compliance/queries.py standing_select), not
only its status, pinned where make mutation found the suite loose (docs/testing.md, "Mutation
testing"): an official with no target row and no mandatory course is met with zeros, and the
required / completed / overdue counts are the obligations'."""

from datetime import date, datetime

from lms.compliance import queries, snapshots
from lms.compliance.models import FINAL, REVIEW, Statement
from lms.curricula.obligations.models import DONE, RECERTIFICATION, WITHDRAWN, Obligation
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.queries import unit_by_code
from tests.factories import (
    make_course,
    make_cycle,
    make_obligation,
    make_official,
    make_target,
    make_units,
)
from tests.services.test_compliance_queries import AS_OF, _situation


def _rows(cycle) -> dict:
    sub = queries.filtered(cycle, AS_OF, None, queries.Filters())
    return {row.employee_code: row for row in db.session.execute(db.select(sub))}


def test_an_official_with_no_target_and_no_course_is_met_with_zero_figures(db):
    make_units()
    cycle = make_cycle()
    make_official("A-NONE", "Người không chỉ tiêu")  # no OfficialTarget row, no obligation
    db.session.commit()
    row = _rows(cycle)["A-NONE"]
    assert row.full_name == "Người không chỉ tiêu" and row.sort_name
    assert (row.target, row.earned, row.required, row.completed, row.overdue) == (0, 0, 0, 0, 0)
    programmes = (
        row.programmes_required,
        row.programmes_completed,
        row.programmes_overdue,
        row.programmes_due_soon,
    )
    assert programmes == (0, 0, 0, 0)
    assert snapshots.programme_dues(row, cycle, AS_OF) == []  # what a review statement reads
    assert row.status == row.live_status == "met"


def test_required_completed_and_overdue_count_the_obligations(db):
    make_units()
    cycle = make_cycle()
    first, second = make_course("BB01"), make_course("BB02")
    official = _situation(cycle, first, "A-TWO", earned=3, due=date(2026, 3, 1), done=True)
    _situation(cycle, first, "A-LATE", earned=3, due=date(2026, 6, 1))
    db.session.add(
        Obligation(
            official_id=official.id,
            cycle_id=cycle.id,
            course_id=second.id,
            due_on=date(2026, 9, 1),
            status="open",
        )
    )
    db.session.commit()
    rows = _rows(cycle)
    two, late = rows["A-TWO"], rows["A-LATE"]
    assert (two.required, two.completed, two.overdue, two.status) == (2, 1, 0, "on_track")
    assert (late.required, late.completed, late.overdue, late.status) == (1, 0, 1, "overdue")


def test_one_row_per_official_with_the_current_primary_post_and_this_cycles_target(db):
    make_units()
    last_year, cycle = make_cycle(2025), make_cycle(2026)
    course = make_course()
    official = _situation(cycle, course, "A-MOVED", target=3, earned=3)
    _situation(last_year, course, "A-OTHER", target=8)
    make_target(official, last_year, "9")
    # A post held before (ended) and a concurrent one beside the primary post.
    org.change_position(
        official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 2, 1), "01.003"), actor=None
    )
    org.add_concurrent(
        official, org.AssignmentData("SNV-CCVC", "LD-TP", date(2026, 3, 1), "01.003"), actor=None
    )
    db.session.commit()
    rows = [r for r in db.session.execute(db.select(_sub(cycle))) if r.employee_code == "A-MOVED"]
    assert len(rows) == 1
    row = rows[0]
    assert (row.unit_code, row.position_code) == ("P-HAICHAU", "XA-MC")
    assert (row.target, row.earned, row.status) == (3, 3, "met")


def _sub(cycle):
    return queries.filtered(cycle, AS_OF, None, queries.Filters())


# --- _course_counts: which obligations count, and counting by course --------------------------
def _obligation(official, cycle, course, due, **fields):
    make_obligation(official.id, course, due, cycle_id=cycle.id, **fields)


def test_a_course_and_its_recertification_are_one_required_course(db):
    make_units()
    cycle = make_cycle()
    course = make_course("BB01")
    official = _situation(cycle, course, "A-RENEW", earned=3, due=date(2026, 2, 1), done=True)
    _obligation(official, cycle, course, date(2026, 9, 1), kind=RECERTIFICATION)
    db.session.commit()
    row = _rows(cycle)["A-RENEW"]
    assert (row.required, row.completed, row.overdue, row.status) == (1, 0, 0, "on_track")


def test_withdrawn_obligations_and_those_of_another_cycle_are_not_required(db):
    make_units()
    last_year, cycle = make_cycle(2025), make_cycle(2026)
    first, second = make_course("BB01"), make_course("BB02")
    official = _situation(cycle, first, "A-ONE", earned=3, due=date(2026, 3, 1), done=True)
    _obligation(official, cycle, second, date(2026, 4, 1), status=WITHDRAWN)
    _obligation(official, last_year, second, date(2025, 4, 1))  # left open last year
    db.session.commit()
    row = _rows(cycle)["A-ONE"]
    assert (row.required, row.completed, row.overdue, row.status) == (1, 1, 0, "met")


def test_an_open_obligation_counts_in_the_cycle_up_to_a_due_date_on_its_last_day(db):
    make_units()
    cycle = make_cycle()
    courses = [make_course(code) for code in ("BB01", "BB02", "BB03", "BB04")]
    official = _situation(cycle, courses[0], "A-END", earned=3)
    _obligation(official, cycle, courses[0], date(2026, 12, 30))  # the day before the end
    _obligation(official, cycle, courses[1], date(2026, 12, 31))  # the cycle's last day
    _obligation(official, cycle, courses[2], date(2027, 1, 1))  # after it: not this cycle's
    # done although due after the end (it arose late): it was required and is completed
    _obligation(official, cycle, courses[3], date(2027, 1, 5), status=DONE)
    db.session.commit()
    row = _rows(cycle)["A-END"]
    assert (row.required, row.completed, row.overdue) == (3, 1, 0)


# --- a closed statement's figures, the subtree filter and the rank ------------------------
def _statement(official, cycle, kind=FINAL, **figures):
    unit = unit_by_code("SNV-CCVC")
    db.session.add(
        Statement(
            official_id=official.id,
            cycle_id=cycle.id,
            kind=kind,
            unit_id=unit.id,
            employee_code=official.employee_code,
            full_name=official.full_name,
            gender=official.gender,
            unit_code=unit.code,
            unit_name=unit.name,
            closed_at=datetime(cycle.year + 1, 1, 5),
            **figures,
        )
    )


def test_a_closed_statement_gives_the_row_its_frozen_figures_and_status(db):
    make_units()
    last_year, cycle = make_cycle(2025), make_cycle(2026)
    course = make_course("BB01")
    closed = _situation(cycle, course, "A-CLOSED", target=3, earned=3, due=date(2026, 3, 1))
    _statement(
        closed, cycle, target_credits=5, earned_credits=2, mandatory_required=4,
        mandatory_completed=1, status="not_met",
    )  # fmt: skip
    live = _situation(cycle, course, "A-LIVE", target=3, earned=3, due=date(2026, 3, 1), done=True)
    _statement(
        live, last_year, target_credits=9, earned_credits=0, mandatory_required=7,
        mandatory_completed=0, status="not_met",
    )  # fmt: skip  # last year's closing freezes nothing this year
    _statement(
        live, cycle, REVIEW, target_credits=9, earned_credits=0, mandatory_required=7,
        mandatory_completed=0, status="not_met",
    )  # fmt: skip  # a review snapshot closes nothing
    db.session.commit()
    rows = _rows(cycle)
    frozen = rows["A-CLOSED"]
    assert (frozen.target, frozen.earned, frozen.required, frozen.completed) == (5, 2, 4, 1)
    assert (frozen.status, frozen.live_status) == ("not_met", "overdue")
    other = rows["A-LIVE"]
    assert (other.target, other.earned, other.required, other.completed) == (3, 3, 1, 1)
    assert other.status == other.live_status == "met" and other.closed_at is None


def test_the_rows_can_be_narrowed_to_a_subtree_and_carry_the_officials_rank(db):
    make_units()
    cycle = make_cycle()
    course = make_course("BB01")
    senior = _situation(cycle, course, "A-SNV", target=3)
    _situation(cycle, course, "A-WARD", target=3, unit="P-HAICHAU", position="XA-MC")
    promoted = org.AssignmentData("SNV-CCVC", "CM-CCVC", date(2026, 2, 1), "01.002")
    org.change_position(senior, promoted, actor=None)
    db.session.commit()
    within = unit_by_code("P-HAICHAU").path
    rows = db.session.execute(queries.standing_select(cycle, AS_OF, None, within)).all()
    assert [row.employee_code for row in rows] == ["A-WARD"]
    everyone = {row.employee_code: row for row in db.session.execute(
        queries.standing_select(cycle, AS_OF, None))}  # fmt: skip
    assert (everyone["A-SNV"].rank_code, everyone["A-WARD"].rank_code) == ("01.002", "01.003")
    assert len(everyone) == 2
