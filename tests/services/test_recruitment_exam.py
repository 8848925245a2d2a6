"""The computer-based round: when a candidate may start (window, code, network), the paper drawn
by blueprint in an order of each candidate's own, autosave refused at the deadline, multiple
choice graded at submission and written to the results log, time added by an invigilator."""

import random
from datetime import datetime
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from lms.errors import RuleViolation
from lms.extensions import db
from lms.recruitment import exam, results_log, rules
from lms.recruitment.models import ExamAttempt, Incident
from tests.factories import make_candidate, make_exam_session, make_recruitment, make_units


@pytest.fixture
def scene(app, db, assets_dir, freeze):
    make_units()
    recruitment = make_recruitment()
    a = make_candidate(recruitment, "Nguyễn Văn An")
    b = make_candidate(recruitment, "Lê Thị Bình")
    db.session.commit()
    session = make_exam_session(recruitment, seat=[a, b], networks="10.1.0.0/16")
    return session, a, b


def _seat(candidate):
    return exam.seat_of(candidate)


@pytest.mark.parametrize(
    ("moment", "code", "address", "reason"),
    [
        (datetime(2026, 6, 15, 7, 59, 59), "AB12CD", "10.1.2.3", rules.NOT_YET),
        (datetime(2026, 6, 15, 11, 0), "AB12CD", "10.1.2.3", rules.OVER),
        (datetime(2026, 6, 15, 8, 0), "", "10.1.2.3", rules.BAD_CODE),
        (datetime(2026, 6, 15, 8, 0), "XX99XX", "10.1.2.3", rules.BAD_CODE),
        (datetime(2026, 6, 15, 8, 0), "ab12cd", "192.168.1.9", rules.BAD_NETWORK),
    ],
)
def test_a_candidate_cannot_start_outside_the_window_without_the_code_or_from_outside(
    scene, freeze, moment, code, address, reason
):
    _session, a, _b = scene
    freeze(moment)
    with pytest.raises(RuleViolation) as refused:
        exam.start(_seat(a), code, address)
    assert refused.value.code == reason
    assert db.session.query(ExamAttempt).count() == 0


def test_inside_the_window_with_the_code_each_candidate_gets_the_blueprint_in_their_own_order(
    scene, freeze
):
    _session, a, b = scene
    freeze(datetime(2026, 6, 15, 8, 0))  # the first moment of the window
    first = exam.start(_seat(a), " ab12cd ", "10.1.2.3", rng=random.Random(1))
    second = exam.start(_seat(b), "AB12CD", "10.1.200.1", rng=random.Random(2))
    db.session.commit()
    order_a = [s.question.name for s in first.slots]
    order_b = [s.question.name for s in second.slots]
    assert sorted(order_a) == sorted(order_b) == ["L1", "L2", "L3", "T1", "T2", "T3"]
    assert order_a != order_b
    assert first.deadline_at == datetime(2026, 6, 15, 8, 30)
    # the same code again (a browser restarted) gives back the same paper
    assert exam.start(_seat(a), "AB12CD", "10.1.2.3").id == first.id


def test_the_blueprint_draws_by_topic_and_difficulty(scene):
    session, _a, _b = scene
    items = exam.bank_items(session)
    blueprint = [
        {"category": "TDX/Luật", "difficulty": "easy", "count": 2},
        {"category": "TDX/Tin học", "difficulty": "hard", "count": 1},
    ]
    names = {i.id: n for i, n in zip(items, ["L1", "L2", "L3", "T1", "T2", "T3"], strict=True)}
    for seed in range(5):
        drawn = rules.draw_paper(items, blueprint, random.Random(seed))
        assert sorted(names[i] for i in drawn) == ["L1", "L2", "T3"]
    assert rules.shortfalls(items, [{"category": "TDX/Luật", "difficulty": "hard", "count": 2}])


def test_submitting_grades_at_once_and_writes_the_score_to_the_results_log(scene, freeze):
    _session, a, _b = scene
    freeze(datetime(2026, 6, 15, 8, 5))
    attempt = exam.start(_seat(a), "AB12CD", "10.1.2.3")
    db.session.commit()
    saved = exam.save(attempt.id, a.id, MultiDict())
    assert not saved.closed
    assert exam.submit(attempt) is True
    assert exam.submit(attempt) is False  # a second submit grades nothing
    db.session.commit()
    assert attempt.max_score == Decimal("6.00")
    line = results_log.latest(a.id, "computer_score")
    assert line.payload["score"] == str(attempt.score)
    assert line.system_source == "exam"
    assert results_log.verify() == []


def test_an_answer_at_the_deadline_itself_is_refused_and_the_paper_submitted(scene, freeze):
    _session, a, _b = scene
    freeze(datetime(2026, 6, 15, 8, 0))
    attempt = exam.start(_seat(a), "AB12CD", "10.1.2.3")
    db.session.commit()
    freeze(datetime(2026, 6, 15, 8, 29, 59, 999999))
    assert not exam.save(attempt.id, a.id, MultiDict()).closed
    freeze(datetime(2026, 6, 15, 8, 30))
    assert exam.save(attempt.id, a.id, MultiDict()).closed
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.status == "submitted" and attempt.auto_submitted


def test_time_added_for_an_incident_moves_the_deadline_and_is_recorded(scene, freeze, world):
    session, a, _b = scene
    freeze(datetime(2026, 6, 15, 10, 50))
    attempt = exam.start(_seat(a), "AB12CD", "10.1.2.3")
    assert attempt.deadline_at == datetime(2026, 6, 15, 11, 0)  # the session's end caps it
    exam.add_time(_seat(a), 10, "Máy tính treo, thay máy khác", world["hr"])
    db.session.commit()
    assert attempt.deadline_at == datetime(2026, 6, 15, 11, 10)
    incident = db.session.query(Incident).one()
    assert (incident.minutes_added, incident.actor_id) == (10, world["hr"].id)
