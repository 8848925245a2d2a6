"""The figures of a compliance standing row (lms/compliance/queries.py standing_select), not
only its status, pinned where make mutation found the suite loose (docs/testing.md, "Mutation
testing"): an official with no target row and no mandatory course is met with zeros, and the
required / completed / overdue counts are the obligations'."""

from datetime import date

from lms.compliance import queries
from lms.curricula.obligations.models import Obligation
from lms.extensions import db
from lms.organisation import services as org
from tests.factories import make_course, make_cycle, make_official, make_target, make_units
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
