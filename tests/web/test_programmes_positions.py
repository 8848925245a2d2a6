"""A position's curriculum page lists the programmes it requires; a training manager requires
one more or removes one (audited), and a first certification is then due as a mandatory course
added that day is (DESIGN.md §3 "Due dates")."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.i18n import _
from lms.programmes import requirements
from lms.programmes.models import ProgrammeRequirement
from tests.conftest import csrf_token
from tests.factories import cycle_of, make_official, make_programme_scene


@pytest.fixture
def scene(world, assets_dir, freeze):
    freeze(date(2026, 3, 20))
    cycle_of(2026)
    programme, official, _courses = make_programme_scene()
    return programme, official


def _post(client, url: str, **data):
    token = csrf_token(client, "/me/programmes")
    return client.post(url, data={"csrf_token": token, **data})


def _positions(programme) -> list[str]:
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            select(ProgrammeRequirement.code).where(
                ProgrammeRequirement.programme_id == programme.id,
                ProgrammeRequirement.kind == "position",
            )
        )
    )


def _actions(code: str) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_id == code, AuditEntry.action.like("programme.%required"))
            .order_by(AuditEntry.id)
        )
    )


def test_the_manager_requires_a_programme_of_a_position_and_removes_it(scene, login_as):
    programme, _official = scene
    manager = login_as("manager")
    page = manager.get("/manage/curricula/CM-CCVC").get_data(as_text=True)
    assert _("Required programmes") in page and _("This position requires no programme.") in page
    answer = _post(manager, "/manage/curricula/CM-CCVC/programmes", programme="LDQL")
    assert answer.status_code == 302
    page = manager.get("/manage/curricula/CM-CCVC").get_data(as_text=True)
    assert 'data-programme="LDQL"' in page and "20/03/2026" in page
    row = db.session.get(ProgrammeRequirement, (programme.id, "position", "CM-CCVC"))
    assert row.arose_on == date(2026, 3, 20)
    again = _post(manager, "/manage/curricula/CM-CCVC/programmes", programme="LDQL")
    page = manager.get(again.location).get_data(as_text=True)
    assert _("Not a valid choice.") in page  # no longer offered
    answer = _post(manager, "/manage/curricula/CM-CCVC/programmes/LDQL/remove")
    assert answer.status_code == 302
    assert _positions(programme) == ["LD-PTP", "LD-TP"]
    assert _actions("LDQL") == ["programme.required", "programme.unrequired"]


def test_unknown_codes_are_404_and_other_roles_are_refused(scene, login_as):
    manager = login_as("manager")
    assert _post(manager, "/manage/curricula/NOPE/programmes", programme="LDQL").status_code == 404
    assert _post(manager, "/manage/curricula/CM-CCVC/programmes/NOPE/remove").status_code == 404
    # Not required of CM-CCVC: nothing to remove.
    assert _post(manager, "/manage/curricula/CM-CCVC/programmes/LDQL/remove").status_code == 404
    hr = login_as("hr")
    assert _post(hr, "/manage/curricula/LD-TP/programmes/LDQL/remove").status_code == 403
    assert _positions(scene[0]) == ["LD-PTP", "LD-TP"]
    assert _actions("LDQL") == []


def test_a_first_certification_is_due_as_a_mandatory_course_added_that_day(scene, freeze):
    _programme, official = scene  # CB-0100 heads a division (LD-TP) since 2020
    newcomer = make_official("CB-0101", "Lê Văn Mới", "SNV-CCVC", "LD-TP", date(2026, 6, 1))
    db.session.commit()
    # Required (imported) on 20/03/2026: due 180 days later, within the 2026 cycle.
    [item] = requirements.requirements_of(official.id, date(2026, 3, 20))
    assert item.status == "missing" and item.due_on == date(2026, 9, 16)
    # A post begun after: 180 days from its start, capped at the cycle's last day.
    [item] = requirements.requirements_of(newcomer.id, date(2026, 6, 1))
    assert item.due_on == date(2026, 11, 28)


def test_a_requirement_added_late_in_the_cycle_gives_the_notice_days(scene, freeze, login_as):
    _programme, official = scene
    freeze(date(2026, 12, 15))
    manager = login_as("manager")
    _post(manager, "/manage/curricula/CM-CCVC/programmes", programme="LDQL")
    holder = make_official("CB-0102", "Phạm Thị Lan", "SNV-CCVC", "CM-CCVC", date(2020, 1, 1))
    db.session.commit()
    [item] = requirements.requirements_of(holder.id, date(2026, 12, 15))
    assert item.due_on == date(2027, 1, 14)  # 30 days' notice, past the cycle's end
