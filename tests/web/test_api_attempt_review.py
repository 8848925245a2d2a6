"""GET /api/v1/attempts/<id>/review obeys the test's review options as the review page does:
after a failed first attempt of three the learner's token gets the answers, marks and score
but no right answer and no feedback (absent, not null); after the last attempt, the right
answers; an attempt in progress or anyone else's does not exist (404)."""

import pytest

from lms.assessments import attempts, quizzes
from lms.extensions import db
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, form_for, official_id
from tests.web.routes.api import bearer


@pytest.fixture
def quiz(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return quizzes.quiz_of(make_test_course())  # 4 questions, 3 attempts


def _failed(quiz):
    attempt = attempts.start_attempt(quiz, official_id())
    attempts.save_responses(attempt, form_for(attempt, right=False))
    attempts.submit(attempt)
    db.session.commit()
    return attempt.id


def test_the_review_hides_right_answers_until_the_last_attempt(quiz, app, world):
    client, token = app.test_client(), bearer(world["learner"])
    first = _failed(quiz)
    body = client.get(f"/api/v1/attempts/{first}/review", headers=token).get_json()
    assert body["shown"] == ["responses", "marks", "score"]
    assert body["percent"] == "0.00" and body["passed"] is False
    question = body["questions"][0]
    assert question["correctness"] == "wrong" and "response" in question
    assert "right_answers" not in question and "feedback" not in question
    _failed(quiz)
    _failed(quiz)
    body = client.get(f"/api/v1/attempts/{first}/review", headers=token).get_json()
    assert "answers" in body["shown"]
    assert all(q["right_answers"] for q in body["questions"])


def test_an_attempt_in_progress_or_of_someone_else_is_not_found(quiz, app, world):
    client = app.test_client()
    running = attempts.start_attempt(quiz, official_id())
    db.session.commit()
    own = bearer(world["learner"])
    assert client.get(f"/api/v1/attempts/{running.id}/review", headers=own).status_code == 404
    attempts.submit(running)
    db.session.commit()
    assert client.get(f"/api/v1/attempts/{running.id}/review", headers=own).status_code == 200
    for role in ("hr", "admin", "manager"):
        other = bearer(world[role])
        url = f"/api/v1/attempts/{running.id}/review"
        assert client.get(url, headers=other).status_code == 404, role
    assert client.get("/api/v1/attempts/99999999999/review", headers=own).status_code == 404
