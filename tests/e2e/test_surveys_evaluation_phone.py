"""A learner on a 360 px phone answers the course evaluation /me asks of them: the task on /me,
the form without sideways scrolling and accessible, sent once, then gone from /me."""

import pytest
from playwright.sync_api import expect

from lms.extensions import db
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import NARROW, assert_no_sideways_scroll, log_in
from tests.factories import make_completion, make_course, make_questionnaires

pytestmark = pytest.mark.browser


def test_a_learner_answers_the_course_evaluation_on_a_phone(new_page, world):
    make_questionnaires()
    course = make_course("EV01", title="Kỹ năng tiếp công dân")
    db.session.commit()
    make_completion(world["learner"].official, course, commit=True)

    page = new_page(width=NARROW, height=740)
    log_in(page, "learner")
    page.goto("/me")
    task = page.get_by_role("link", name="Đánh giá khóa học: EV01 Kỹ năng tiếp công dân")
    task.click()
    expect(page.locator("h1")).to_have_text("Phiếu đánh giá khóa bồi dưỡng")
    assert_no_sideways_scroll(page, "the course evaluation")
    assert_accessible(page, "the course evaluation at 360 px")
    for code in ("objectives", "relevance", "materials", "overall"):
        page.locator(f"#item-{code} label", has_text="4").click()
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.locator("[data-status=answered]")).to_be_visible()
    page.goto("/me")
    expect(
        page.get_by_role("link", name="Đánh giá khóa học: EV01 Kỹ năng tiếp công dân")
    ).to_have_count(0)
