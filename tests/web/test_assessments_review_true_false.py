"""A true/false question reads Đúng/Sai in Vietnamese everywhere the learner sees it: the choices
on the test page, the right answer and the mark on the review (it is stored as Moodle's
"True"/"False")."""

import re

from lms.assessments import attempts, quizzes
from lms.extensions import db
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, official_id
from tests.web.test_common_no_english import visible_text

TRUE_FALSE = "::TF1::Công chức phải báo cáo bằng văn bản khi quyết định trái pháp luật.{T}\n"


def test_the_review_of_a_true_false_question_says_dung_or_sai(
    world, login_as, freeze, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    course = make_test_course(
        source=TRUE_FALSE, settings={"questions": 1, "pass_mark": 50, "max_attempts": 1}
    )
    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id())
    attempts.submit(attempt)
    db.session.commit()
    page = login_as("learner").get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    text = visible_text(page)
    assert "Đáp án đúng: Đúng" in text  # the last attempt: the right answer is shown
    assert "Sai" in text  # the mark of the unanswered question
    assert "Đúng" in text and "Sai" in text  # the two choices, shown read-only
    assert not re.search(r"\b(True|False)\b", text), text
