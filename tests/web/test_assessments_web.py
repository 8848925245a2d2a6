"""The test pages over HTTP: a learner starts, answers (autosave JSON and plain POST), reloads,
submits once and sees the result; no answer key reaches the browser before submission; late
answers are refused; managers import with a preview, edit settings, grant extra time, regrade,
read statistics and grade essays in their scoped queue."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from lms.assessments import attempts, quizzes
from lms.assessments.models import Attempt, BankQuestion
from lms.catalog import queries as catalog_queries
from tests.conftest import csrf_token
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import ESSAY_BANK, START, finish_lessons, official_id
from tests.shared_fixtures import FIXTURES, require

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


MOODLE = FIXTURES / "moodle"
KEY_BANK = """::K1::Câu hỏi một?{=ĐÚNG-MỘT#phản-hồi-đúng ~sai-một#phản-hồi-sai ~sai-hai
####giải-thích-chung}

::K2::Câu hỏi hai?{=đáp-án-ngắn#khen-ngắn =%50%nửa-đúng}

::K3::Số?{#=42:0.5#khen-số}

::K4::Ghép{=trái-một -> phải-một =trái-hai -> phải-hai}

::K5::Chọn nhiều{~%50%nhiều-một ~%50%nhiều-hai ~%-100%nhiều-sai}
"""
SECRETS = ("phản-hồi", "giải-thích", "khen", "nửa-đúng", "đáp-án-ngắn", "42", "fraction", "####")


@pytest.fixture
def course(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return make_test_course()


def _start(client, code="TX01") -> int:
    token = csrf_token(client, f"/courses/{code}/test")
    response = client.post(f"/courses/{code}/test/start", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _fields(html: str) -> dict[str, list[tuple[str, str]]]:
    """name → [(input type, value)] of the answer inputs on a page."""
    found: dict = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
        name = re.search(r'name="(r\d+[^"]*)"', tag)
        if name:
            kind = re.search(r'type="(\w+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            found.setdefault(name.group(1), []).append(
                (kind.group(1) if kind else "select", value.group(1) if value else "")
            )
    return found


def _confirm_gift_import(client, url: str, escaped_source: str):
    """Post the preview's confirm with its hidden GIFT source (HTML-escaped on the page)."""
    import html as html_lib

    return client.post(
        "/courses/manage/TX01/questions/import/confirm",
        data={
            "csrf_token": csrf_token(client, url),
            "file_format": "gift",
            "source": html_lib.unescape(escaped_source),
        },
    )


def test_course_test_page_shows_rules_and_a_start_button(login_as, course):
    client = login_as("learner")
    html = client.get("/courses/TX01/test").get_data(as_text=True)
    assert 'action="/courses/TX01/test/start"' in html
    assert "20" in html and "50" in html


def test_a_learner_takes_the_test_with_autosave_reload_and_a_single_grading(login_as, course, db):
    client = login_as("learner")
    attempt_id = _start(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'id="timer"' in page and "20:00" in page
    assert 'data-seconds-left="1200"' in page and "assessments.js" in page
    attempt = db.session.get(Attempt, attempt_id)
    from tests.services.test_assessments_attempts import form_for

    form = form_for(attempt)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    form.add("csrf_token", token)
    response = client.post(f"/attempts/{attempt_id}/save", data=form)
    assert response.status_code == 200 and response.json["saved"] is True
    assert response.json["changed"] == 4 and response.json["seconds_left"] == 1200
    # A reload (or another device) shows the saved answers.
    reloaded = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert reloaded.count("checked") == 2 and 'value="Hà Nội"' in reloaded
    # Two submits (two tabs): the first grades, the second finds it submitted.
    for _ in range(2):
        response = client.post(
            f"/attempts/{attempt_id}", data={"action": "finish", "csrf_token": token}
        )
        assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert 'id="score">100%' in review
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).percent == 100
    assert client.get(f"/attempts/{attempt_id}").status_code == 302  # over: to the review


def test_the_form_works_without_javascript_one_question_per_page(login_as, course, db):
    quiz = quizzes.quiz_of(course)
    quiz.layout = "one"
    quiz.shuffle_questions = False
    db.session.commit()
    client = login_as("learner")
    attempt_id = _start(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    page = client.get(f"/attempts/{attempt_id}?page=1").get_data(as_text=True)
    [(name, values)] = [(k, v) for k, v in _fields(page).items()]
    response = client.post(
        f"/attempts/{attempt_id}?page=1",
        data={"csrf_token": token, "slots": name[1:], name: values[0][1], "action": "next"},
    )
    assert response.headers["Location"].endswith("page=2")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.slots[0].response == {"choice": attempt.slots[0].shown["answers"][0]}
    assert "Question 2 of 4" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_no_answer_key_reaches_the_browser_before_submission(login_as, world, freeze, app):
    freeze(START)
    app.config["LMS_COURSE_ASSETS_DIR"] = app.config.get("LMS_COURSE_ASSETS_DIR")
    make_test_course("TK01", KEY_BANK, {"questions": 0, "time_limit_minutes": 30})
    client = login_as("learner")
    attempt_id = _start(client, "TK01")
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    state = client.get(f"/attempts/{attempt_id}/state").get_data(as_text=True)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    saved = client.post(f"/attempts/{attempt_id}/save", data={"csrf_token": token})
    for text in (html, state, saved.get_data(as_text=True)):
        for secret in SECRETS:
            assert secret not in text, secret
    assert "ĐÚNG-MỘT" in html and "sai-một" in html  # the choices themselves are shown
    assert "trái-một" in html and "phải-hai" in html
    for name, inputs in _fields(html).items():  # values are shown positions, nothing more
        values = [value for _kind, value in inputs if value]
        assert all(v.isdigit() for v in values), (name, values)


def test_answers_after_the_deadline_are_refused(login_as, course, db, freeze):
    client = login_as("learner")
    attempt_id = _start(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    attempt = db.session.get(Attempt, attempt_id)
    slot = attempt.slots[0]
    freeze(START + timedelta(minutes=21))
    response = client.post(
        f"/attempts/{attempt_id}/save",
        data={"csrf_token": token, "slots": str(slot.id), f"r{slot.id}": "0"},
    )
    assert response.status_code == 409 and response.json["closed"] is True
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "graded" and attempt.auto_submitted
    assert all(s.response is None for s in attempt.slots)


def test_someone_elses_attempt_is_not_found(login_as, course, db):
    learner = login_as("learner")
    attempt_id = _start(learner)
    hr = login_as("hr")
    assert hr.get(f"/attempts/{attempt_id}").status_code == 404
    assert hr.get(f"/attempts/{attempt_id}/review").status_code == 404
    manager = login_as("manager")  # the course's author may look, not answer
    assert manager.get(f"/attempts/{attempt_id}").status_code == 302


# --- Managers ----------------------------------------------------------------------------------
def test_upload_shows_a_preview_then_imports(login_as, course, db):
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    data = require(MOODLE / "gift" / "questions.gift.txt").read_bytes()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file_format": "gift",
            "file": (BytesIO(data), "q.gift"),
        },  # fmt: skip
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "9" in html
    before = db.session.scalar(select(func.count()).select_from(BankQuestion))
    source = re.search(r'name="source"[^>]*value="([^"]*)"', html)
    assert source, "no hidden source on the preview"

    response = _confirm_gift_import(client, url, source.group(1))
    assert response.status_code == 302
    after = db.session.scalar(select(func.count()).select_from(BankQuestion))
    assert after == before + 9


def test_a_windows_1252_upload_is_refused_clearly(login_as, course, db):
    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    data = require(MOODLE / "gift" / "questions_encoding_windows-1252.gift.txt").read_bytes()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file_format": "gift",
            "file": (BytesIO(data), "q.gift"),
        },  # fmt: skip
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    # Said at the file field, before any preview: nothing can be imported from it.
    assert re.search(r'<p class="error" id="file-error">The file is not UTF-8\.', html)
    assert "Import these questions" not in html
    assert db.session.scalar(select(func.count()).select_from(BankQuestion)) == 4


def test_bank_page_export_and_question_edit(login_as, course, db):
    client = login_as("manager")
    assert "L1" in client.get("/courses/manage/TX01/questions").get_data(as_text=True)
    export = client.get("/courses/manage/TX01/questions/export.gift")
    assert export.status_code == 200 and "::L1::" in export.get_data(as_text=True)
    row = db.session.scalar(select(BankQuestion).where(BankQuestion.key == "S1"))
    url = f"/courses/manage/TX01/questions/{row.id}"
    assert "Thủ đô" in client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "source": "::S1::Thủ đô?{=Hà Nội}",
            "ignore_diacritics": "y",
        },  # fmt: skip
    )
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(BankQuestion, row.id)
    assert row.version == 2 and row.options == {"case_sensitive": False, "ignore_diacritics": True}
    bad = client.post(url, data={"csrf_token": csrf_token(client, url), "source": "::S1::x{=a"})
    assert "line 1" in bad.get_data(as_text=True)


def test_settings_extra_time_regrade_and_statistics(login_as, course, db):
    learner = login_as("learner")
    attempt_id = _start(learner)
    client = login_as("manager")
    url = "/courses/manage/TX01/test"
    token = csrf_token(client, url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "question_count": "4",
            "time_limit_minutes": "30",
            "max_attempts": "2",
            "pass_mark": "60",
            "layout": "all",
            "review": ["score"],
            "draws": "TX01/Luật = 1\nTX01/Tính toán = 2",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    quiz = quizzes.quiz_of(catalog_queries.course_by_code("TX01"))
    assert quiz.pass_mark == 60 and quiz.draws == {"TX01/Luật": 1, "TX01/Tính toán": 2}
    response = client.post(
        url + "/extra-time", data={"csrf_token": token, "employee_code": "T-LEARN", "minutes": "10"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).deadline_at == START + timedelta(minutes=30)
    attempts.submit(db.session.get(Attempt, attempt_id))
    db.session.commit()
    assert client.post(url + "/regrade", data={"csrf_token": token}).status_code == 302
    stats = client.get(url + "/statistics").get_data(as_text=True)
    assert "<svg" in stats and "<rect" in stats and "L1" in stats


def test_the_grading_queue_is_scoped_and_grading_completes(login_as, world, freeze, db, app):
    freeze(START)
    course = make_test_course("TE01", ESSAY_BANK, {"questions": 0}, owner="SNV")
    finish_lessons(course)
    quiz = quizzes.quiz_of(course)
    attempt = attempts.start_attempt(quiz, official_id())
    from tests.services.test_assessments_attempts import form_for

    attempts.save_responses(attempt, form_for(attempt))
    attempts.submit(attempt)
    db.session.commit()
    slot = next(s for s in attempt.slots if s.question.kind == "essay")
    client = login_as("manager")
    queue = client.get("/manage/grading").get_data(as_text=True)
    assert f"/manage/grading/{slot.id}" in queue
    url = f"/manage/grading/{slot.id}"
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), "percent": "80", "comment": "Khá"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.status == "graded" and attempt.percent == pytest.approx(96)
    assert login_as("learner").get("/manage/grading").status_code == 403


def test_a_grader_cannot_mark_their_own_essay(login_as, world, freeze, db):
    """Separation of duties: the essay's mark decides the grader's own credits. Their own
    attempt is not in their queue, its grading page is refused, and the service refuses too;
    another grader's mark goes through."""
    from lms.assessments import grading
    from lms.errors import RuleViolation
    from tests.services.test_assessments_attempts import form_for

    freeze(START)
    course = make_test_course("TE01", ESSAY_BANK, {"questions": 0}, owner="SNV")
    own = official_id("T-MAN")
    finish_lessons(course, own)
    attempt = attempts.start_attempt(quizzes.quiz_of(course), own)
    attempts.save_responses(attempt, form_for(attempt))
    attempts.submit(attempt)
    db.session.commit()
    slot = next(s for s in attempt.slots if s.question.kind == "essay")
    url = f"/manage/grading/{slot.id}"

    manager = login_as("manager")
    assert url not in manager.get("/manage/grading").get_data(as_text=True)
    assert manager.get(url).status_code == 403
    token = csrf_token(manager, "/manage/grading")
    response = manager.post(url, data={"csrf_token": token, "percent": "100", "comment": "Tốt"})
    assert response.status_code == 403
    with pytest.raises(RuleViolation, match="own attempt"):
        grading.grade_essay(slot, 1, "Tốt", world["manager"])
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "submitted"

    admin = login_as("admin")
    assert url in admin.get("/manage/grading").get_data(as_text=True)
    token = csrf_token(admin, url)
    response = admin.post(url, data={"csrf_token": token, "percent": "80", "comment": "Khá"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "graded"


def test_the_attempt_page_and_autosave_cost_the_same_queries_for_2_or_12_questions(
    login_as, world, freeze, app, tmp_path, monkeypatch, db
):
    """A 40-question test must not cost 40 queries per autosave (measured in bench/run.py)."""
    from tests.conftest import count_queries
    from tests.factories import TEST_SETTINGS
    from tests.services.test_assessments_attempts import form_for

    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    questions = "\n\n".join(f"::Q{n}::Câu {n}?{{=đúng{n} ~sai{n}}}" for n in range(12))
    costs = {}
    for code, count in (("TQ02", 2), ("TQ12", 12)):
        make_test_course(code, questions, dict(TEST_SETTINGS, questions=count))
        client = login_as("learner")
        attempt_id = _start(client, code)
        form = form_for(db.session.get(Attempt, attempt_id))
        form.add("csrf_token", csrf_token(client, f"/attempts/{attempt_id}"))
        with count_queries() as page:
            assert client.get(f"/attempts/{attempt_id}").status_code == 200
        with count_queries() as save:
            assert client.post(f"/attempts/{attempt_id}/save", data=form).json["saved"]
        costs[count] = (page[0], save[0])
    assert costs[12] == costs[2]


def test_a_large_bank_previews_and_imports_on_the_web(login_as, course, db):
    """A 1,500-question Moodle bank (over 500 KB) goes through the preview and the confirm."""

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    client = login_as("manager")
    url = "/courses/manage/TX01/questions/import"
    long = "Nội dung câu hỏi về văn hóa công vụ và đạo đức công vụ của cán bộ, công chức. " * 4
    bank = "\n\n".join(f"::B{n}::{long} ({n})?{{=đúng ~sai ~không rõ}}" for n in range(1500))
    assert len(bank.encode()) > 600_000
    # Encoded in memory: Werkzeug's test client spools a large multipart body to a temporary
    # file it never closes.
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf_token(client, url),
            "file_format": "gift",
            "file": FileStorage(BytesIO(bank.encode()), "lon.gift"),
        }
    )
    preview = client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    ).get_data(as_text=True)
    source = re.search(r'name="source"[^>]*value="([^"]*)"', preview)
    before = db.session.scalar(select(func.count()).select_from(BankQuestion))
    response = _confirm_gift_import(client, url, source.group(1))
    assert response.status_code == 302, response.status_code
    after = db.session.scalar(select(func.count()).select_from(BankQuestion))
    assert after == before + 1500


def test_an_autosave_of_a_submitted_attempt_is_refused_and_changes_nothing(login_as, course, db):
    client = login_as("learner")
    attempt_id = _start(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    slot = db.session.get(Attempt, attempt_id).slots[0]
    form = {"csrf_token": token, "slots": str(slot.id), f"r{slot.id}": "0"}
    client.post(f"/attempts/{attempt_id}", data={"action": "finish", "csrf_token": token})
    response = client.post(f"/attempts/{attempt_id}/save", data=form)
    assert response.status_code == 409 and response.json["closed"] is True
    assert response.json["review"] == f"/attempts/{attempt_id}/review"
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).slots[0].response is None


def test_an_autosave_stores_only_what_changed_and_a_cleared_answer(login_as, course, db):
    client = login_as("learner")
    attempt_id = _start(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    slot = db.session.get(Attempt, attempt_id).slots[0]
    answered = {"csrf_token": token, "slots": str(slot.id), f"r{slot.id}": "0"}
    first = client.post(f"/attempts/{attempt_id}/save", data=answered).json
    again = client.post(f"/attempts/{attempt_id}/save", data=answered).json
    cleared = client.post(
        f"/attempts/{attempt_id}/save", data={"csrf_token": token, "slots": str(slot.id)}
    ).json
    assert (first["changed"], again["changed"], cleared["changed"]) == (1, 0, 1)
    assert first["saved_at"].endswith("Z") and first["seconds_left"] == 1200
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).slots[0].response is None


def test_another_officials_autosave_is_refused_and_stores_nothing(login_as, course, db):
    """Officials who are not the attempt's: not found, or forbidden to the course's authors
    (a training manager, who may read the attempt but never answer in it)."""
    learner = login_as("learner")
    attempt_id = _start(learner)
    slot = db.session.get(Attempt, attempt_id).slots[0]
    for role, status in (("reviewer", 404), ("manager", 403)):
        other = login_as(role)
        token = csrf_token(other, "/me")
        form = {"csrf_token": token, "slots": str(slot.id), f"r{slot.id}": "0"}
        assert other.post(f"/attempts/{attempt_id}/save", data=form).status_code == status
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).slots[0].response is None


def test_the_test_page_costs_the_same_queries_after_one_or_three_attempts(login_as, course, db):
    """Past attempts are listed, not re-committed one by one (a commit per attempt reloaded
    everything: 15 queries with one attempt, 26 with six)."""
    from tests.conftest import count_queries

    quiz = quizzes.quiz_of(course)
    quiz.max_attempts = 0
    db.session.commit()
    client = login_as("learner")
    costs = []
    for _round in range(3):
        attempt_id = _start(client)
        token = csrf_token(client, f"/attempts/{attempt_id}")
        client.post(f"/attempts/{attempt_id}", data={"action": "finish", "csrf_token": token})
        with count_queries() as page:
            html = client.get("/courses/TX01/test").get_data(as_text=True)
        costs.append(page[0])
    assert html.count("/review") == 3
    assert costs[0] == costs[2], costs


def test_an_autosave_listing_seventy_thousand_slots_saves_its_own_and_ignores_the_rest(
    login_as, course, db
):
    """The page's list of slot ids comes from the client: a huge one (more than PostgreSQL's
    65,535 parameters) must not reach SQL as parameters, nor touch other attempts."""
    client = login_as("learner")
    attempt_id = _start(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    slot = db.session.get(Attempt, attempt_id).slots[0]
    listed = [str(slot.id)] + [str(n) for n in range(1, 70_001)]
    form = {"csrf_token": token, "slots": listed, f"r{slot.id}": "0"}
    response = client.post(f"/attempts/{attempt_id}/save", data=form)
    assert response.status_code == 200 and response.json["changed"] == 1
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).slots[0].response is not None


def test_the_answered_counter_counts_the_other_pages_and_leaves_out_information_items(
    login_as, world, freeze, app, tmp_path, monkeypatch, db
):
    """One question per page: page 2 says 1 of 3 answered after page 1 was answered, and an
    information item (a GIFT description) is never counted as a question left unanswered."""
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    source = (
        "::INFO::Đọc kỹ các câu hỏi sau.\n\n"
        + "\n\n".join(f"::Q{n}::Câu {n}?{{=đúng{n} ~sai{n}}}" for n in range(3))
        + "\n"
    )
    course = make_test_course("TQ03", source, {"questions": 4, "time_limit_minutes": 20})
    quiz = quizzes.quiz_of(course)
    quiz.layout, quiz.shuffle_questions = "one", False
    db.session.commit()
    client = login_as("learner")
    attempt_id = _start(client, "TQ03")
    attempt = db.session.get(Attempt, attempt_id)
    assert len(attempt.slots) == 4
    first = next(s for s in attempt.slots if s.question.kind != "description")
    page = attempt.slots.index(first) + 1
    token = csrf_token(client, f"/attempts/{attempt_id}")
    answer = {"csrf_token": token, "slots": str(first.id), f"r{first.id}": "0"}
    client.post(f"/attempts/{attempt_id}?page={page}", data=dict(answer, action="save"))
    other = 1 if page != 1 else 2
    html = client.get(f"/attempts/{attempt_id}?page={other}").get_data(as_text=True)
    assert "1 of 3 questions answered" in html
    assert 'data-questions="3" data-answered-elsewhere="1"' in html
    assert "{count} questions are not answered yet." in html  # the confirmation, from here
    here = client.get(f"/attempts/{attempt_id}?page={page}").get_data(as_text=True)
    assert 'data-answered-elsewhere="0"' in here
