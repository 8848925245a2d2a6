"""The demo's training evaluations (lms/demo/evaluations.py): officials who completed the
course most of them did answer its evaluation and the effectiveness survey (and heads answer
too), enough for the reports to break each part down; the demo learner gets two evaluations to
answer; loading again adds nothing."""

from datetime import date

from sqlalchemy import func, select

from lms.auth.scope import Scope
from lms.demo.evaluations import load_evaluations
from lms.extensions import db
from lms.jobs.models import Notification
from lms.surveys.evaluation import reports, services
from lms.surveys.evaluation.models import EvaluationRequest, EvaluationResponse
from lms.surveys.models import SurveyResponse
from tests.factories import (
    make_completion,
    make_course,
    make_learner,
    make_questionnaires,
    make_units,
    make_user,
)

YEAR = reports.Period(date(2026, 1, 1), date(2026, 12, 31))


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (SurveyResponse, EvaluationResponse, EvaluationRequest, Notification)
    )


def test_demo_evaluations_are_answered_and_the_learner_has_two_to_answer_once(db, freeze):
    freeze(date(2026, 12, 5))
    make_units()
    make_questionnaires()
    popular, other = make_course("BB01"), make_course("BB02")
    for n in range(10):
        official = make_learner(f"DEMO1{n:02d}", f"Phạm Văn Dân {n}").official
        make_completion(official, popular, date(2026, 5, 1 + n), source="historical")
    learner = make_user("learner")
    make_completion(learner.official, other, date(2026, 9, 1), source="historical")
    db.session.commit()

    added = load_evaluations()
    db.session.commit()
    assert added == {"answers": 8 + 8 + 5, "requests": 8 + 2}
    found = {g.role: g for g in reports.groups("effectiveness", "course", YEAR, Scope(None))}
    assert (found["self"].responses, found["head"].responses) == (8, 5)
    assert found["self"].shown and found["head"].shown
    (course,) = reports.groups("course", "course", YEAR, Scope(None))
    assert (course.key, course.responses, course.shown) == (popular.id, 8, True)
    pending = services.open_requests(learner.id)
    assert {(r.questionnaire, r.course_id) for r in pending} == {
        (services.COURSE, other.id),
        (services.EFFECTIVENESS, other.id),
    }
    counts = _counts()

    assert load_evaluations() == {"answers": 0, "requests": 0}
    db.session.commit()
    assert _counts() == counts
