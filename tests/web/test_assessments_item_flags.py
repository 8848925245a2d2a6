"""The statistics page flags questions that deserve a look: a miskeyed question (the stronger
learners "get it wrong") shows a negative discrimination; one everyone gets right is too easy.
"""

import random
import re

import pytest

from lms.assessments import attempts, bank, quizzes
from lms.extensions import db
from tests.factories import make_official, make_test_course
from tests.services.test_assessments_attempts import START
from tests.web.test_common_no_english import visible_text

# Q1 is keyed wrong: "2008" is marked right. Q2 everyone gets right. Q3, Q4 separate learners.
BANK = """::Q1::Luật có hiệu lực từ năm nào?{=2008 ~2010}

::Q2::Thủ đô của Việt Nam?{=Hà Nội ~Huế}

::Q3::Một tín chỉ bằng bao nhiêu tiết?{=15 ~10}

::Q4::Chọn năm ban hành.{=2019 ~2020}
"""


def _answer(attempt, picks: dict[str, str]):
    from werkzeug.datastructures import MultiDict

    form = MultiDict()
    for slot in attempt.slots:
        question = bank.to_question(slot.question)
        form.add("slots", str(slot.id))
        wanted = picks[slot.question.key]
        for position, index in enumerate(slot.shown["answers"]):
            if question.answers[index].text == wanted:
                form.add(f"r{slot.id}", str(position))
    attempts.save_responses(attempt, form)
    attempts.submit(attempt)


@pytest.fixture
def stats_course(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    course = make_test_course("TQ01", BANK, {"questions": 0, "max_attempts": 1})
    quiz = quizzes.quiz_of(course)
    strong = {"Q1": "2010", "Q2": "Hà Nội", "Q3": "15", "Q4": "2019"}
    weak = {"Q1": "2008", "Q2": "Hà Nội", "Q3": "10", "Q4": "2020"}
    for number in range(6):
        official = make_official(f"S-{number:02d}", f"Nguyễn Văn Số {number}")
        db.session.flush()
        attempt = attempts.start_attempt(quiz, official.id, random.Random(number))
        _answer(attempt, strong if number % 2 else weak)
    db.session.commit()
    return course


def _row(html: str, name: str) -> str:
    match = re.search(rf"<tr><td>{name}</td>.*?</tr>", html, re.S)
    assert match, name
    return visible_text(match.group(0))


def test_the_statistics_page_flags_a_miskeyed_and_a_too_easy_question(stats_course, login_as):
    html = login_as("manager").get("/courses/manage/TQ01/test/statistics").get_data(as_text=True)
    assert "Độ phân biệt âm" in _row(html, "Q1")
    assert "Hầu như ai cũng trả lời đúng" in _row(html, "Q2")
    for name in ("Q3", "Q4"):
        row = _row(html, name)
        assert "Độ phân biệt âm" not in row and "Hầu như" not in row
