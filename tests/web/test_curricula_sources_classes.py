"""In-person classes as a training manager uses them: create, build the roster (search without
accents, paste codes), record results on one page; scoped to the manager's units."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.auth import services as auth
from lms.auth.models import TRAINING_MANAGER
from lms.curricula.classes.models import ClassMember, TrainingClass
from lms.curricula.completions.models import Completion
from lms.curricula.ledger import services as ledger
from lms.organisation.models import OrgUnit
from tests.conftest import csrf_token
from tests.factories import make_class, make_in_person_course, make_official

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def setting(world, db, freeze):
    freeze(date(2026, 5, 20))
    make_official("DN000001", "Nguyễn Thị Hoa")
    make_official("DN000002", "Trần Văn Bình", unit="P-HAICHAU")
    course = make_in_person_course("VHCV01")
    klass = make_class(course)
    db.session.commit()
    return klass.id


def post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_only_training_managers_and_admins_open_the_classes(setting, login_as):
    for role in ("learner", "hr", "reviewer"):
        assert login_as(role).get("/classes/").status_code == 403
    page = login_as("manager").get("/classes/").get_data(as_text=True)
    assert "Lớp bồi dưỡng văn hóa công vụ 2026" in page


def test_a_manager_creates_a_class_for_a_course(setting, login_as, db):
    client = login_as("manager")
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV-CCVC"))
    response = post(
        client,
        "/classes/new",
        "/classes/new",
        course="VHCV01",
        unit=str(unit_id),
        title="Lớp tháng 9",
        location="Phòng họp số 2",
        starts_on="2026-09-07",
        ends_on="2026-09-09",
        sessions="6",
        min_attendance_percent="75",
    )
    assert response.status_code == 302 and "/roster" in response.location
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.title == "Lớp tháng 9"))
    assert (klass.sessions, klass.min_attendance_percent) == (6, 75)
    bad = post(
        client,
        "/classes/new",
        "/classes/new",
        course="NOPE",
        unit=str(unit_id),
        title="X",
        starts_on="2026-09-09",
        ends_on="2026-09-07",
        sessions="1",
        min_attendance_percent="80",
    )
    assert bad.status_code == 200
    assert db.session.scalar(select(TrainingClass).where(TrainingClass.title == "X")) is None


def test_the_roster_search_finds_officials_without_accents_and_adds_them(setting, login_as, db):
    client = login_as("manager")
    page = client.get(f"/classes/{setting}/roster?q=nguyen thi hoa").get_data(as_text=True)
    assert "Nguyễn Thị Hoa (DN000001)" in page
    response = post(
        client,
        f"/classes/{setting}/roster/pick",
        f"/classes/{setting}/roster",
        picked=["DN000001"],
    )
    assert response.status_code == 302
    assert db.session.scalar(select(ClassMember.official_id)) is not None


def test_pasted_codes_with_an_unknown_one_add_nothing_and_keep_the_text(setting, login_as, db):
    client = login_as("manager")
    response = post(
        client,
        f"/classes/{setting}/roster/codes",
        f"/classes/{setting}/roster",
        codes="DN000001\nDN404",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "DN404" in page and "DN000001\nDN404</textarea>" in page
    assert db.session.scalar(select(ClassMember.id)) is None
    ok = post(
        client,
        f"/classes/{setting}/roster/codes",
        f"/classes/{setting}/roster",
        codes="DN000001, DN000002",
    )
    assert ok.status_code == 302
    assert len(db.session.scalars(select(ClassMember)).all()) == 2


def _results(client, class_id, rows, reason=""):
    data = {"reason": reason}
    for i, (member_id, sessions, score, outcome) in enumerate(rows):
        data |= {
            f"rows-{i}-member_id": str(member_id),
            f"rows-{i}-sessions_attended": sessions,
            f"rows-{i}-score": score,
            f"rows-{i}-result": outcome,
        }
    return post(client, f"/classes/{class_id}/results", f"/classes/{class_id}/results", **data)


def test_results_are_recorded_in_bulk_and_a_pass_writes_credits(setting, login_as, db):
    client = login_as("manager")
    post(
        client,
        f"/classes/{setting}/roster/codes",
        f"/classes/{setting}/roster",
        codes="DN000001 DN000002",
    )
    ids = {m.official.employee_code: m.id for m in db.session.scalars(select(ClassMember))}
    form = client.get(f"/classes/{setting}/results").get_data(as_text=True)
    assert 'name="rows-1-result"' in form
    low = _results(client, setting, [(ids["DN000001"], "3", "9", "passed")])
    assert low.status_code == 422 and "(4 of 5 sessions)" in low.get_data(as_text=True)
    assert db.session.scalar(select(Completion.id)) is None
    done = _results(
        client,
        setting,
        [(ids["DN000001"], "5", "9,5", "passed"), (ids["DN000002"], "0", "", "absent")],
    )
    assert done.status_code == 302
    detail = client.get(done.location).get_data(as_text=True)
    assert "9,5" in detail or "9.5" in detail
    completion = db.session.scalar(select(Completion))
    assert completion.score == Decimal("9.5")
    cycle_id = ledger.cycle_for(date(2026, 5, 8)).id
    assert ledger.balance(completion.official_id, cycle_id) == Decimal(2)
    withdraw = _results(client, setting, [(ids["DN000001"], "5", "9,5", "failed")])
    assert withdraw.status_code == 422  # the reason is missing
    _results(client, setting, [(ids["DN000001"], "5", "4", "failed")], reason="Chấm nhầm bài")
    assert ledger.balance(completion.official_id, cycle_id) == Decimal(0)


def test_a_manager_sees_only_classes_of_their_units(setting, login_as, db, world):
    course = db.session.scalar(select(TrainingClass)).course
    ward = make_class(course, unit="P-HAICHAU", title="Lớp phường Hải Châu")
    snv = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV"))
    auth.grant_role(world["reviewer"], TRAINING_MANAGER, snv, actor=None)
    db.session.commit()
    client = login_as("reviewer")
    listing = client.get("/classes/").get_data(as_text=True)
    assert "Lớp bồi dưỡng văn hóa công vụ 2026" in listing
    assert "Lớp phường Hải Châu" not in listing
    assert client.get(f"/classes/{ward.id}").status_code == 404
    assert client.get(f"/classes/{ward.id}/results").status_code == 404
    search = client.get(f"/classes/{setting}/roster?q=DN000002").get_data(as_text=True)
    assert "Trần Văn Bình" not in search  # the ward official is outside SNV
