"""The issue's scenario, on a frozen clock: a head of division required to hold the leadership
programme's chứng chỉ completes two of its three course sets in 2026 and the last in 2027, gets
the chứng chỉ in 2027 (its own serial series), it expires in 2029, and the shorter renewal path
(one refresher course) renews it; the statement of each year says so."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.compliance.statements import statement_for
from lms.programmes import requirements
from lms.programmes.models import ProgrammeCertificate
from tests.factories import cycle_of, make_completion, make_programme_scene


@pytest.fixture
def scene(db, assets_dir):
    return make_programme_scene()


def _programmes(official, year, as_of):
    statement = statement_for(official.id, cycle_of(year), as_of)
    assert statement is not None
    return {item["code"]: item for item in statement["programmes"]}


def _chung_chi(db, official):
    return list(
        db.session.scalars(
            select(ProgrammeCertificate)
            .where(ProgrammeCertificate.official_id == official.id)
            .order_by(ProgrammeCertificate.completed_on)
        )
    )


def test_leadership_programme_from_2026_to_its_renewal_in_2029(scene, db, freeze):
    programme, official, courses = scene
    for year in (2026, 2027, 2028, 2029):
        cycle_of(year)
    db.session.commit()

    freeze(date(2026, 3, 10))
    make_completion(official, courses["BB01"], date(2026, 3, 10), commit=True)
    make_completion(official, courses["BB02"], date(2026, 4, 2), commit=True)
    freeze(date(2026, 9, 15))
    make_completion(official, courses["LD02"], date(2026, 9, 15), commit=True)
    assert _chung_chi(db, official) == []

    freeze(date(2026, 12, 31))
    year_2026 = _programmes(official, 2026, date(2026, 12, 31))["LDQL"]
    assert year_2026["status"] == "missing" and year_2026["path"] == "certification"
    assert (year_2026["sets_done"], year_2026["sets_total"]) == (2, 3)
    assert year_2026["next_set"] == "Kỹ năng số trong lãnh đạo, quản lý"

    freeze(date(2027, 3, 10))
    make_completion(official, courses["TC01"], date(2027, 3, 10), commit=True)
    [first] = _chung_chi(db, official)
    assert first.serial == "DN-CC-2027-000001" and first.path == "certification"
    assert first.completed_on == date(2027, 3, 10) and first.expires_on == date(2029, 3, 10)
    assert first.holder_name == "Trần Thị Ngọc Hà"
    assert [line[0] for line in first.courses] == ["BB01", "BB02", "LD02", "BB03", "TC01"]

    freeze(date(2027, 12, 31))
    year_2027 = _programmes(official, 2027, date(2027, 12, 31))["LDQL"]
    assert year_2027["status"] == "held" and year_2027["certificate"] == first.serial
    assert year_2027["expires_on"] == date(2029, 3, 10) and year_2027["due_on"] is None
    freeze(date(2028, 12, 31))
    assert _programmes(official, 2028, date(2028, 12, 31))["LDQL"]["status"] == "held"

    freeze(date(2029, 3, 11))  # the day after its expiry: the renewal is owed
    owed = requirements.requirements_of(official.id, date(2029, 3, 11))[0]
    assert owed.status == "renew" and owed.due_on == date(2029, 3, 10)
    assert (
        owed.path == "recertification" and owed.next_set == "Cập nhật kiến thức lãnh đạo, quản lý"
    )

    freeze(date(2029, 5, 2))
    make_completion(official, courses["LD02"], date(2029, 5, 2), commit=True)
    first_again, renewal = _chung_chi(db, official)
    assert first_again.id == first.id  # the history keeps the first certification period
    assert renewal.path == "recertification" and renewal.serial == "DN-CC-2029-000001"
    assert renewal.expires_on == date(2031, 5, 2)
    assert [line[0] for line in renewal.courses] == ["LD02"]

    freeze(date(2029, 12, 31))
    year_2029 = _programmes(official, 2029, date(2029, 12, 31))["LDQL"]
    assert year_2029["status"] == "held" and year_2029["certificate"] == renewal.serial
    # the 2027 statement still tells what was true in 2027
    assert _programmes(official, 2027, date(2029, 12, 31))["LDQL"]["certificate"] == first.serial


def test_a_later_course_completion_while_held_issues_nothing(scene, db, freeze):
    programme, official, courses = scene
    cycle_of(2026), cycle_of(2027)
    freeze(date(2026, 6, 1))
    for code in ("BB01", "BB02", "LD02", "BB03"):
        make_completion(official, courses[code], date(2026, 6, 1), commit=True)
    assert len(_chung_chi(db, official)) == 1
    freeze(date(2027, 2, 1))
    make_completion(official, courses["LD02"], date(2027, 2, 1), commit=True)
    assert len(_chung_chi(db, official)) == 1  # the renewal window opens in 2027-12
