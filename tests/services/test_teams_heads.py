"""Who heads which unit (lms.teams.queries): by the post in the registry or named by HR, dated;
the head of an official's unit; a head's team; the role `head` that follows at each commit."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import HEAD, RoleGrant
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.models import OrgUnit
from lms.teams import queries, services
from lms.teams.models import HeadAssignment
from tests.factories import make_login, make_official, make_units


@pytest.fixture
def scene(db):
    make_units()
    people = {
        "truong": make_official("H-TP", "Trần Văn Trưởng", "SNV-CCVC", position="LD-TP"),
        "giamdoc": make_official("H-GD", "Lê Thị Giám", "SNV", position="LD-TP"),
        "an": make_official("S-AN", "Nguyễn Văn An", "SNV-CCVC"),
        "binh": make_official("S-BINH", "Phạm Thị Bình", "SNV-CCVC"),
        "xa": make_official("S-XA", "Võ Thị Xã", "P-HAICHAU", position="XA-MC"),
    }
    db.session.commit()
    return people


def _unit(code):
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def _head_grants():
    return {
        (grant.user.username, grant.unit.code)
        for grant in db.session.scalars(select(RoleGrant).where(RoleGrant.role == HEAD))
    }


def test_the_registry_gives_the_head_of_an_officials_unit(scene):
    assert [o.employee_code for o in queries.heads_of(scene["an"])] == ["H-TP"]
    # The head's own head is the head of the unit above.
    assert [o.employee_code for o in queries.heads_of(scene["truong"])] == ["H-GD"]
    assert queries.heads_of(scene["giamdoc"]) == []  # nobody heads DN
    assert queries.heads_of(scene["xa"]) == []


def test_a_team_is_the_subtree_of_the_headed_units_sorted_by_given_name(scene):
    assert [o.employee_code for o in queries.team_of(scene["truong"])] == ["S-AN", "S-BINH"]
    # The department's head sees the division too, its head included; not themselves.
    assert [o.employee_code for o in queries.team_of(scene["giamdoc"])] == [
        "S-AN",
        "S-BINH",
        "H-TP",
    ]
    assert queries.team_of(scene["an"]) == []


def test_headship_follows_the_post_and_its_dates(scene):
    truong = scene["truong"]
    org.change_position(
        truong, org.AssignmentData("SNV-CCVC", "CM-CCVC", date(2026, 7, 1), "01.003"), None
    )
    db.session.commit()
    assert [o.employee_code for o in queries.heads_of(scene["an"], date(2026, 6, 30))] == ["H-TP"]
    # From 1 July the division has no head of its own: the department's head answers.
    assert [o.employee_code for o in queries.heads_of(scene["an"], date(2026, 7, 1))] == ["H-GD"]


def test_hr_names_a_head_for_a_period(scene):
    unit = _unit("P-HAICHAU")
    services.assign_head(unit, scene["an"], date(2026, 1, 1), date(2026, 3, 31), "12/QĐ", None)
    db.session.commit()
    assert queries.heads_of(scene["xa"], date(2025, 12, 31)) == []
    assert [o.employee_code for o in queries.heads_of(scene["xa"], date(2026, 1, 1))] == ["S-AN"]
    assert [o.employee_code for o in queries.heads_of(scene["xa"], date(2026, 3, 31))] == ["S-AN"]
    assert queries.heads_of(scene["xa"], date(2026, 4, 1)) == []
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "head.assigned"))
    assert entry.object_id == "S-AN" and entry.after["unit"] == "P-HAICHAU"
    with pytest.raises(ValidationFailed):  # the same official, the same unit, overlapping
        services.assign_head(unit, scene["an"], date(2026, 3, 1), None, None, None)
    with pytest.raises(ValidationFailed):
        services.assign_head(unit, scene["binh"], date(2026, 3, 1), date(2026, 2, 1), None, None)


def test_the_head_role_follows_at_the_commit_without_a_manual_grant(scene):
    make_login(scene["truong"])
    make_login(scene["an"])
    assert _head_grants() == {("h-tp", "SNV-CCVC")}
    granted = [
        e.after
        for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "role.granted"))
    ]
    assert granted == [{"role": HEAD, "unit_id": _unit("SNV-CCVC").id, "source": "heads"}]
    # HR names An acting head of the ward: An gets the role at that commit.
    services.assign_head(_unit("P-HAICHAU"), scene["an"], date(2020, 1, 1), None, None, None)
    db.session.commit()
    assert _head_grants() == {("h-tp", "SNV-CCVC"), ("s-an", "P-HAICHAU")}
    # The Trưởng phòng leaves the post: the role goes at that commit.
    org.change_position(
        scene["truong"], org.AssignmentData("SNV-CCVC", "CM-CCVC", date(2024, 1, 1), "01.003"), None
    )
    db.session.commit()
    assert _head_grants() == {("s-an", "P-HAICHAU")}
    revoked = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role.revoked"))
    assert revoked.before == {"role": HEAD, "unit_id": _unit("SNV-CCVC").id, "source": "heads"}


def test_ending_a_named_headship_and_the_nightly_sync(scene, freeze):
    user = make_login(scene["an"])
    row = services.assign_head(_unit("P-HAICHAU"), scene["an"], date(2026, 1, 1), None, None, None)
    freeze(date(2026, 5, 1))
    db.session.commit()
    assert ("s-an", "P-HAICHAU") in _head_grants()
    services.end_head(row, date(2026, 5, 31), None)
    db.session.commit()
    assert ("s-an", "P-HAICHAU") in _head_grants()  # still head until 31 May
    freeze(date(2026, 6, 1))
    from lms.teams.jobs import sync_heads

    assert sync_heads(date(2026, 6, 1), lambda *_: None) == {"added": 0, "removed": 1}
    assert ("s-an", "P-HAICHAU") not in _head_grants()
    assert not db.session.get(type(user), user.id).roles() & {HEAD}
    assert db.session.scalar(select(HeadAssignment.ended_on)) == date(2026, 5, 31)


def test_officials_who_left_head_nothing(scene):
    scene["truong"].status = "retired"
    db.session.commit()
    assert [o.employee_code for o in queries.heads_of(scene["an"])] == ["H-GD"]


def test_settings_are_inherited_down_the_path(scene):
    assert queries.settings_for_official(scene["an"].id) is None
    services.save_settings(_unit("SNV"), True, 7, None)
    db.session.commit()
    found = queries.settings_for_official(scene["an"].id)
    assert found.head_approval and found.escalation_days == 7
    assert queries.settings_for_official(scene["xa"].id) is None
    with pytest.raises(ValidationFailed):
        services.save_settings(_unit("SNV"), True, -1, None)
