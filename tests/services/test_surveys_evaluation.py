"""Training evaluation (issue 26): a completion asks its learner the course (or class and
trainer) evaluation once, told in the inbox; the answer is stored by the engine without the
user and a second is refused; the effectiveness survey goes out on its day (frozen clock: day
before nothing, day of the official and their head once, day after nothing, a missed night
caught up once); reports show a group's breakdown from 5 respondents only."""

from datetime import date

import pytest
from sqlalchemy import inspect, select

from lms.auth.scope import Scope
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.jobs.models import Notification
from lms.surveys import reports as citizen_reports
from lms.surveys.evaluation import reports, services
from lms.surveys.evaluation.models import EvaluationRequest, EvaluationResponse
from lms.surveys.models import SurveyAnswer, SurveyResponse
from tests.factories import (
    make_class,
    make_completion,
    make_course,
    make_head,
    make_in_person_course,
    make_learner,
    make_questionnaires,
    make_session,
    make_trainer,
    make_units,
)

ANSWERS = {
    "objectives": ["4"],
    "relevance": ["5"],
    "materials": ["3"],
    "overall": ["4"],
    "duration": ["1"],
    "comment": ["Gọi tôi 0905 123 456 nhé"],
}
YEAR = reports.Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def scene(db, freeze):
    freeze(date(2026, 3, 10))
    make_units()
    make_questionnaires()
    course = make_course("BB01")
    head = make_head()
    db.session.commit()
    return {"course": course, "head": head}


def _learner(n: int):
    return make_learner(f"E-{n:02d}", f"Nguyễn Văn Học {n}")


def _requests(user, questionnaire=None):
    stmt = select(EvaluationRequest).where(EvaluationRequest.user_id == user.id)
    if questionnaire:
        stmt = stmt.where(EvaluationRequest.questionnaire == questionnaire)
    return list(db.session.scalars(stmt.order_by(EvaluationRequest.id)))


def _notices(user):
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.kind == services.NOTICE
            )
        )
    )


def test_an_online_completion_asks_the_course_evaluation_once(scene):
    learner = _learner(1)
    completion = make_completion(learner.official, scene["course"], date(2026, 3, 10))
    db.session.commit()
    (req,) = _requests(learner)
    assert (req.questionnaire, req.completion_id, req.is_answered) == (
        services.COURSE,
        completion.id,
        False,
    )
    assert len(_notices(learner)) == 1
    assert services.ask_after_completion(completion) == []  # asked before: not again
    assert len(_requests(learner)) == 1 and len(_notices(learner)) == 1


def test_an_imported_record_asks_nothing(scene):
    learner = _learner(1)
    make_completion(learner.official, scene["course"], date(2025, 3, 10), source="historical")
    db.session.commit()
    assert _requests(learner) == []


def test_the_answer_is_stored_without_the_user_and_a_second_is_refused(scene):
    learner = _learner(1)
    make_completion(learner.official, scene["course"])
    (req,) = _requests(learner)
    services.submit(req, ANSWERS, actor=learner)
    db.session.commit()
    assert req.is_answered
    for model in (SurveyResponse, SurveyAnswer, EvaluationResponse):
        columns = {c.key for c in inspect(model).columns}
        assert not columns & {"user_id", "official_id", "request_id"}, model
    (context,) = db.session.scalars(select(EvaluationResponse)).all()
    assert context.course_id == scene["course"].id
    texts = db.session.scalars(select(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None)))
    assert list(texts) == ["Gọi tôi ••• nhé"]  # the phone number masked before it is stored
    with pytest.raises(RuleViolation):
        services.submit(req, ANSWERS, actor=learner)
    assert db.session.query(SurveyResponse).count() == 1
    # The citizens' index does not count it.
    assert citizen_reports.years() == []


def test_missing_or_impossible_answers_are_refused(scene):
    learner = _learner(1)
    make_completion(learner.official, scene["course"])
    db.session.commit()
    (req,) = _requests(learner)
    with pytest.raises(ValidationFailed):
        services.submit(req, {"objectives": ["9"]}, actor=learner)
    db.session.rollback()
    assert not db.session.get(EvaluationRequest, req.id).is_answered
    other = _learner(2)
    with pytest.raises(Exception):  # noqa: B017 — another user's request: NotFound
        services.submit(db.session.get(EvaluationRequest, req.id), ANSWERS, actor=other)


def test_a_class_pass_asks_the_class_and_each_trainer(scene):
    course = make_in_person_course("VHCV")
    klass = make_class(course)
    first, second = make_trainer("TS. Phạm Minh Đức"), make_trainer("ThS. Lê Thu Hà")
    for day, trainer in ((date(2026, 5, 4), first), (date(2026, 5, 5), second)):
        make_session(klass, day, trainer_id=trainer.id)
    learner = _learner(1)
    from lms.curricula.classes.models import ClassMember

    member = ClassMember(class_id=klass.id, official_id=learner.official_id)
    db.session.add(member)
    db.session.flush()
    make_completion(
        learner.official, course, date(2026, 5, 8), source="in_person", ref=f"member:{member.id}"
    )
    db.session.commit()
    asked = _requests(learner)
    assert [(r.questionnaire, r.class_id) for r in asked][0] == (services.COURSE, klass.id)
    assert sorted(r.trainer_id for r in asked if r.questionnaire == services.TRAINERS) == sorted(
        [first.id, second.id]
    )


def _night(freeze, day):
    from lms.surveys.jobs import effectiveness_step

    freeze(day)
    return effectiveness_step(day, lambda *_: None)["effectiveness_asked"]


def test_the_effectiveness_survey_goes_out_on_its_day(scene, freeze):
    learner = _learner(1)
    make_completion(learner.official, scene["course"], date(2026, 3, 10))
    db.session.commit()
    head = scene["head"]
    assert _night(freeze, date(2026, 6, 9)) == 0  # the day before: nothing
    assert _requests(learner, services.EFFECTIVENESS) == []
    assert _night(freeze, date(2026, 6, 10)) == 2  # 3 months later: the official and the head
    (own,) = _requests(learner, services.EFFECTIVENESS)
    (heads,) = _requests(head, services.EFFECTIVENESS)
    assert (own.role, heads.role, heads.about_official_id) == ("self", "head", learner.official_id)
    assert len(_notices(learner)) == 2 and len(_notices(head)) == 1  # course + effectiveness
    assert _night(freeze, date(2026, 6, 11)) == 0  # the day after: not again
    assert len(_requests(head, services.EFFECTIVENESS)) == 1


def test_a_missed_night_is_caught_up_once(scene, freeze):
    learner = _learner(1)
    make_completion(learner.official, scene["course"], date(2026, 3, 12))
    db.session.commit()
    assert _night(freeze, date(2026, 6, 11)) == 0
    # no run on 12/06, its due day
    assert _night(freeze, date(2026, 6, 13)) == 2
    assert _night(freeze, date(2026, 6, 14)) == 0


def test_the_delay_follows_the_setting_within_three_to_six_months(scene, freeze, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_EFFECTIVENESS_AFTER_MONTHS", 6)
    learner = _learner(1)
    make_completion(learner.official, scene["course"], date(2026, 3, 10))
    db.session.commit()
    assert _night(freeze, date(2026, 6, 10)) == 0
    assert _night(freeze, date(2026, 9, 10)) == 2
    monkeypatch.setitem(app.config, "LMS_EFFECTIVENESS_AFTER_MONTHS", 12)
    assert services.effectiveness_months() == 6


def _answered(scene, count: int):
    for n in range(1, count + 1):
        learner = _learner(n)
        make_completion(learner.official, scene["course"])
        (req,) = _requests(learner)
        services.submit(req, ANSWERS, actor=learner)
    db.session.commit()


def test_four_respondents_show_no_breakdown(scene):
    _answered(scene, 4)
    (group,) = reports.groups("course", "course", YEAR, Scope(None))
    assert (group.responses, group.shown, group.items, group.comments) == (4, False, [], [])


def test_five_respondents_show_the_breakdown(scene):
    _answered(scene, 5)
    (group,) = reports.groups("course", "course", YEAR, Scope(None))
    assert (group.responses, group.shown) == (5, True)
    by_code = {item.code: item for item in group.items}
    assert by_code["relevance"].mean == 5 and by_code["relevance"].counts == [0, 0, 0, 0, 5]
    assert by_code["duration"].counts == [0, 5, 0]
    assert group.comments == ["Gọi tôi ••• nhé"] * 5
    (unit,) = reports.groups("course", "unit", YEAR, Scope(None))
    assert unit.label == "Ủy ban nhân dân phường Hải Châu" and unit.shown


def test_reports_count_only_the_viewers_units(scene):
    _answered(scene, 5)
    elsewhere = Scope(("/nowhere/",))
    assert reports.groups("course", "course", YEAR, elsewhere) == []


def _effectiveness(scene, role: str, count: int, applied: str, first: int = 1):
    """`count` effectiveness answers of `role` (self or head) about the course, each from its
    own user, every "applied" answered `applied`."""
    for n in range(first, first + count):
        user = _learner(n)
        completion = make_completion(user.official, scene["course"])
        request = services.ask(
            user,
            f"effect:{completion.id}:{role}",
            services.EFFECTIVENESS,
            date(2026, 6, 10),
            role=role,
            course_id=completion.course_id,
            completion_id=completion.id,
        )
        services.submit(request, {"applied": [applied], "quality": ["4"]}, actor=user)
    db.session.commit()


def test_effectiveness_answers_of_officials_and_heads_are_reported_apart(scene):
    _effectiveness(scene, "self", 5, "5")
    _effectiveness(scene, "head", 5, "2", first=6)
    found = reports.groups("effectiveness", "course", YEAR, Scope(None))
    by_role = {group.role: group for group in found}
    assert sorted(by_role) == ["head", "self"]  # merged, there would be one group of 10
    assert [(g.responses, g.shown) for g in found] == [(5, True), (5, True)]
    applied = {role: {i.code: i for i in g.items}["applied"] for role, g in by_role.items()}
    assert (applied["self"].mean, applied["head"].mean) == (5, 2)
    assert applied["self"].counts == [0, 0, 0, 0, 5] and applied["head"].counts == [0, 5, 0, 0, 0]


def test_each_kind_of_respondent_needs_the_smallest_group(scene):
    _effectiveness(scene, "self", 5, "5")
    _effectiveness(scene, "head", 4, "2", first=6)
    found = {g.role: g for g in reports.groups("effectiveness", "course", YEAR, Scope(None))}
    assert (found["self"].responses, found["self"].shown) == (5, True)
    assert (found["head"].responses, found["head"].shown, found["head"].items) == (4, False, [])
