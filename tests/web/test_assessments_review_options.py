"""Review options over HTTP: with the fair defaults a learner who failed attempt 1 of 3 sees
their answers, Đúng/Sai per question and the score, but no right answer and no feedback; the
right answers come after the last attempt (not while it runs) or when the test closes; staff
always see everything; the settings page saves a choice per moment."""

import re
from datetime import timedelta

import pytest

from lms.assessments import attempts, quizzes, rules
from lms.assessments.models import Attempt
from lms.catalog import queries as catalog_queries
from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, form_for, official_id
from tests.web.test_common_no_english import visible_text

RIGHT = "Đáp án đúng:"


@pytest.fixture
def quiz(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return quizzes.quiz_of(make_test_course())  # 4 questions, 3 attempts


def _attempt(quiz, right=False) -> Attempt:
    attempt = attempts.start_attempt(quiz, official_id())
    attempts.save_responses(attempt, form_for(attempt, right=right))
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def _review(client, attempt) -> str:
    response = client.get(f"/attempts/{attempt.id}/review")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def test_a_failed_first_attempt_shows_marks_and_score_but_no_right_answer(quiz, login_as):
    first = _attempt(quiz)
    text = _review(login_as("learner"), first)
    assert RIGHT not in text
    assert "Sai" in text and "Điểm" in text and re.search(r"\b0%", text)
    assert "Đáp án đúng được hiển thị sau lượt làm bài cuối cùng" in text
    assert not re.search(r"\b(True|False|Correct|Incorrect)\b", text), text
    staff = _review(login_as("manager"), first)
    assert RIGHT in staff and "Hà Nội" in staff  # staff see everything


def test_later_while_open_follows_the_same_settings(quiz, login_as, freeze):
    first = _attempt(quiz)
    freeze(START + timedelta(hours=1))
    assert RIGHT not in _review(login_as("learner"), first)


def test_right_answers_come_after_the_last_attempt_not_while_it_runs(quiz, login_as):
    first = _attempt(quiz)
    _attempt(quiz)
    last = attempts.start_attempt(quiz, official_id())
    db.session.commit()
    learner = login_as("learner")
    assert RIGHT not in _review(learner, first)  # the last attempt is running
    attempts.submit(last)
    db.session.commit()
    assert RIGHT in _review(learner, first)
    assert RIGHT in _review(learner, last)
    assert "Hà Nội" in _review(learner, last)


def test_right_answers_come_when_the_test_closes(quiz, login_as, freeze):
    quiz.closes_at = START + timedelta(days=7)
    db.session.commit()
    first = _attempt(quiz)
    freeze(quiz.closes_at - timedelta(minutes=1))
    learner = login_as("learner")
    assert RIGHT not in _review(learner, first)
    freeze(quiz.closes_at)
    assert RIGHT in _review(learner, first)


def test_a_test_that_hides_the_score_hides_it_on_the_test_page_too(quiz, login_as):
    quiz.review = {rules.IMMEDIATELY: [], rules.LATER_OPEN: [], rules.AFTER_CLOSE: []}
    db.session.commit()
    first = _attempt(quiz, right=True)
    learner = login_as("learner")
    text = _review(learner, first)
    assert "100" not in text and "Đạt" not in text and RIGHT not in text
    home = visible_text(learner.get("/courses/TX01/test").get_data(as_text=True))
    assert "100%" not in home


def test_the_settings_page_saves_a_choice_per_moment(quiz, login_as):
    client = login_as("manager")
    url = "/courses/manage/TX01/test"
    page = client.get(url).get_data(as_text=True)
    assert page.count('name="review_closed"') == len(rules.REVIEW_PARTS)
    assert re.search(r'name="review_closed" value="answers" checked', page)
    assert not re.search(r'name="review_immediately" value="answers" checked', page)
    data = {
        "csrf_token": csrf_token(client, url),
        "question_count": "4",
        "max_attempts": "3",
        "pass_mark": "50",
        "layout": "all",
        "review_immediately": ["score", "feedback"],
        "review_open": ["score"],
        "review_closed": ["score", "answers"],
    }
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = quizzes.quiz_of(catalog_queries.course_by_code("TX01"))
    assert saved.review == {
        "immediately": ["score", "feedback"],
        "open": ["score"],
        "closed": ["score", "answers"],
    }
