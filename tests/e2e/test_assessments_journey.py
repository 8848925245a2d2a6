"""What a learner notices in a real browser taking a timed test: the countdown from the server's
clock, answers saved as they are chosen (without pressing anything), a reload in the middle
that finds them again, submitting, and the result; the attempt page has no serious or critical
axe violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import log_in
from tests.factories import make_test_course, make_units, make_user

pytestmark = pytest.mark.browser

BANK = """$CATEGORY: TX01/Luật

::L1::Luật Cán bộ, công chức có hiệu lực từ năm nào?{=2010 ~2008 ~2019}

$CATEGORY: TX01/Tính toán

::N1::Một tín chỉ bằng bao nhiêu tiết?{#15}

::S1::Thủ đô của Việt Nam là thành phố nào?{=Hà Nội}
"""


@pytest.fixture
def learner_world(db, assets_dir):
    """The learner (CM-CCVC) and a course mandatory for that position, with a 20-minute test."""
    make_units()
    make_user("learner")
    db.session.commit()
    make_test_course("TX01", BANK, {"questions": 3, "time_limit_minutes": 20, "max_attempts": 2})


def test_a_learner_takes_a_timed_test_reloads_midway_and_sees_the_result(page, learner_world):
    log_in(page, "learner")
    page.goto("/courses/TX01")
    page.locator("#test-link").click()
    expect(page).to_have_url(re.compile("/courses/TX01/test$"))
    page.locator("form[action$='/test/start'] button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^(20:00|19:5\d)$"))
    assert_accessible(page, "the attempt page")

    # Answer two questions; each is saved without pressing any button.
    page.get_by_label("2010", exact=True).check()
    expect(page.locator("#save-status")).not_to_be_empty()
    expect(page.locator("#save-status")).to_have_text(re.compile("saved|lưu", re.I))
    answer = page.locator("#attempt-form input[type=text][inputmode=decimal]")
    answer.fill("15")
    answer.blur()
    page.wait_for_timeout(300)
    expect(page.locator("#save-status")).to_have_text(re.compile("saved|lưu", re.I))

    # A reload in the middle finds both answers, and the clock kept running on the server.
    page.reload()
    expect(page.get_by_label("2010", exact=True)).to_be_checked()
    expect(page.locator("#attempt-form input[type=text][inputmode=decimal]")).to_have_value("15")
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^(20:00|19:[0-5]\d)$"))

    # The last answer, then submit (confirmed: nothing is left unanswered): the result page
    # shows the score and that it passed.
    page.locator("#attempt-form input[type=text]:not([inputmode])").fill("Hà Nội")
    page.locator("#finish").click()
    expect(page.locator("#finish-dialog")).to_contain_text("tất cả các câu hỏi")
    assert_accessible(page, "the submit confirmation")
    page.locator("#finish-confirm").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))
    expect(page.locator("#score")).to_have_text(re.compile(r"^100"))
    expect(page.locator("#verdict")).to_be_visible()
    assert_accessible(page, "the result page")
