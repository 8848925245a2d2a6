"""Required programmes in the compliance figures (SQL, lms.compliance.programme_counts): a
programme not held counts as an open mandatory course — at risk within the cycle's at-risk days
of its due date, overdue the day after it — a held one as done, an expired one as a renewal due
on its expiry, and one due after the cycle's end not at all; the SQL agrees with the Python rule
(counts_of over requirements_of) and with /me's status."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.compliance import queries, snapshots, statements
from lms.compliance.models import REVIEW, Statement
from lms.compliance.my_training import my_training
from lms.compliance.programme_counts import counts_of, open_programmes
from lms.compliance.rules import compliance_status
from lms.extensions import db
from lms.organisation.queries import unit_by_code
from lms.programmes import services
from lms.programmes.models import ProgrammeRequirement
from lms.programmes.requirements import requirements_of
from tests.factories import cycle_of, make_official, make_programme_scene


@pytest.fixture
def scene(db, assets_dir, freeze):
    freeze(date(2026, 3, 20))  # LDQL is required of LD-TP from today: due 16/09/2026
    cycle = cycle_of(2026)
    programme, official, _courses = make_programme_scene()
    return cycle, programme, official


def _row(cycle, official, day: date):
    stmt = queries.standing_select(cycle, day, None).where(queries.Official.id == official.id)
    return db.session.execute(stmt).one()


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2026, 8, 16), "on_track"),  # due 31 days later
        (date(2026, 8, 17), "at_risk"),  # within the 30 at-risk days
        (date(2026, 9, 15), "at_risk"),  # the day before the due date
        (date(2026, 9, 16), "at_risk"),  # the due date: not yet overdue
        (date(2026, 9, 17), "overdue"),  # the day after
    ],
)
def test_a_programme_not_held_counts_as_an_open_mandatory_course(scene, freeze, day, status):
    cycle, _programme, official = scene
    freeze(day)
    row = _row(cycle, official, day)
    assert (row.programmes_required, row.programmes_completed) == (1, 0)
    assert row.live_status == status and (row.overdue > 0) == (status == "overdue")
    # overdue, and due within the at-risk days (an overdue one is also "due soon")
    assert (row.programmes_overdue, row.programmes_due_soon) == (
        int(status == "overdue"),
        int(day >= date(2026, 8, 17)),
    )
    assert my_training(official, day).standing.status == status


def test_a_held_programme_is_done_and_an_expired_one_is_a_renewal_due_on_its_expiry(scene, freeze):
    cycle, programme, official = scene
    services.import_historical(official, programme, "12/CC-2024", date(2024, 6, 30), None)
    db.session.commit()  # valid 24 months: until 30/06/2026
    row = _row(cycle, official, date(2026, 6, 30))
    assert (row.programmes_required, row.programmes_completed, row.live_status) == (1, 1, "met")
    row = _row(cycle, official, date(2026, 6, 1))  # held, the renewal not due yet
    assert row.live_status == "met"
    row = _row(cycle, official, date(2026, 7, 1))
    assert (row.programmes_completed, row.live_status) == (0, "overdue")


def test_a_revoked_chung_chi_does_not_count(scene, freeze):
    cycle, programme, official = scene
    held = services.import_historical(official, programme, "13/CC-2025", date(2025, 6, 30), None)
    services.revoke(held, "fraud", "Hồ sơ giả", None)
    db.session.commit()
    row = _row(cycle, official, date(2026, 10, 1))
    assert (row.programmes_completed, row.live_status) == (0, "overdue")


def test_a_programme_required_too_late_for_the_cycle_is_left_out(scene, freeze):
    cycle, programme, official = scene
    row = db.session.get(ProgrammeRequirement, (programme.id, "position", "LD-TP"))
    row.arose_on = date(2026, 12, 15)  # due 14/01/2027, after the cycle's end
    db.session.commit()
    standing = _row(cycle, official, date(2026, 12, 20))
    assert (standing.programmes_required, standing.live_status) == (0, "met")


def test_sql_and_python_agree(scene, freeze):
    """Parity: the SQL figures against counts_of(requirements_of(…)) and compliance_status,
    and the programmes the officials list shows owed against requirements_of, for officials in
    every state, on days around each due date."""
    cycle, programme, official = scene
    late = make_official("CB-0101", "Lê Văn Mới", "SNV-CCVC", "LD-TP", date(2026, 6, 1))
    held = make_official("CB-0102", "Đỗ Thị Có", "SNV-CCVC", "LD-TP", date(2019, 1, 1))
    expired = make_official("CB-0103", "Vũ Văn Cũ", "SNV-CCVC", "LD-TP", date(2018, 1, 1))
    services.import_historical(held, programme, "1/CC", date(2025, 2, 1), None)
    services.import_historical(expired, programme, "2/CC", date(2024, 3, 1), None)
    rank = make_official("CB-0104", "Hà Thị Ngạch", "SNV-CCVC", "CM-CCVC", date(2026, 2, 1))
    db.session.add(
        ProgrammeRequirement(
            programme_id=programme.id, kind="rank", code="01.003", arose_on=date(2026, 1, 5)
        )
    )
    db.session.commit()
    people = [official, late, held, expired, rank]
    days = [date(2026, m, d) for m in (1, 3, 6, 8, 9, 11, 12) for d in (1, 16, 17, 28)]
    owing = set()
    for day in days:
        freeze(day)
        owed = open_programmes([p.id for p in people], cycle, day)
        for person in people:
            listed = [(item.code, item.due_on) for item in owed.get(person.id, [])]
            wanted = [
                (item.code, item.due_on)
                for item in requirements_of(person.id, day)
                if item.status != "held"
            ]
            assert listed == wanted, (person.employee_code, day)
            owing |= {person.employee_code for _item in listed}
            row = _row(cycle, person, day)
            python = counts_of(requirements_of(person.id, day), cycle, day)
            assert row.programmes_required == python.required, (person.employee_code, day)
            assert row.programmes_completed == python.required - python.open
            expected = compliance_status(
                as_of=day,
                starts_on=cycle.starts_on,
                ends_on=cycle.ends_on,
                closed=False,
                target=row.target,
                earned=row.earned,
                open_obligations=python.open,
                earliest_open_due=python.earliest_due,
                at_risk_days=cycle.at_risk_days,
                pace_slack=cycle.pace_slack,
            )
            assert row.live_status == expected, (person.employee_code, day)
            assert my_training(person, day).standing.status == expected
    assert db.session.scalar(
        select(ProgrammeRequirement.code).where(ProgrammeRequirement.kind == "rank")
    )
    assert owing == {"CB-0100", "CB-0101", "CB-0103", "CB-0104"}  # all but the holder


@pytest.mark.parametrize(
    ("completed_on", "status"),
    [
        (None, "overdue"),  # never certified: due 16/09/2026
        (date(2026, 11, 30), "met"),  # the day before the review date
        (date(2026, 12, 1), "met"),  # the review date itself
        (date(2026, 12, 2), "overdue"),  # the day after: not held on the review date
    ],
)
def test_a_review_statement_counts_the_programmes_held_on_its_review_date(
    scene, freeze, completed_on, status
):
    """A review snapshot's status (lms.compliance.snapshots) counts a required programme as
    the live status does, as it stood on the review date: a chứng chỉ completed later does not
    make the official compliant on that day."""
    cycle, programme, official = scene
    freeze(date(2026, 12, 10))
    if completed_on is not None:
        services.import_historical(official, programme, "14/CC-2026", completed_on, None)
        db.session.commit()
    assert snapshots.review_cycle(cycle, unit_by_code("SNV"), None, date(2026, 12, 1)) >= 1
    statement = db.session.scalars(
        select(Statement).where(Statement.official_id == official.id, Statement.kind == REVIEW)
    ).one()
    assert statement.status == status
    held = statements.statement_for(official.id, cycle, date(2026, 12, 10))["programmes"]
    assert [item["status"] for item in held] == ["missing" if status == "overdue" else "held"]


def test_open_programmes_stand_in_by_a_day_of_their_band(scene):
    """Three open programmes, one overdue and one more due soon (the SQL's counts include the
    overdue among the due soon): the day before, the day itself, after the at-risk window."""
    from types import SimpleNamespace

    cycle, _programme, _official = scene
    day = date(2026, 12, 1)
    row = SimpleNamespace(
        programmes_required=4, programmes_completed=1, programmes_overdue=1, programmes_due_soon=2
    )
    later = day + timedelta(days=cycle.at_risk_days + 1)
    assert snapshots.programme_dues(row, cycle, day) == [date(2026, 11, 30), day, later]
    none = SimpleNamespace(
        programmes_required=1, programmes_completed=1, programmes_overdue=0, programmes_due_soon=0
    )
    assert snapshots.programme_dues(none, cycle, day) == []
