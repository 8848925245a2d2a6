"""Attempt rules over HTTP: the settings page saves the delay and warns about a small bank;
the override form gives one official an extra attempt and a later close (audited); a learner
refused by the delay reads when the test opens again, on the test page and after Start."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.assessments import attempts, quizzes
from lms.assessments.models import ExtraTime
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, form_for, official_id
from tests.web.test_common_no_english import visible_text

URL = "/courses/manage/TX01/test"


@pytest.fixture
def quiz(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return quizzes.quiz_of(make_test_course())


def test_settings_save_the_delay_and_warn_about_the_bank(quiz, login_as):
    client = login_as("manager")
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "Mỗi lượt làm bài rút 4 của 4 câu hỏi" in page
    data = {
        "csrf_token": csrf_token(client, URL),
        "question_count": "4",
        "max_attempts": "3",
        "delay_minutes": "1440",
        "pass_mark": "50",
        "layout": "all",
        "review_closed": ["answers"],
    }
    response = client.post(URL, data=data, follow_redirects=True)
    text = visible_text(response.get_data(as_text=True))
    assert "ít hơn 4 câu hỏi × 3 lượt" in text
    db.session.expire_all()
    assert quizzes.quiz_of(quiz.course).delay_minutes == 1440


def test_an_override_gives_an_extra_attempt_and_a_later_close(quiz, login_as):
    quiz.closes_at = START + timedelta(days=7)
    db.session.commit()
    client = login_as("manager")
    data = {
        "csrf_token": csrf_token(client, URL),
        "employee_code": "T-LEARN",
        "minutes": "0",
        "extra_attempts": "1",
        "closes_at": "2026-03-20T17:00",
    }
    assert client.post(URL + "/extra-time", data=data).status_code == 302
    row = db.session.scalar(select(ExtraTime))
    assert row.extra_attempts == 1 and row.closes_at == START.replace(day=20, hour=10)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "quiz.override"))
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "thêm 1 lượt làm bài" in page
    learner = visible_text(login_as("learner").get("/courses/TX01/test").get_data(as_text=True))
    assert "Số lượt làm bài cho phép 4" in learner  # 3 + 1 for them
    assert "Số lượt làm bài còn lại 4" in learner
    assert "Thời gian đóng 17:00 20/03/2026" in learner


def test_a_refused_start_says_when_the_test_opens_again(quiz, login_as, freeze):
    quiz.delay_minutes = 24 * 60
    db.session.commit()
    attempt = attempts.start_attempt(quiz, official_id())
    attempts.save_responses(attempt, form_for(attempt, right=False))
    attempts.submit(attempt)
    db.session.commit()
    freeze(START + timedelta(hours=3))
    client = login_as("learner")
    home = visible_text(client.get("/courses/TX01/test").get_data(as_text=True))
    assert "Anh/chị có thể làm lượt mới từ 03/03/2026 09:00." in home
    allowed = quiz.max_attempts
    assert f"Số lượt làm bài còn lại {allowed - 1}" in home  # one attempt used
    token = csrf_token(client, f"/attempts/{attempt.id}/review")
    response = client.post("/courses/TX01/test/start", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/test")
    after = visible_text(client.get("/courses/TX01/test").get_data(as_text=True))
    assert "03/03/2026 09:00" in after
