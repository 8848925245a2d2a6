"""A fair test in a real browser (issue 22): a learner fails attempt 1 of 3 and the review
shows their answer marked Sai but no right answer; a second attempt within the 24-hour delay
is refused with the moment it opens (dd/mm/yyyy HH:mm); after the last attempt the review
shows the right answer."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from lms.assessments import quizzes
from lms.catalog import queries
from lms.extensions import db as _db
from tests.e2e.test_journey import log_in
from tests.factories import make_test_course, make_units, make_user

pytestmark = pytest.mark.browser

START = datetime(2026, 3, 2, 2, 0)  # 09:00 in Đà Nẵng
BANK = "::L1::Luật Cán bộ, công chức có hiệu lực từ năm nào?{=2010 ~2008 ~2019}\n"


@pytest.fixture
def fair_test(db, assets_dir, freeze):
    freeze(START)
    make_units()
    make_user("learner")
    db.session.commit()
    make_test_course("TX01", BANK, {"questions": 1, "time_limit_minutes": 20, "max_attempts": 3})
    quiz = quizzes.quiz_of(queries.course_by_code("TX01"))
    quiz.delay_minutes = 24 * 60
    _db.session.commit()


def _fail_an_attempt(page) -> None:
    page.goto("/courses/TX01/test")
    page.locator("form[action$='/test/start'] button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    page.get_by_label("2008", exact=True).check()
    page.locator("#finish").click()
    page.locator("#finish-confirm").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))


def test_right_answers_wait_for_the_last_attempt_and_retries_for_the_delay(
    new_page, fair_test, freeze
):
    page = new_page()
    log_in(page, "learner")
    _fail_an_attempt(page)
    first_review = page.url
    expect(page.locator(".correctness")).to_have_text("Sai")
    expect(page.locator(".right-answer")).to_have_count(0)
    expect(page.locator("#answers-later")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Đáp án đúng:")

    # A second attempt the same morning is refused, saying when the test opens again.
    page.goto("/courses/TX01/test")
    expect(page.locator(".flash-warning")).to_have_text(
        "Anh/chị có thể làm lượt mới từ 03/03/2026 09:00."
    )
    expect(page.locator("form[action$='/test/start']")).to_have_count(0)

    # The next day, attempt 2 (failed again); two days later, attempt 3, the last one.
    for days in (1, 2):
        freeze(START + timedelta(days=days, minutes=1))
        page = new_page()
        log_in(page, "learner")
        _fail_an_attempt(page)
    expect(page.locator(".right-answer")).to_contain_text("2010")
    expect(page.locator("#answers-later")).to_have_count(0)
    page.goto(first_review)
    expect(page.locator(".right-answer")).to_contain_text("2010")
