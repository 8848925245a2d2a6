"""A test passed while lessons are left does not finish the course: the result page and /me
say so and name the lessons left (with links); once they are read, or when they were read
before the test, neither page says anything of the kind."""

import pytest

from lms.assessments.models import Attempt
from lms.catalog import queries as catalog_queries
from tests.conftest import csrf_token
from tests.factories import LESSON_SLUGS, LESSON_TITLES, make_test_course
from tests.services.test_assessments_attempts import START, finish_lessons, form_for, official_id

pytestmark = pytest.mark.usefixtures("english")
NOT_FINISHED = "not finished yet"


@pytest.fixture
def course(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return make_test_course()


def _take_test(client, db, right=True) -> int:
    token = csrf_token(client, "/courses/TX01/test")
    started = client.post("/courses/TX01/test/start", data={"csrf_token": token})
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    form = form_for(db.session.get(Attempt, attempt_id), right=right)
    form.add("csrf_token", csrf_token(client, f"/attempts/{attempt_id}"))
    form.add("action", "finish")
    done = client.post(f"/attempts/{attempt_id}", data=form)
    assert done.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    return attempt_id


def _read(client, slug):
    url = f"/courses/TX01/lessons/{slug}"
    token = csrf_token(client, url)
    assert client.post(f"{url}/done", data={"csrf_token": token}).status_code == 302


def test_a_test_passed_with_a_lesson_unread_names_the_lesson_on_the_result_and_on_me(
    login_as, course, db
):
    client = login_as("learner")
    _read(client, LESSON_SLUGS[0])
    _read(client, LESSON_SLUGS[2])
    attempt_id = _take_test(client, db)
    assert db.session.get(Attempt, attempt_id).passed

    result = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "The course is not finished yet" in result
    assert "1 lesson is not done" in result
    assert f'href="/courses/TX01/lessons/{LESSON_SLUGS[1]}">{LESSON_TITLES[1]}</a>' in result
    assert LESSON_TITLES[0] not in result and LESSON_TITLES[2] not in result

    me = client.get("/me").get_data(as_text=True)
    assert f"TX01 — {course.title} is {NOT_FINISHED}" in me
    assert f'href="/courses/TX01/lessons/{LESSON_SLUGS[1]}">{LESSON_TITLES[1]}</a>' in me

    # The course's test page says the same, with the same link.
    test_page = client.get("/courses/TX01/test").get_data(as_text=True)
    assert "The course is not finished yet" in test_page
    assert f'href="/courses/TX01/lessons/{LESSON_SLUGS[1]}">{LESSON_TITLES[1]}</a>' in test_page

    # Reading the last lesson completes the course: both pages stop saying it.
    _read(client, LESSON_SLUGS[1])
    assert NOT_FINISHED not in client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert NOT_FINISHED not in client.get("/me").get_data(as_text=True)
    assert NOT_FINISHED not in client.get("/courses/TX01/test").get_data(as_text=True)


def test_with_every_lesson_read_neither_page_says_the_course_is_unfinished(login_as, course, db):
    finish_lessons(catalog_queries.course_by_code("TX01"), official_id())
    db.session.commit()
    client = login_as("learner")
    attempt_id = _take_test(client, db)
    assert db.session.get(Attempt, attempt_id).passed
    result = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert NOT_FINISHED not in result and "not done" not in result
    assert NOT_FINISHED not in client.get("/me").get_data(as_text=True)


def test_a_failed_test_with_lessons_unread_says_nothing_of_the_kind(login_as, course, db):
    client = login_as("learner")
    attempt_id = _take_test(client, db, right=False)
    assert not db.session.get(Attempt, attempt_id).passed
    assert NOT_FINISHED not in client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert NOT_FINISHED not in client.get("/me").get_data(as_text=True)


def test_the_manager_reading_the_learners_result_is_not_told_to_read_lessons(login_as, course, db):
    attempt_id = _take_test(login_as("learner"), db)
    page = login_as("manager").get(f"/attempts/{attempt_id}/review")
    assert page.status_code == 200
    assert NOT_FINISHED not in page.get_data(as_text=True)
