"""Adding officials to a class roster (HR and training managers) and nominating them (heads)
follow the sign-up rules, issue 24: the class's positions and units (an official it is not
open to is refused, named, with why, in Vietnamese), double booking refused, a full class
puts them on the waiting list; the sign-up period binds officials themselves, and a manager
adds outside it only when they tick "Add outside the sign-up period", with a notice — the
clock frozen the day before, of and after the period's end."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.curricula.classes import enrolment
from lms.curricula.classes.models import ClassMember, MemberStatus, TrainingClass
from lms.errors import RuleViolation
from lms.organisation.models import Official, Position
from tests.conftest import csrf_token
from tests.factories import make_class, make_in_person_course, make_official, make_session

JUNE = dict(starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 10))
CLOSES = date(2026, 6, 1)


@pytest.fixture
def setting(world, db, freeze):
    freeze(date(2026, 5, 20))
    make_official("DN000001", "Nguyễn Thị Hoa")  # CM-CCVC, SNV-CCVC
    make_official("DN000002", "Trần Văn Bình", position="XA-MC")
    make_official("DN000003", "Lê Thị Mai")
    cm = db.session.scalar(select(Position.id).where(Position.code == "CM-CCVC"))
    klass = make_class(
        make_in_person_course("VHCV01"),
        capacity=1,
        enrol_closes_on=CLOSES,
        position_ids=(cm,),
        **JUNE,
    )
    db.session.commit()
    return klass.id


def add(client, class_id, codes, **extra):
    page = f"/classes/{class_id}/roster"
    data = {"csrf_token": csrf_token(client, page), "codes": codes, **extra}
    return client.post(f"{page}/codes", data=data)


def status_of(db, class_id, code):
    return db.session.scalar(
        select(ClassMember.status)
        .join(Official, Official.id == ClassMember.official_id)
        .where(ClassMember.class_id == class_id, Official.employee_code == code)
    )


@pytest.mark.parametrize(
    ("day", "needs_confirmation"),
    [(date(2026, 5, 31), False), (CLOSES, False), (date(2026, 6, 2), True)],
    ids=["day-before-the-end", "day-of-the-end", "day-after-the-end"],
)
def test_adding_after_the_sign_up_period_needs_the_manager_s_confirmation(
    setting, login_as, db, freeze, day, needs_confirmation
):
    freeze(day)
    client = login_as("manager")
    page = client.get(f"/classes/{setting}/roster").get_data(as_text=True)
    assert ("Thời hạn đăng ký lớp này đã kết thúc ngày 01/06/2026." in page) is needs_confirmation
    response = add(client, setting, "DN000001")
    if needs_confirmation:
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert "Thời hạn đăng ký lớp này đã kết thúc ngày 01/06/2026." in text
        assert "Thêm ngoài thời hạn đăng ký" in text
        assert status_of(db, setting, "DN000001") is None  # nothing silently added
        response = add(client, setting, "DN000001", outside_period="y")
    assert response.status_code == 302
    assert status_of(db, setting, "DN000001") == MemberStatus.ENROLLED
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Đã thêm ngoài thời hạn đăng ký." in shown) is needs_confirmation
    event = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "class.roster_added"))
    assert bool((event.after or {}).get("outside_period")) is needs_confirmation


def test_an_official_the_class_is_not_open_to_is_refused_and_told_why(setting, login_as, db):
    response = add(login_as("manager"), setting, "DN000001\nDN000002")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "DN000002" in text
    assert (
        "Không thể tham gia lớp này: vị trí việc làm của họ (Công chức tiếp nhận và trả kết "
        "quả (một cửa) cấp xã) không thuộc các vị trí được tham gia lớp: Chuyên viên về quản "
        "lý công chức, viên chức." in text
    )
    assert status_of(db, setting, "DN000001") is None  # all or nothing


def test_a_full_class_waitlists_and_a_double_booking_is_refused(setting, login_as, db):
    klass = db.session.get(TrainingClass, setting)
    make_session(klass, date(2026, 6, 8), "08:00", "11:30")
    other = make_class(klass.course, title="Lớp kỹ năng số", **JUNE)
    make_session(other, date(2026, 6, 8), "10:00", "12:00")
    mai = db.session.scalar(select(Official).where(Official.employee_code == "DN000003"))
    enrolment.enrol(other, mai, source="hr", by_user=None)
    db.session.commit()
    client = login_as("manager")
    refused = add(client, setting, "DN000003")
    assert refused.status_code == 422
    assert "DN000003" in refused.get_data(as_text=True)
    assert status_of(db, setting, "DN000003") is None
    assert add(client, setting, "DN000001").status_code == 302
    hung = make_official("DN000004", "Phạm Văn Hùng")
    db.session.commit()
    assert add(client, setting, hung.employee_code).status_code == 302
    assert status_of(db, setting, "DN000004") == MemberStatus.WAITLISTED


def test_a_head_s_nomination_follows_the_same_rules(setting, db, freeze):
    klass = db.session.get(TrainingClass, setting)
    officials = {
        o.employee_code: o
        for o in db.session.scalars(select(Official).where(Official.employee_code.like("DN%")))
    }
    with pytest.raises(RuleViolation) as refused:
        enrolment.enrol(klass, officials["DN000002"], source="nominated", by_user=None)
    assert refused.value.code == "eligible"
    assert "Trần Văn Bình" in refused.value.message
    freeze(date(2026, 6, 2))
    with pytest.raises(RuleViolation) as late:
        enrolment.enrol(klass, officials["DN000001"], source="nominated", by_user=None)
    assert late.value.code == "window_closed"
    member = enrolment.enrol(
        klass, officials["DN000001"], source="nominated", by_user=None, outside_period=True
    )
    assert member.status == MemberStatus.ENROLLED
