"""Joining an in-person class: capacity and the waiting list, promotion in the cancelling
transaction, who may sign up (mode, window, positions and units), the cancellation deadline,
clashes (an official, a trainer, a venue), and 50 sign-ups for 30 places at once on
PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.curricula.classes import enrolment
from lms.curricula.classes import services as classes
from lms.curricula.classes.models import ClassMember, MemberStatus
from lms.errors import RuleViolation, ValidationFailed
from lms.jobs.models import Notification
from tests.factories import (
    make_class,
    make_in_person_course,
    make_learner,
    make_official,
    make_session,
    make_trainer,
    make_units,
    make_venue,
)
from tests.services.test_curricula_ledger import _in_threads, _postgresql

pytestmark = pytest.mark.usefixtures("english")
JUNE = dict(starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 10))


@pytest.fixture
def scene(db, freeze):
    freeze(date(2026, 5, 20))
    make_units()
    course = make_in_person_course("VHCV01")
    people = {
        code: make_official(code, name)
        for code, name in (
            ("DN01", "Nguyễn Thị Hoa"),
            ("DN02", "Trần Văn Bình"),
            ("DN03", "Lê Văn An"),
        )
    }
    klass = make_class(course, capacity=2, join_mode="open", **JUNE)
    make_session(klass, date(2026, 6, 8))
    db.session.commit()
    return {"class": klass, "course": course, **people}


def status(klass, official) -> str:
    return enrolment._member(klass, official.id).status


def test_a_full_class_puts_the_next_official_on_the_waiting_list(scene, db):
    klass = scene["class"]
    for code in ("DN01", "DN02", "DN03"):
        enrolment.enrol(klass, scene[code], source="signup", by_user=None)
    assert [status(klass, scene[c]) for c in ("DN01", "DN02", "DN03")] == [
        "enrolled",
        "enrolled",
        "waitlisted",
    ]
    assert enrolment.free_places(klass) == 0


def test_a_cancellation_promotes_the_first_waiting_in_the_same_transaction(scene, db):
    klass = scene["class"]
    members = [
        enrolment.enrol(klass, scene[c], source="hr", by_user=None)
        for c in ("DN01", "DN02", "DN03")
    ]
    db.session.commit()
    promoted = enrolment.cancel(members[0], by_user=None, reason="Bận công tác")
    assert [m.official.employee_code for m in promoted] == ["DN03"]
    db.session.rollback()  # nothing committed: the cancellation and the promotion go together
    assert status(klass, scene["DN01"]) == "enrolled"
    assert status(klass, scene["DN03"]) == "waitlisted"


def test_enrolling_again_returns_the_place_and_a_cancelled_official_queues_at_the_end(scene, db):
    klass = scene["class"]
    first = enrolment.enrol(klass, scene["DN01"], source="signup", by_user=None)
    assert enrolment.enrol(klass, scene["DN01"], source="signup", by_user=None) is first
    enrolment.cancel(first, by_user=None)
    again = enrolment.enrol(klass, scene["DN01"], source="nominated", by_user=None)
    assert again.id == first.id and again.status == "enrolled" and again.source == "nominated"


def test_each_step_sends_the_official_a_message(scene, db):
    user = make_learner("DN09", "Phạm Thị Thu", unit="SNV-CCVC", position="CM-CCVC")
    official = user.official
    klass = scene["class"]
    enrolment.enrol(klass, scene["DN01"], source="hr", by_user=None)
    enrolment.enrol(klass, scene["DN02"], source="hr", by_user=None)
    waiting = enrolment.enrol(klass, official, source="signup", by_user=None)
    enrolment.cancel(enrolment._member(klass, scene["DN01"].id), by_user=None)
    enrolment.cancel(waiting, by_user=None)
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()
    assert kinds == ["class_waitlisted", "class_promoted", "class_cancelled"]


def test_sign_up_needs_an_open_class_its_window_and_a_matching_post(scene, db, freeze):
    klass = scene["class"]
    nominated = make_class(scene["course"], title="Lớp chỉ định", **JUNE)
    with pytest.raises(RuleViolation, match="nominated officials only"):
        enrolment.enrol(nominated, scene["DN01"], source="signup", by_user=None)
    enrolment.enrol(nominated, scene["DN01"], source="nominated", by_user=None)  # a head may

    data = classes.ClassData(
        **{**classes._values(klass), "enrol_closes_on": date(2026, 5, 19), "capacity": 2}
    )
    classes.save_class(klass, data, None)
    with pytest.raises(RuleViolation, match="closed"):
        enrolment.enrol(klass, scene["DN02"], source="signup", by_user=None)
    data = classes.ClassData(
        **{**classes._values(klass), "enrol_closes_on": date(2026, 5, 20), "capacity": 2}
    )
    classes.save_class(klass, data, None)  # the closing day itself is still open
    enrolment.enrol(klass, scene["DN02"], source="signup", by_user=None)

    from lms.organisation.models import OrgUnit, Position

    haichau = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "P-HAICHAU"))
    data = classes.ClassData(**{**classes._values(klass), "unit_ids": (haichau,)})
    classes.save_class(klass, data, None)
    with pytest.raises(RuleViolation, match="not open to your position or unit"):
        enrolment.enrol(klass, scene["DN03"], source="signup", by_user=None)
    ward = make_official("HC01", "Võ Thị Lan", unit="P-HAICHAU", position="XA-MC")
    mc = db.session.scalar(select(Position.id).where(Position.code == "XA-MC"))
    data = classes.ClassData(
        **{**classes._values(klass), "unit_ids": (haichau,), "position_ids": (mc,)}
    )
    classes.save_class(klass, data, None)
    assert enrolment.enrol(klass, ward, source="signup", by_user=None).status == "enrolled"


def test_an_official_cancels_until_the_day_before_the_first_day(scene, db, freeze):
    klass = scene["class"]  # first day 8 June
    member = enrolment.enrol(klass, scene["DN01"], source="signup", by_user=None)
    db.session.commit()
    freeze(date(2026, 6, 8))
    with pytest.raises(RuleViolation, match="deadline to cancel was 07/06/2026"):
        enrolment.cancel(member, by_user=None, by_official=True)
    enrolment.cancel(member, by_user=None)  # the training manager still can
    assert member.status == "cancelled"
    freeze(date(2026, 6, 7))
    other = enrolment.enrol(klass, scene["DN02"], source="signup", by_user=None)
    enrolment.cancel(other, by_user=None, by_official=True)
    assert other.status == "cancelled"


def test_an_official_is_never_booked_into_overlapping_sessions(scene, db):
    other = make_class(scene["course"], title="Lớp kỹ năng số", **JUNE)
    make_session(other, date(2026, 6, 8), "11:00", "12:00")
    enrolment.enrol(other, scene["DN01"], source="hr", by_user=None)
    with pytest.raises(RuleViolation, match="already has a class at that time: Lớp kỹ năng số"):
        enrolment.enrol(scene["class"], scene["DN01"], source="signup", by_user=None)
    # back to back is no clash
    later = make_class(scene["course"], title="Lớp chiều", **JUNE)
    make_session(later, date(2026, 6, 8), "12:00", "16:00")
    enrolment.enrol(later, scene["DN01"], source="hr", by_user=None)
    # a session added later that overlaps an enrolled official's other class is refused
    make_session(later, date(2026, 6, 9), "08:00", "09:00")
    with pytest.raises(ValidationFailed, match="another class at that time: Nguyễn Thị Hoa"):
        make_session(other, date(2026, 6, 9), "08:30", "10:00")


def test_a_trainer_or_a_venue_in_two_overlapping_sessions_is_refused(scene, db):
    trainer, hall = make_trainer(), make_venue(capacity=40)
    small = make_venue("Phòng họp nhỏ", capacity=1)
    make_session(scene["class"], date(2026, 6, 9), venue_id=hall.id, trainer_id=trainer.id)
    other = make_class(scene["course"], title="Lớp khác", **JUNE)
    with pytest.raises(ValidationFailed, match="TS. Phạm Minh Đức already teaches"):
        make_session(other, date(2026, 6, 9), "11:00", "12:00", trainer_id=trainer.id)
    with pytest.raises(ValidationFailed, match="is booked at that time"):
        make_session(other, date(2026, 6, 9), "07:00", "08:01", venue_id=hall.id)
    with pytest.raises(ValidationFailed, match="seats 1, fewer than the class's 2 places"):
        make_session(scene["class"], date(2026, 6, 10), venue_id=small.id)
    session = make_session(other, date(2026, 6, 9), "11:30", "13:00", trainer_id=trainer.id)
    assert session.training_class.sessions == 1
    with pytest.raises(ValidationFailed, match="within the class's dates"):
        make_session(other, date(2026, 6, 11))


def test_more_places_promote_the_waiting_list(scene, db):
    klass = scene["class"]
    for code in ("DN01", "DN02", "DN03"):
        enrolment.enrol(klass, scene[code], source="hr", by_user=None)
    classes.save_class(klass, classes.ClassData(**{**classes._values(klass), "capacity": 3}), None)
    assert status(klass, scene["DN03"]) == "enrolled"
    with pytest.raises(ValidationFailed):
        classes.save_class(
            klass, classes.ClassData(**{**classes._values(klass), "capacity": 2}), None
        )


def test_the_attendance_rule_defaults_to_full_attendance(scene, db):
    data = classes.ClassData(scene["course"].id, scene["class"].unit_id, "Lớp", *JUNE.values())
    assert classes.save_class(None, data, None).min_attendance_percent == 100


def test_fifty_sign_ups_for_thirty_places_at_once_never_exceed_the_capacity(app, db, freeze):
    if not _postgresql(app):
        pytest.skip("row locks: PostgreSQL only (docs/testing.md)")
    freeze(date(2026, 5, 20))
    make_units()
    course = make_in_person_course("VHCV02")
    klass = make_class(course, capacity=30, join_mode="open", **JUNE)
    ids = [make_official(f"CC{i:03d}", f"Công Chức {i}").id for i in range(50)]
    db.session.commit()
    class_id = klass.id

    def sign_up(i: int) -> None:
        from lms.curricula.classes.models import TrainingClass
        from lms.extensions import db as session_db
        from lms.organisation.models import Official

        enrolment.enrol(
            session_db.session.get(TrainingClass, class_id),
            session_db.session.get(Official, ids[i]),
            source="signup",
            by_user=None,
        )

    errors = _in_threads(app, sign_up, 50)
    assert errors == [None] * 50
    db.session.expire_all()
    counts = dict(
        db.session.execute(
            select(ClassMember.status, func.count())
            .where(ClassMember.class_id == class_id)
            .group_by(ClassMember.status)
        ).all()
    )
    assert counts == {MemberStatus.ENROLLED: 30, MemberStatus.WAITLISTED: 20}
