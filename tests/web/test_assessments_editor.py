"""The question editor, one test per type: the manager writes the question field by field (a
preview first shows it as the learner will), saves it, and a learner's attempt answered right
grades it right (an essay waits for a grader; a description is not graded). It is kept as
GIFT: the bank's export gives it back. A regrade still runs after an edit."""

import pytest
from werkzeug.datastructures import MultiDict

from lms.assessments import attempts, bank, grading, kinds, quizzes
from lms.assessments.models import GRADED, SUBMITTED, BankQuestion
from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, official_id
from tests.web.test_common_no_english import visible_text

URL = "/courses/manage/TE01/questions/new"
INTRO = "::INTRO::Phần này nói về công vụ.\n"
TYPES = {
    "single_choice": {"lines": "2010 | 100 | Đúng rồi\n2008\n2019"},
    "multiple_choice": {"lines": "công khai | 50\nminh bạch | 50\ntùy tiện | -100"},
    "true_false": {"true_is_right": "false"},
    "short_answer": {"lines": "Hà Nội\nHa Noi | 50"},
    "numerical": {"number": "1,5", "tolerance": "0,5"},
    "matching": {"lines": "Luật -> Quốc hội\nNghị định -> Chính phủ\n -> Bộ"},
    "essay": {},
    "description": {},
}


@pytest.fixture
def course(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return make_test_course("TE01", INTRO, {"questions": 0, "max_attempts": 0})


def _post(client, kind: str, action: str, **fields):
    data = {"csrf_token": csrf_token(client, URL), "kind": kind, "action": action}
    data |= {"name": f"Câu {kind}", "text": f"Câu hỏi loại {kind}?", "category": "TE01/Mới"}
    data |= {"tags": "mới, thử", "true_is_right": "true"} | TYPES[kind] | fields
    return client.post(URL, data=data)


def _right_form(attempt) -> MultiDict:
    """Every question answered right, whatever its type."""
    form = MultiDict()
    for slot in attempt.slots:
        question = bank.to_question(slot.question)
        name, order = f"r{slot.id}", slot.shown.get("answers", [])
        form.add("slots", str(slot.id))
        if question.kind in ("single_choice", "true_false"):
            form.add(
                name, str(next(p for p, i in enumerate(order) if question.answers[i].fraction == 1))
            )
        elif question.kind == "multiple_choice":
            for p, i in enumerate(order):
                if question.answers[i].fraction > 0:
                    form.add(name, str(p))
        elif question.kind in ("short_answer", "numerical"):
            form.add(name, question.answers[0].text)
        elif question.kind == "essay":
            form.add(name, "Bài làm của học viên.")
        elif question.kind == "matching":
            names = kinds.match_choices(question)
            for n, item in enumerate(order):
                wanted = names.index(question.answers[item].match_text)
                form.add(f"{name}-{n}", str(slot.shown["choices"].index(wanted)))
    return form


@pytest.mark.parametrize("kind", list(TYPES))
def test_the_editor_creates_each_type_and_an_attempt_grades_it_right(kind, course, login_as):
    client = login_as("manager")
    preview = _post(client, kind, "preview")
    assert preview.status_code == 200
    assert "Câu hỏi loại" in visible_text(preview.get_data(as_text=True))
    assert 'id="preview"' in preview.get_data(as_text=True)
    assert db.session.query(BankQuestion).count() == 1  # a preview writes nothing
    saved = _post(client, kind, "save")
    assert saved.status_code == 302, saved.get_data(as_text=True)
    row = db.session.query(BankQuestion).filter_by(name=f"Câu {kind}").one()
    assert row.kind == kind and row.category.path == "TE01/Mới" and row.tags == ["mới", "thử"]
    assert f"::Câu {kind}::" in bank.export_gift(course)  # GIFT stays the interchange format

    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id())
    attempts.save_responses(attempt, _right_form(attempt))
    attempts.submit(attempt)
    db.session.commit()
    slot = next(s for s in attempt.slots if s.question_id == row.id)
    if kind == "essay":
        assert attempt.status == SUBMITTED and slot.fraction is None  # waits for a grader
    elif kind == "description":
        assert slot.mark == 0 and attempt.status == GRADED
    else:
        assert slot.fraction == 1 and attempt.percent == 100 and attempt.passed


def test_the_editor_refuses_what_it_cannot_save(course, login_as):
    client = login_as("manager")
    page = _post(client, "single_choice", "save", lines="2010\n2008").get_data(as_text=True)
    assert "Phải có một đáp án được 100%" in visible_text(page)
    page = _post(client, "multiple_choice", "save", lines="a | 33\nb | 33").get_data(as_text=True)
    assert db.session.query(BankQuestion).count() == 1
    _post(client, "essay", "save")
    again = _post(client, "essay", "save").get_data(as_text=True)
    assert "đã có câu hỏi với tên này" in visible_text(again)


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (
            "short_answer",
            {"lines": "A -> B"},
            "Đáp án và phản hồi của đáp án không được chứa “->”.",
        ),
        ("essay", {"tags": "mới, a<b"}, "Thẻ không được chứa ký tự <, > hoặc `."),
        ("essay", {"tags": "x [id:y]"}, "Thẻ không được chứa “[id:” hoặc “[tag:”."),
        ("essay", {"tags": "cuối\\"}, "không được kết thúc bằng dấu gạch chéo ngược"),
    ],
)
def test_what_gift_cannot_write_is_refused_on_the_form_not_with_an_error_page(
    course, login_as, kind, fields, message
):
    client = login_as("manager")
    before = db.session.query(BankQuestion).count()
    for action in ("preview", "save"):
        response = _post(client, kind, action, **fields)
        assert response.status_code == 200
        assert message in visible_text(response.get_data(as_text=True))
    assert db.session.query(BankQuestion).count() == before


def test_a_regrade_still_follows_an_edited_key(course, login_as, world):
    client = login_as("manager")
    _post(client, "single_choice", "save", lines="2010\n2008 | 100")  # the key is wrong
    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id())
    form = MultiDict()
    for slot in attempt.slots:
        form.add("slots", str(slot.id))
        if slot.question.kind == "single_choice":
            question = bank.to_question(slot.question)
            right = next(
                p for p, i in enumerate(slot.shown["answers"]) if question.answers[i].text == "2010"
            )
            form.add(f"r{slot.id}", str(right))
    attempts.save_responses(attempt, form)
    attempts.submit(attempt)
    db.session.commit()
    assert attempt.percent == 0
    row = db.session.query(BankQuestion).filter_by(kind="single_choice").one()
    bank.edit_question(row, "::Câu single_choice::Câu hỏi?{=2010 ~2008}", {}, world["manager"])
    grading.regrade(quizzes.quiz_of(course), world["manager"])
    db.session.commit()
    assert attempt.percent == 100
