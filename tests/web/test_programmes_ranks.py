"""A programme's page lists the civil-service ranks that require it; a training manager requires
it of one more rank or no longer (audited, as a position's required programmes on its
curriculum page), and the officials of that rank then owe it, due as a mandatory course added
that day is (DESIGN.md §3 "Due dates"); removing it ends the obligation."""

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
    programme, _official, _courses = make_programme_scene()
    # A chuyên viên (rank 01.003) in a post LDQL's positions do not cover.
    holder = make_official("CB-0102", "Phạm Thị Lan", "SNV-CCVC", "CM-CCVC", date(2020, 1, 1))
    db.session.commit()
    return programme, holder


def _post(client, url: str, **data):
    token = csrf_token(client, "/me/programmes")
    return client.post(url, data={"csrf_token": token, **data})


def _ranks(programme) -> list[str]:
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            select(ProgrammeRequirement.code).where(
                ProgrammeRequirement.programme_id == programme.id,
                ProgrammeRequirement.kind == "rank",
            )
        )
    )


def _audit(code: str) -> list[tuple[str, dict | None]]:
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_id == code, AuditEntry.action.like("programme.%required"))
        .order_by(AuditEntry.id)
    )
    return [(e.action, e.after or e.before) for e in entries]


def test_the_manager_requires_a_programme_of_a_rank_and_its_officials_owe_it(scene, login_as):
    programme, holder = scene
    assert requirements.requirements_of(holder.id, date(2026, 3, 20)) == []
    manager = login_as("manager")
    page = manager.get("/manage/programmes/LDQL").get_data(as_text=True)
    assert _("Ranks that require it") in page and _("No rank requires this programme.") in page
    assert 'value="01.003"' in page and _("Require of a rank") in page
    answer = _post(manager, "/manage/programmes/LDQL/ranks", rank="01.003")
    assert answer.status_code == 302
    page = manager.get(answer.location).get_data(as_text=True)
    assert 'data-rank="01.003"' in page and "20/03/2026" in page and "Chuyên viên" in page
    assert 'value="01.003"' not in page  # no longer offered
    assert _ranks(programme) == ["01.003"]
    # The chuyên viên now owes LDQL: required 20/03/2026, due 180 days later.
    [item] = requirements.requirements_of(holder.id, date(2026, 3, 20))
    assert (item.code, item.status, item.due_on) == ("LDQL", "missing", date(2026, 9, 16))
    again = _post(manager, "/manage/programmes/LDQL/ranks", rank="01.003")
    text = manager.get(again.location).get_data(as_text=True)
    assert _("This rank already requires programme %(code)s.", code="LDQL") in text
    answer = _post(manager, "/manage/programmes/LDQL/ranks/01.003/remove")
    assert answer.status_code == 302
    assert _ranks(programme) == []
    assert requirements.requirements_of(holder.id, date(2026, 3, 21)) == []
    assert [action for action, _data in _audit("LDQL")] == [
        "programme.required",
        "programme.unrequired",
    ]
    assert _audit("LDQL")[0][1]["rank"] == "01.003"


def test_a_bad_rank_code_is_refused_with_a_message_and_nothing_written(scene, login_as):
    programme, _holder = scene
    manager = login_as("manager")
    answer = _post(manager, "/manage/programmes/LDQL/ranks", rank="99.999")
    text = manager.get(answer.location).get_data(as_text=True)
    assert _("There is no rank with the code %(code)s.", code="99.999") in text
    answer = _post(manager, "/manage/programmes/LDQL/ranks", rank="")
    text = manager.get(answer.location).get_data(as_text=True)
    assert _("This field is required.") in text
    assert _ranks(programme) == [] and _audit("LDQL") == []


def test_unknown_codes_are_404_and_learners_heads_and_hr_may_not_change(scene, login_as):
    programme, _holder = scene
    manager = login_as("manager")
    assert manager.get("/manage/programmes/NOPE").status_code == 404
    assert _post(manager, "/manage/programmes/NOPE/ranks", rank="01.003").status_code == 404
    assert _post(manager, "/manage/programmes/LDQL/ranks/01.003/remove").status_code == 404
    db.session.add(ProgrammeRequirement(programme_id=programme.id, kind="rank", code="01.002"))
    db.session.commit()
    for role in ("learner", "head", "hr"):
        client = login_as(role)
        assert _post(client, "/manage/programmes/LDQL/ranks", rank="01.003").status_code == 403
        assert _post(client, "/manage/programmes/LDQL/ranks/01.002/remove").status_code == 403
    assert login_as("learner").get("/manage/programmes/LDQL").status_code == 403
    # hr sees who requires it, without the forms.
    page = login_as("hr").get("/manage/programmes/LDQL").get_data(as_text=True)
    assert 'data-rank="01.002"' in page and _("Require of a rank") not in page
    assert _ranks(programme) == ["01.002"] and _audit("LDQL") == []
