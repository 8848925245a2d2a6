"""What the learner sees when the test of a course they completed opens again (assessments.retake):
"Làm lại để gia hạn" on the course page and the test page from the first day of the renewal
window, never the day before; "Làm lại cho chu kỳ mới" for a repeatable course in a new cycle;
the day the test opens again while the course is done. Vietnamese, the default language."""

from datetime import date

import pytest

from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START
from tests.services.test_assessments_retake import use_every_attempt

RENEW = "Làm lại để gia hạn"
NEW_CYCLE = "Làm lại cho chu kỳ mới"


@pytest.fixture
def course(world, assets_dir, freeze):
    freeze(START)
    return make_test_course()


def pages(login_as, freeze, day):
    freeze(day)
    client = login_as("learner")
    course_page = client.get("/courses/TX01").get_data(as_text=True)
    test_page = client.get("/courses/TX01/test").get_data(as_text=True)
    return client, course_page, test_page


def test_the_renewal_is_offered_from_the_first_day_of_its_window(course, freeze, login_as):
    """Valid 24 months from 02/03/2026: expires 02/03/2028, the 60-day window opens 02/01/2028."""
    course.validity_months = 24
    use_every_attempt(freeze, course)
    db.session.commit()

    _client, course_page, test_page = pages(login_as, freeze, date(2028, 1, 1))
    assert RENEW not in course_page and RENEW not in test_page
    assert "Anh/chị có thể làm lại bài kiểm tra từ ngày 02/01/2028." in test_page
    assert "Anh/chị đã sử dụng hết số lượt làm bài." in test_page

    for day in (date(2028, 1, 2), date(2028, 1, 3)):
        client, course_page, test_page = pages(login_as, freeze, day)
        assert RENEW in course_page and RENEW in test_page
        assert "Văn bằng của anh/chị hết hạn ngày 02/03/2028" in test_page
        assert "Anh/chị đã sử dụng hết số lượt làm bài." not in test_page
    token = csrf_token(client, "/courses/TX01/test")
    response = client.post("/courses/TX01/test/start", data={"csrf_token": token})
    assert response.status_code == 302 and "/attempts/" in response.headers["Location"]


def test_a_course_done_once_offers_no_retake(course, freeze, login_as):
    course.validity_months = None
    use_every_attempt(freeze, course)
    db.session.commit()
    for day in (date(2026, 12, 31), date(2027, 1, 1), date(2030, 1, 1)):
        _client, course_page, test_page = pages(login_as, freeze, day)
        assert RENEW not in course_page + test_page and NEW_CYCLE not in course_page + test_page
        assert "làm lại bài kiểm tra từ ngày" not in test_page


def test_a_repeatable_course_is_offered_again_in_the_new_cycle(course, freeze, login_as):
    course.repeatable, course.validity_months = True, None
    use_every_attempt(freeze, course)
    db.session.commit()
    _client, course_page, test_page = pages(login_as, freeze, date(2026, 12, 31))
    assert NEW_CYCLE not in course_page + test_page
    _client, course_page, test_page = pages(login_as, freeze, date(2027, 1, 1))
    assert NEW_CYCLE in course_page and NEW_CYCLE in test_page
    assert "Chu kỳ mới đã bắt đầu" in test_page
