"""What a candidate notices in a real browser on a phone (360 px): before their session the paper
cannot be started; inside it, a wrong session code is refused; with the code the paper opens,
answers are saved as they are chosen, and after submitting the multiple-choice score shows; the
results log verifies. The screens have no serious or critical axe violations and no sideways
scroll."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from lms.extensions import db
from lms.recruitment import results_log
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import log_in
from tests.factories import (
    PASSWORD,
    make_candidate,
    make_exam_session,
    make_recruitment,
    make_units,
)

pytestmark = pytest.mark.browser
PHONE = 360


@pytest.fixture
def exam_world(db, assets_dir):
    make_units()
    recruitment = make_recruitment()
    person = make_candidate(recruitment, "Trương Thị Thí Sinh", password=PASSWORD)
    db.session.commit()
    make_exam_session(recruitment, seat=[person], code="AB12CD")
    return person


def _no_sideways_scroll(page, where):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE + 1, f"{where} scrolls sideways at {PHONE} px: {width}"


def test_a_candidate_starts_only_in_the_window_with_the_code_and_sees_the_score(
    new_page, exam_world, freeze
):
    page = new_page(width=PHONE, height=740)
    freeze(datetime(2026, 6, 15, 7, 30))  # half an hour before the session
    log_in(page, exam_world.user.username)
    expect(page).to_have_url(re.compile("/exam/$"))
    expect(page.locator("#candidate-number")).to_have_text(exam_world.number)
    expect(page.locator("#not-open")).to_contain_text("chưa bắt đầu")
    expect(page.get_by_label("Mã ca thi")).to_have_count(0)
    _no_sideways_scroll(page, "the candidate's page")

    freeze(datetime(2026, 6, 15, 8, 5))  # inside the window
    page.reload()
    page.get_by_label("Mã ca thi").fill("SAI999")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.locator(".flash-error")).to_contain_text("Mã ca thi không đúng")
    assert_accessible(page, "the candidate's page")

    page.get_by_label("Mã ca thi").fill("ab12cd")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page).to_have_url(re.compile("/exam/paper$"))
    expect(page.locator("fieldset.question")).to_have_count(6)
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^(30:00|29:[0-5]\d)$"))
    _no_sideways_scroll(page, "the paper")
    assert_accessible(page, "the paper")

    page.get_by_label("2010", exact=True).check()  # right
    expect(page.locator("#save-status")).to_have_text(re.compile("lưu", re.I))
    page.get_by_label("Ctrl+V", exact=True).check()  # wrong
    page.wait_for_timeout(300)
    page.reload()
    expect(page.get_by_label("2010", exact=True)).to_be_checked()

    page.locator("#finish").click()
    page.locator("#finish-confirm").click()
    expect(page).to_have_url(re.compile("/exam/result$"))
    expect(page.locator("#correct")).to_have_text("1 trên 6")
    expect(page.locator("#score")).to_contain_text("1,67")
    _no_sideways_scroll(page, "the score")
    assert_accessible(page, "the score")

    db.session.expire_all()
    assert results_log.latest(exam_world.id, "computer_score").payload["score"] == "1.00"
    assert results_log.verify() == []
