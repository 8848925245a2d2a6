"""The obligations engine on the database: targets and obligations written for a cycle, rank
curricula, concurrent posts, completions, closed cycles, re-runs after a position change (through
lms.organisation.services, on commit), and a query count that does not grow with officials."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.compliance.models import CycleClosure
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.obligations import closures, hooks
from lms.curricula.obligations import engine as obligations
from lms.curricula.obligations.models import (
    DONE,
    MANDATORY,
    OPEN,
    RECERTIFICATION,
    WITHDRAWN,
    Obligation,
    OfficialTarget,
)
from lms.extensions import db as _db
from lms.organisation import services as org
from lms.organisation.models import Official, OrgUnit
from tests.conftest import count_queries
from tests.factories import (
    make_course,
    make_curriculum,
    make_cycle,
    make_official,
    make_units,
)

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


def obligations_of(official, cycle) -> dict:
    rows = _db.session.scalars(
        select(Obligation).where(
            Obligation.official_id == official.id, Obligation.cycle_id == cycle.id
        )
    )
    return {(row.course.code, row.kind): row for row in rows}


def target_of(official, cycle) -> OfficialTarget | None:
    return _db.session.scalar(
        select(OfficialTarget).where(
            OfficialTarget.official_id == official.id, OfficialTarget.cycle_id == cycle.id
        )
    )


@pytest.fixture
def setup(db, freeze):
    """Units, two courses mandatory for CM-CCVC (3 TC), VT02 for XA-MC (4 TC), cycle 2026."""
    freeze(date(2026, 6, 1))
    make_units()
    courses = {code: make_course(code) for code in ("BB01", "VT01", "VT02", "LD01")}
    make_curriculum("CM-CCVC", "3", [courses["BB01"], courses["VT01"]])
    make_curriculum("XA-MC", "4", [courses["BB01"], courses["VT02"]])
    make_curriculum("LD-TP", "6", [courses["LD01"]])
    cycle = make_cycle()
    _db.session.commit()
    return courses, cycle


def test_refresh_writes_the_target_and_the_mandatory_courses(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An", started_on=date(2020, 1, 1))
    report = obligations.refresh([official.id], cycle)
    assert report.officials == 1 and report.inserted == 2 and report.targets_written == 1
    target = target_of(official, cycle)
    assert (target.target_credits, target.months) == (Decimal(3), 12)
    rows = obligations_of(official, cycle)
    assert set(rows) == {("BB01", MANDATORY), ("VT01", MANDATORY)}
    # first known on 01/06 (the go-live): due 180 days after that day, not before it arose
    assert {r.due_on for r in rows.values()} == {date(2026, 11, 28)}
    assert {r.arose_on for r in rows.values()} == {date(2026, 6, 1)}
    assert {r.status for r in rows.values()} == {OPEN}


def test_a_second_refresh_writes_nothing(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    obligations.refresh([official.id], cycle)
    _db.session.commit()
    again = obligations.refresh([official.id], cycle)
    assert (again.inserted, again.updated, again.withdrawn, again.targets_written) == (0, 0, 0, 0)
    assert not _db.session.dirty and not _db.session.new


def test_a_mid_cycle_joiner_gets_a_pro_rated_target_and_180_days(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An", started_on=date(2026, 7, 1))
    obligations.refresh([official.id], cycle, as_of=date(2026, 7, 1))
    assert target_of(official, cycle).target_credits == Decimal("1.5")
    assert obligations_of(official, cycle)[("BB01", MANDATORY)].due_on == date(2026, 12, 28)


def test_a_rank_specific_curriculum_wins_over_the_general_one(setup):
    courses, cycle = setup
    make_curriculum("CM-CCVC", "5", [courses["LD01"]], rank="01.003")  # make_official's rank
    official = make_official("A1", "Nguyễn Văn An")
    obligations.refresh([official.id], cycle)
    assert set(obligations_of(official, cycle)) == {("LD01", MANDATORY)}
    assert target_of(official, cycle).target_credits == Decimal(5)


def test_a_concurrent_post_adds_its_courses_and_the_highest_target_counts(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    org.add_concurrent(official, org.AssignmentData("SNV", "LD-TP", date(2026, 7, 1)), None)
    obligations.refresh([official.id], cycle, as_of=date(2026, 7, 1))
    rows = obligations_of(official, cycle)
    assert set(rows) == {("BB01", MANDATORY), ("VT01", MANDATORY), ("LD01", MANDATORY)}
    assert rows[("LD01", MANDATORY)].due_on == date(2026, 12, 28)
    # 6 months at 3 + 6 months at 6 = 54 / 12 = 4.5
    assert target_of(official, cycle).target_credits == Decimal("4.5")


def test_a_valid_completion_from_an_earlier_cycle_satisfies_the_course(setup):
    courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    old = record_completion(
        CompletionData(official.id, courses["BB01"].id, date(2024, 5, 2), "historical", "h:1")
    ).completion
    obligations.refresh([official.id], cycle)
    row = obligations_of(official, cycle)[("BB01", MANDATORY)]
    assert (row.status, row.completion_id) == (DONE, old.id)


def test_a_revoked_completion_reopens_the_course(setup):
    courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    done = record_completion(
        CompletionData(official.id, courses["BB01"].id, date(2026, 3, 2), "historical", "h:1")
    ).completion
    obligations.refresh([official.id], cycle)
    assert obligations_of(official, cycle)[("BB01", MANDATORY)].status == DONE
    done.revoked_at, done.revoked_reason = date(2026, 5, 1), "Nhập nhầm"
    obligations.refresh([official.id], cycle)
    assert obligations_of(official, cycle)[("BB01", MANDATORY)].status == OPEN


def test_a_certificate_expiring_in_the_cycle_adds_a_recertification_due_at_expiry(setup):
    _courses, cycle = setup
    course = make_course("AT01", validity_months=24)
    leaders = _db.session.scalar(select(Curriculum).where(Curriculum.target_credits == 6))
    leaders.courses = [CurriculumCourse(course_id=course.id)]
    official = make_official("A1", "Nguyễn Văn An", position="LD-TP")
    record_completion(CompletionData(official.id, course.id, date(2024, 7, 1), "historical", "h:1"))
    obligations.refresh([official.id], cycle, as_of=date(2026, 6, 1))
    rows = obligations_of(official, cycle)
    assert rows[("AT01", MANDATORY)].status == DONE
    assert rows[("AT01", RECERTIFICATION)].status == OPEN
    assert rows[("AT01", RECERTIFICATION)].due_on == date(2026, 7, 1)
    renewal = record_completion(
        CompletionData(official.id, course.id, date(2026, 6, 20), "historical", "h:2")
    ).completion
    assert rows[("AT01", RECERTIFICATION)].status == DONE  # marked by the completion service
    report = obligations.refresh([official.id], cycle, as_of=date(2026, 6, 20))
    assert report.updated == 0  # the engine agrees
    assert rows[("AT01", RECERTIFICATION)].completion_id == renewal.id


def test_changing_position_through_organisation_refreshes_obligations_on_commit(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    _db.session.commit()  # the hook runs: obligations of CM-CCVC written
    rows = obligations_of(official, cycle)
    assert set(rows) == {("BB01", MANDATORY), ("VT01", MANDATORY)}
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 1)), None)
    assert obligations_of(official, cycle)[("VT01", MANDATORY)].status == OPEN  # not yet
    _db.session.commit()
    _db.session.expire_all()
    rows = obligations_of(official, cycle)
    assert rows[("VT01", MANDATORY)].status == WITHDRAWN
    assert rows[("VT01", MANDATORY)].withdrawn_reason == "position_ended"
    assert rows[("VT02", MANDATORY)].status == OPEN
    assert rows[("VT02", MANDATORY)].due_on == date(2026, 11, 28)
    # BB01 is required by both posts without a break: its due date does not move
    assert rows[("BB01", MANDATORY)].due_on == date(2026, 11, 28)
    # 5 months at 3 (Jan–May) + 7 at 4 = 43 / 12 = 3.58 → 4
    assert target_of(official, cycle).target_credits == Decimal(4)


def test_a_rolled_back_change_refreshes_nothing(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    _db.session.commit()
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 1)), None)
    _db.session.rollback()
    assert _db.session.info.get(hooks.PENDING) is None
    _db.session.commit()
    assert set(obligations_of(official, cycle)) == {("BB01", MANDATORY), ("VT01", MANDATORY)}


def test_an_ended_concurrent_post_withdraws_its_open_courses(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    post = org.add_concurrent(official, org.AssignmentData("SNV", "LD-TP", date(2026, 2, 1)), None)
    _db.session.commit()
    assert obligations_of(official, cycle)[("LD01", MANDATORY)].status == OPEN
    org.end_assignment(post, date(2026, 5, 31), None)
    _db.session.commit()
    row = obligations_of(official, cycle)[("LD01", MANDATORY)]
    assert (row.status, row.withdrawn_reason) == (WITHDRAWN, "position_ended")


def test_a_course_leaving_the_curriculum_is_withdrawn_not_deleted(setup):
    courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    obligations.refresh([official.id], cycle)
    curriculum = _db.session.scalar(select(Curriculum).where(Curriculum.target_credits == 3))
    curriculum.courses = [c for c in curriculum.courses if c.course_id != courses["VT01"].id]
    _db.session.flush()
    report = obligations.refresh([official.id], cycle)
    assert report.withdrawn == 1
    row = obligations_of(official, cycle)[("VT01", MANDATORY)]
    assert (row.status, row.withdrawn_reason) == (WITHDRAWN, "curriculum_changed")
    assert row.withdrawn_at is not None
    # put back: the same row is reopened
    curriculum.courses.append(CurriculumCourse(course_id=courses["VT01"].id))
    _db.session.flush()
    obligations.refresh([official.id], cycle)
    row = obligations_of(official, cycle)[("VT01", MANDATORY)]
    assert (row.status, row.withdrawn_reason, row.withdrawn_at) == (OPEN, None, None)
    assert _db.session.scalar(select(func.count()).select_from(Obligation)) == 2


def test_done_obligations_stay_done_after_the_position_changes(setup):
    courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    _db.session.commit()
    record_completion(
        CompletionData(official.id, courses["VT01"].id, date(2026, 4, 1), "manual", "m:1")
    )
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 1)), None)
    _db.session.commit()
    assert obligations_of(official, cycle)[("VT01", MANDATORY)].status == DONE


def _close(cycle, unit_code: str, action: str = "close"):
    unit_id = _db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    _db.session.add(CycleClosure(cycle_id=cycle.id, unit_id=unit_id, action=action))
    _db.session.flush()


def test_a_cycle_closed_for_the_unit_is_left_alone(setup, freeze):
    _courses, cycle = setup
    inside = make_official("A1", "Nguyễn Văn An")  # SNV-CCVC, under SNV
    outside = make_official("A2", "Trần Thị Bình", unit="P-HAICHAU")
    _close(cycle, "SNV")
    report = obligations.refresh([inside.id, outside.id], cycle)
    assert (report.officials, report.skipped_closed) == (1, 1)
    assert target_of(inside, cycle) is None and target_of(outside, cycle) is not None
    freeze(date(2026, 6, 2))
    _close(cycle, "SNV-CCVC", "reopen")  # an administrator re-opens a subtree
    assert obligations.refresh([inside.id], cycle).officials == 1
    freeze(date(2026, 6, 3))
    _close(cycle, "DN")  # later, the whole city closes
    assert obligations.refresh([inside.id, outside.id], cycle).skipped_closed == 2


def test_is_closed_takes_the_latest_row_of_the_unit_and_its_ancestors():
    rows = [("/1/", (1,), "close"), ("/1/2/", (2,), "reopen")]
    assert closures.is_closed("/1/2/5/", rows) is False
    assert closures.is_closed("/1/3/", rows) is True
    assert closures.is_closed("/9/", rows) is False
    assert closures.is_closed(None, rows) is False
    assert closures.is_closed("/1/2/", [*rows, ("/1/", (3,), "close")]) is True


def test_compute_writes_nothing(setup):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    [computed] = obligations.compute([official.id], cycle)
    assert computed.target.credits == Decimal(3) and len(computed.planned) == 2
    assert _db.session.scalar(select(func.count()).select_from(Obligation)) == 0


def test_the_query_count_does_not_grow_with_the_number_of_officials(setup):
    _courses, cycle = setup
    few = [make_official(f"F{n}", "Lê Văn Phúc").id for n in range(2)]
    many = [make_official(f"M{n}", "Lê Văn Phúc").id for n in range(25)]
    _db.session.flush()
    assert cycle.year  # loaded before counting
    counts = []
    for ids in (few, many):
        with count_queries() as n:
            obligations.refresh(ids, cycle)
        counts.append(n[0])
    assert counts[0] == counts[1]
    assert _db.session.scalar(select(func.count()).select_from(Obligation)) == 2 * 27
    with count_queries() as n:  # an update run
        for official_id in many:
            _db.session.add(
                Completion(
                    official_id=official_id,
                    course_id=setup[0]["BB01"].id,
                    completed_on=date(2026, 5, 1),
                    source="manual",
                    source_ref=f"x:{official_id}",
                )
            )
        _db.session.flush()
    with count_queries() as n:
        report = obligations.refresh(many, cycle)
    assert report.updated == 25 and n[0] <= counts[0] + 1


def test_batches_split_large_lists(setup, monkeypatch):
    _courses, cycle = setup
    monkeypatch.setattr(obligations, "BATCH", 2)
    ids = [make_official(f"B{n}", "Lê Văn Phúc").id for n in range(5)]
    report = obligations.refresh(ids + ids[:2], cycle)  # duplicates counted once
    assert report.officials == 5 and report.inserted == 10


def test_no_cycle_means_the_hook_does_nothing(db):
    make_units()
    official = make_official("A1", "Nguyễn Văn An")
    _db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(OfficialTarget)) == 0
    assert official.id


def test_no_curriculum_at_all_means_the_hook_leaves_targets_alone(db, freeze):
    freeze(date(2026, 6, 1))
    make_units()
    cycle = make_cycle()
    official = make_official("A1", "Nguyễn Văn An")
    _db.session.add(
        OfficialTarget(official_id=official.id, cycle_id=cycle.id, target_credits=Decimal(3))
    )
    _db.session.commit()
    assert target_of(official, cycle).target_credits == Decimal(3)


# --- command line -------------------------------------------------------------------------


def test_cli_refresh_writes_every_official_and_reports(setup, runner):
    from lms.curricula.obligations.cli import curricula_cli

    for n in range(3):
        make_official(f"C{n}", "Lê Văn Phúc")
    _db.session.commit()  # the session hook writes their obligations; start again without
    _db.session.execute(Obligation.__table__.delete())
    _db.session.execute(OfficialTarget.__table__.delete())
    _db.session.commit()
    result = runner.invoke(curricula_cli, ["refresh", "--cycle", "2026"])
    assert result.exit_code == 0, result.output
    assert "3 officials refreshed" in result.output and "6 added" in result.output
    assert _db.session.scalar(select(func.count()).select_from(OfficialTarget)) == 3
    again = runner.invoke(curricula_cli, ["refresh"])  # default: the cycle containing today
    assert again.exit_code == 0 and "0 added, 0 updated, 0 withdrawn" in again.output


def test_cli_refresh_refuses_an_unknown_cycle(setup, runner):
    from lms.curricula.obligations.cli import curricula_cli

    result = runner.invoke(curricula_cli, ["refresh", "--cycle", "1999"])
    assert result.exit_code != 0 and "1999" in result.output


def test_cli_demo_creates_cycles_and_curricula_once_and_refreshes(db, runner, freeze):
    from lms.curricula.obligations.cli import curricula_cli
    from lms.demo.loader import load_reference

    freeze(date(2026, 6, 1))
    load_reference()
    _db.session.commit()
    refused = runner.invoke(curricula_cli, ["demo"])
    assert refused.exit_code != 0 and "courses import" in refused.output
    for code in ("BB01", "BB02", "BB03", "VT01", "VT02", "VT03", "VT04", "VT07", "VT08", "LD02"):
        make_course(code)
    make_official("D1", "Nguyễn Thị Ánh", unit="P-HAICHAU", position="XA-MC")
    _db.session.commit()
    result = runner.invoke(curricula_cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "4 cycles and 13 curricula added" in result.output
    assert "LD01" in result.output  # not in the catalog: warned, skipped
    assert _db.session.scalar(select(func.count()).select_from(Cycle)) == 4  # 2024–2027
    official = _db.session.scalar(select(Official.id).where(Official.employee_code == "D1"))
    y2026 = _db.session.scalar(select(Cycle.id).where(Cycle.year == 2026))
    owed = _db.session.scalars(
        select(Obligation).where(Obligation.official_id == official, Obligation.cycle_id == y2026)
    ).all()
    assert {o.course.code for o in owed} == {"BB01", "BB02", "BB03", "VT02", "VT03"}
    # The curricula were set at the cycle's start: the whole cycle to do them, not 30 days.
    assert {(o.arose_on, o.due_on) for o in owed} == {(date(2026, 1, 1), date(2026, 12, 31))}
    again = runner.invoke(curricula_cli, ["demo"])
    assert "0 cycles and 0 curricula added" in again.output


def test_officials_imported_in_bulk_get_their_obligations_when_the_import_commits(setup):
    """The import writes posts in bulk, past the session's tracking: it tells curricula by a
    signal, so HR sees the new officials' courses at once, not after the nightly refresh."""
    from lms.common.tabular import read_table
    from lms.organisation import imports
    from tests.services.test_organisation_officials_import import person, to_xlsx

    _courses, cycle = setup

    def run(rows):
        table = read_table("f.xlsx", to_xlsx(rows), 50 * 1024 * 1024)
        imports.apply_plan(imports.plan_officials(table, None), actor=None)
        _db.session.commit()
        _db.session.expire_all()

    run([person(1), person(2)])
    officials = _db.session.scalars(select(Official).order_by(Official.employee_code)).all()
    assert [o.employee_code for o in officials] == ["HR00001", "HR00002"]
    for official in officials:
        assert set(obligations_of(official, cycle)) == {("BB01", MANDATORY), ("VT01", MANDATORY)}
        assert target_of(official, cycle).target_credits == Decimal(3)
    run([person(1, unit="P-HAICHAU", position="XA-MC", started="01/06/2026"), person(2)])
    moved = obligations_of(officials[0], cycle)
    assert moved[("VT01", MANDATORY)].status == WITHDRAWN
    assert moved[("VT02", MANDATORY)].status == OPEN
    assert set(obligations_of(officials[1], cycle)) == {("BB01", MANDATORY), ("VT01", MANDATORY)}


# --- due dates a person can meet (issue 17) -------------------------------------------------


def test_a_requirement_keeps_the_day_it_arose_when_recomputed_later(setup, freeze):
    _courses, cycle = setup
    official = make_official("A1", "Nguyễn Văn An")
    obligations.refresh([official.id], cycle)  # 01/06: known from today
    _db.session.commit()
    freeze(date(2026, 9, 1))
    again = obligations.refresh([official.id], cycle)
    assert (again.inserted, again.updated) == (0, 0)
    assert {r.due_on for r in obligations_of(official, cycle).values()} == {date(2026, 11, 28)}


@pytest.mark.parametrize(
    ("added_on", "due"),
    [
        (date(2026, 11, 30), date(2026, 12, 31)),
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 12, 2), date(2027, 1, 1)),
        (date(2026, 12, 20), date(2027, 1, 19)),
    ],
)
def test_a_course_added_to_the_curriculum_in_december_is_not_held_against_the_cycle(
    setup, freeze, added_on, due
):
    """A course added to CM-CCVC's curriculum late in the year is due at least 30 days later,
    even after 31/12; then the cycle's close does not make the official `not_met` for it (on
    today's main it is due on 31/12 and the official, who has their credits, is not met)."""
    from lms.compliance import queries, statements
    from lms.compliance.models import Statement
    from lms.curricula.ledger import services as ledger

    courses, cycle = setup
    freeze(date(2025, 12, 15))  # the official and the curriculum were known before 2026
    official = make_official("A1", "Nguyễn Văn An")
    obligations.refresh([official.id], cycle)
    for number, code in enumerate(("BB01", "VT01"), start=1):
        record_completion(
            CompletionData(official.id, courses[code].id, date(2026, 3, 1), "manual", f"m:{number}")
        )
    ledger.append(ledger.NewEntry(official.id, date(2026, 3, 2), Decimal(3), "manual", "Học"))
    _db.session.commit()
    freeze(added_on)
    curriculum = _db.session.scalar(select(Curriculum).where(Curriculum.target_credits == 3))
    curriculum.courses.append(CurriculumCourse(course_id=courses["LD01"].id))
    _db.session.flush()
    obligations.refresh_open_cycles([official.id])
    _db.session.commit()
    row = obligations_of(official, cycle)[("LD01", MANDATORY)]
    assert (row.due_on, row.arose_on, row.status) == (due, added_on, OPEN)
    # The last day of the cycle: the SQL (dashboard) and the rules (/me) agree.
    freeze(date(2026, 12, 31))
    sub = queries.filtered(cycle, date(2026, 12, 31), None, queries.Filters())
    live = _db.session.execute(select(sub.c.status, sub.c.required, sub.c.completed)).one()
    counted = due <= cycle.ends_on
    assert live.status == ("at_risk" if counted else "met")  # due within 30 days, or left out
    assert (live.required, live.completed) == ((3, 2) if counted else (2, 2))
    from lms.compliance.my_training import my_training

    assert my_training(official, date(2026, 12, 31)).standing.status == live.status
    freeze(date(2027, 1, 5))
    dn = _db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    statements.close_cycle(cycle, dn, None, date(2027, 1, 5))
    _db.session.commit()
    frozen = _db.session.scalar(select(Statement).where(Statement.official_id == official.id))
    assert frozen.status == ("not_met" if counted else "met")


@pytest.mark.parametrize(
    ("expires", "status"),
    [
        (date(2025, 12, 31), OPEN),  # expired the day before the cycle starts
        (date(2026, 1, 1), DONE),  # expires on the cycle's first day
        (date(2026, 1, 2), DONE),
        (date(2026, 11, 27), DONE),  # the day before the due date
        (date(2026, 11, 28), DONE),  # on the due date itself
        (date(2026, 11, 29), DONE),
    ],
)
def test_recording_a_completion_and_the_engine_apply_one_validity_rule(setup, expires, status):
    """Issue 20, survivor 6: a completion valid when the requirement starts meets the mandatory
    course — the same when it is recorded (satisfy_obligations) and when the engine plans it
    (rules.plan); on main the first wanted it valid on the due date, so an old certificate
    expiring in the cycle left the course open until the night's refresh closed it."""
    courses, cycle = setup
    courses["BB01"].validity_months = 12
    official = make_official("A1", "Nguyễn Văn An", started_on=date(2020, 1, 1))
    obligations.refresh([official.id], cycle)
    _db.session.commit()
    row = obligations_of(official, cycle)[("BB01", MANDATORY)]
    # Required since 2020, known from today (01/06): due 180 days on.
    assert (row.status, row.due_on) == (OPEN, date(2026, 11, 28))
    completed = date(expires.year - 1, expires.month, expires.day)
    recorded = record_completion(
        CompletionData(official.id, courses["BB01"].id, completed, "historical", "h:1")
    ).completion
    assert recorded.expires_on == expires
    when_recorded = (row.status, row.completion_id)
    obligations.refresh([official.id], cycle)
    _db.session.commit()
    row = obligations_of(official, cycle)[("BB01", MANDATORY)]
    expected = (status, recorded.id if status == DONE else None)
    assert when_recorded == (row.status, row.completion_id) == expected


def test_a_post_taken_in_the_cycle_is_judged_from_its_start_when_recorded(setup):
    """A completion that expired before the post began does not meet the course, when recorded
    as when planned; one still valid on the post's first day does."""
    courses, cycle = setup
    courses["BB01"].validity_months = 12
    official = make_official("A1", "Nguyễn Văn An", started_on=date(2026, 4, 1))
    obligations.refresh([official.id], cycle)
    _db.session.commit()
    row = obligations_of(official, cycle)[("BB01", MANDATORY)]
    for ref, expires, status in (("h:1", date(2026, 3, 31), OPEN), ("h:2", date(2026, 4, 1), DONE)):
        completed = date(expires.year - 1, expires.month, expires.day)
        record_completion(
            CompletionData(official.id, courses["BB01"].id, completed, "historical", ref)
        )
        when_recorded = row.status
        obligations.refresh([official.id], cycle)
        _db.session.commit()
        row = obligations_of(official, cycle)[("BB01", MANDATORY)]
        assert when_recorded == row.status == status, expires
