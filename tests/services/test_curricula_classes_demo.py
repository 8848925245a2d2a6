"""The demo's in-person class (lms/demo/classes.py): always upcoming from the day it is loaded,
three sessions with a trainer and a hall, the demo learner holding a place; loading again adds
nothing while it is upcoming, and a new one once it is over."""

from datetime import date, timedelta

from sqlalchemy import func, select

from lms.curricula.classes import enrolment
from lms.curricula.classes.models import TrainingClass
from lms.demo.classes import TITLE, load_classes
from tests.factories import make_in_person_course, make_learner, make_units


def test_the_demo_learner_holds_a_place_in_an_upcoming_class(db, freeze):
    freeze(date(2026, 12, 5))  # a Saturday
    make_units()
    make_in_person_course("BB03")
    learner = make_learner("DEMO0004", "Nguyễn Thị Ánh").official
    assert load_classes() == 1
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.title == TITLE))
    assert klass.starts_on == date(2026, 12, 21)  # the Monday after two weeks
    assert [s.starts_at.day for s in klass.class_sessions] == [21, 22, 23]
    assert all(s.trainer and s.venue for s in klass.class_sessions)
    assert [m.training_class for m in enrolment.upcoming_places(learner.id, date(2026, 12, 5))] == [
        klass
    ]
    assert load_classes() == 0
    assert load_classes(date(2026, 12, 23) + timedelta(days=1)) == 1
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 2


def test_the_demo_head_has_an_external_training_and_a_place_request_to_decide(db, freeze, tmp_path):
    """lms/demo/requests.py: two officials of the head's ward each wait for the head, once."""
    from lms.demo.requests import CLASS_TITLE, EXTERNAL_TITLE, load_requests
    from lms.teams import approvals, places
    from lms.teams.models import HeadReview, PlaceRequest
    from lms.teams.queries import head_users_of
    from tests.factories import make_head, make_official

    freeze(date(2026, 12, 5))
    make_units()
    make_in_person_course("VT03")
    head = make_head()
    first = make_official("DN000011", "Lê Thị Ánh", unit="P-HAICHAU", position="XA-MC")
    second = make_official("DN000012", "Vũ Công Ân", unit="P-HAICHAU", position="XA-MC")
    assert head_users_of(first) == [head]
    assert load_requests(tmp_path, 10**6) == 2
    review = db.session.scalar(select(HeadReview))
    assert review.status == approvals.AWAITING and review.record.official == first
    assert review.record.title == EXTERNAL_TITLE and review.record.ends_on < date(2026, 12, 5)
    asked = db.session.scalar(select(PlaceRequest))
    assert asked.official == second and asked.status == places.AWAITING
    assert asked.klass.title == CLASS_TITLE and asked.klass.starts_on > date(2026, 12, 5)
    assert places.awaiting_for_team([first.id, second.id]) == [asked]
    assert load_requests(tmp_path, 10**6) == 0  # once
    places.decline(asked, "Lớp đã đủ người.", head)
    assert load_requests(tmp_path, 10**6) == 0  # the head's decision stands
    assert db.session.scalar(select(func.count()).select_from(PlaceRequest)) == 1
