"""What the head decides: nominating officials to a course (enrolled, told, shown on /me,
audited); external training that waits for the head when the unit asks for it — HR cannot
decide before the head, sees the head's decision, and a decline rejects it; HR's page of a
unit's heads and head settings."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.catalog.models import Enrolment
from lms.curricula.external import services as external
from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db
from lms.jobs.models import Notification
from lms.organisation.models import OrgUnit
from lms.teams import services
from lms.teams.models import HeadReview, Nomination
from tests.conftest import csrf_token
from tests.factories import PDF, make_course, make_cycle, make_head, make_learner

TRAINING = external.Submission(
    title="Kỹ năng chuyển đổi số",
    organiser="Học viện Hành chính Quốc gia",
    starts_on=date(2026, 3, 2),
    ends_on=date(2026, 3, 6),
    periods=30,
)


@pytest.fixture
def scene(world, freeze):
    freeze(date(2026, 4, 1))
    make_cycle(2026)
    make_course("KN01", kind="elective", title="Kỹ năng số")
    make_head()
    people = {
        "anh": make_learner("W-ANH", "Lê Thị Ánh"),
        "vu": make_learner("W-VU", "Trần Văn Vũ"),
    }
    db.session.commit()
    return people


def _ward():
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == "P-HAICHAU"))


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
    )


def _post(client, url, **data):
    token = csrf_token(client, "/auth/password")
    return client.post(url, data={"csrf_token": token, **data})


def test_the_head_nominates_two_officials(scene, login_as, app):
    head = login_as("head")
    page = head.get("/team/nominate?official=W-ANH").get_data(as_text=True)
    assert "KN01" in page and "Lê Thị Ánh" in page and "Người Dùng Man" not in page
    response = _post(
        head,
        "/team/nominate",
        course="KN01",
        officials=["W-ANH", "W-VU"],
        reason="Kế hoạch bồi dưỡng năm 2026",
        wanted_by="30/06/2026",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 2
    sources = set(db.session.scalars(select(Enrolment.source)))
    assert sources == {"nominated"}
    assert "nominated" in _kinds(scene["anh"])
    actions = list(db.session.scalars(select(AuditEntry.action)))
    assert actions.count("nomination.created") == 2
    # The official sees it on /me.
    client = app.test_client()
    from tests.conftest import login

    login(client, "w-anh")
    me = client.get("/me").get_data(as_text=True)
    assert "KN01" in me and "Kế hoạch bồi dưỡng năm 2026" in me and "30/06/2026" in me
    # Nominated again to the same course: nobody twice.
    _post(head, "/team/nominate", course="KN01", officials=["W-ANH"], reason="Lại")
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 2


def test_a_head_cannot_nominate_someone_else_s_official(scene, login_as):
    response = _post(
        login_as("head"), "/team/nominate", course="KN01", officials=["T-MAN"], reason="Thử"
    )
    assert response.status_code == 200  # the form again: T-MAN is no choice
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def _submit(user, tmp_path):
    record = external.submit(user.official_id, TRAINING, "cn.pdf", PDF, tmp_path, 10**6, actor=None)
    db.session.commit()
    return record


def test_external_training_waits_for_the_head_then_hr(scene, login_as, tmp_path, world):
    services.save_settings(_ward(), True, 0, None)
    db.session.commit()
    record = _submit(scene["anh"], tmp_path)
    assert db.session.get(HeadReview, record.id).status == "awaiting"
    assert "external_awaiting_head" in _kinds(make_head())
    hr = login_as("hr")
    assert "chờ thủ trưởng" in hr.get("/external/").get_data(as_text=True).lower()
    # HR cannot decide yet.
    _post(hr, f"/external/{record.id}/approve", credits="2")
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    head = login_as("head")
    assert "Kỹ năng chuyển đổi số" in head.get("/team/").get_data(as_text=True)
    response = _post(head, f"/team/external/{record.id}/approve", reason="Phù hợp vị trí")
    assert response.status_code == 302
    assert "head_decision" in _kinds(scene["anh"])
    detail = hr.get(f"/external/{record.id}").get_data(as_text=True)
    assert "Người Dùng Head" in detail and "Phù hợp vị trí" in detail
    assert _post(hr, f"/external/{record.id}/approve", credits="2").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 1
    assert "external.head_approved" in set(db.session.scalars(select(AuditEntry.action)))


def test_the_head_declines_with_a_reason(scene, login_as, tmp_path):
    services.save_settings(_ward(), True, 0, None)
    db.session.commit()
    record = _submit(scene["vu"], tmp_path)
    head = login_as("head")
    assert _post(head, f"/team/external/{record.id}/decline", reason="").status_code == 422
    assert (
        _post(head, f"/team/external/{record.id}/decline", reason="Không phù hợp").status_code
        == 302
    )
    db.session.expire_all()
    decided = db.session.get(ExternalRecord, record.id)
    assert decided.status == "rejected" and decided.decision_reason == "Không phù hợp"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"external.head_declined", "external.rejected"} <= actions
    assert "external_rejected" in _kinds(scene["vu"])


def test_without_the_setting_requests_go_straight_to_hr(scene, tmp_path):
    record = _submit(scene["anh"], tmp_path)
    assert db.session.get(HeadReview, record.id) is None


def test_hr_sets_a_unit_s_head_settings(scene, login_as):
    hr = login_as("hr")
    page = hr.get("/team/units/p-haichau").get_data(as_text=True)
    assert "Người Dùng Head" in page
    response = _post(hr, "/team/units/P-HAICHAU", head_approval="y", escalation_days="7")
    assert response.status_code == 302
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "team.settings_changed")
    )
    assert entry.after == {"head_approval": True, "escalation_days": 7}
    assert login_as("head").get("/team/units/P-HAICHAU").status_code == 403


def test_the_head_nominates_two_officials_to_a_class(scene, login_as):
    from lms.curricula.classes.models import ClassMember
    from tests.factories import make_class, make_in_person_course

    klass = make_class(make_in_person_course("VHCV"))
    db.session.commit()
    head = login_as("head")
    page = head.get("/team/nominate-class").get_data(as_text=True)
    assert "Lớp bồi dưỡng văn hóa công vụ 2026" in page
    response = _post(
        head,
        "/team/nominate-class",
        klass=str(klass.id),
        officials=["W-ANH", "W-VU"],
        reason="Theo kế hoạch",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    members = list(db.session.scalars(select(ClassMember).where(ClassMember.class_id == klass.id)))
    assert len(members) == 2 and {m.source for m in members} == {"nominated"}
    assert "class_enrolled" in _kinds(scene["anh"])


def test_the_head_nominates_after_the_sign_up_period_only_by_ticking_it(scene, login_as, freeze):
    """Issue 24: the sign-up period binds officials themselves; a head nominating after it
    ends must tick "Add outside the sign-up period" and is told they did."""
    from lms.curricula.classes.models import ClassMember
    from tests.factories import make_class, make_in_person_course

    klass = make_class(make_in_person_course("VHCV"), enrol_closes_on=date(2026, 4, 20))
    db.session.commit()
    freeze(date(2026, 4, 21))
    head = login_as("head")
    data = dict(klass=str(klass.id), officials=["W-ANH"], reason="Theo kế hoạch")
    refused = _post(head, "/team/nominate-class", **data)
    assert refused.status_code == 200  # the form again, with the reason
    assert "Thời hạn đăng ký lớp này đã kết thúc ngày 20/04/2026." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0
    done = _post(head, "/team/nominate-class", outside_period="y", **data)
    assert done.status_code == 302
    page = head.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm ngoài thời hạn đăng ký." in page
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1
