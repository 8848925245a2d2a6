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
