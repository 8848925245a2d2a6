"""The question editor on a phone (360 px), as a training manager meets it: the form shows only
the fields of the chosen type (answers for choices, the value and tolerance for a numerical
question, the right answer for true/false, the Cloze syntax for Cloze), follows a change of
type at once, saves, and opens the saved question again with its own fields — nothing runs off
the screen."""

import re

import pytest
from playwright.sync_api import expect

from lms.assessments.models import BankQuestion
from tests.e2e.test_journey import log_in
from tests.factories import make_test_course

pytestmark = pytest.mark.browser

NEW = "/courses/manage/TX04/questions/new"
ONLY_SOME = {
    "answers": "#lines",
    "true/false": "#true_is_right",
    "value": "#number",
    "tolerance": "#tolerance",
    "cloze syntax": "#text-hint",
}


@pytest.fixture
def course(world, assets_dir):
    make_test_course("TX04")


def shown(page) -> set[str]:
    return {name for name, selector in ONLY_SOME.items() if page.locator(selector).is_visible()}


def assert_fits(page):
    wider = page.evaluate("document.documentElement.scrollWidth")
    assert wider <= 360, f"the editor is {wider} px wide on a 360 px phone"


def test_the_editor_shows_the_fields_of_the_chosen_type_and_saves_on_a_phone(new_page, course, db):
    page = new_page(width=360, height=740)
    log_in(page, "manager")
    page.goto(NEW)
    kind = page.get_by_label("Loại", exact=True)
    assert kind.input_value() == "single_choice" and shown(page) == {"answers"}
    assert_fits(page)

    kind.select_option("true_false")
    assert shown(page) == {"true/false"}
    kind.select_option("cloze")
    assert shown(page) == {"cloze syntax"}
    kind.select_option("essay")
    assert shown(page) == set()
    kind.select_option("numerical")
    assert shown(page) == {"value", "tolerance"}
    assert_fits(page)

    page.get_by_label("Tên", exact=True).fill("Số tỉnh")
    page.get_by_label("Nội dung câu hỏi").fill("Cả nước có bao nhiêu tỉnh, thành phố?")
    page.get_by_label("Câu hỏi số: giá trị đúng").fill("34")
    page.get_by_label("Câu hỏi số: sai số cho phép (±)").fill("0")
    page.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"/questions(\?.*)?$"))
    row = db.session.query(BankQuestion).filter_by(name="Số tỉnh").one()
    assert row.kind == "numerical"

    page.goto(f"/courses/manage/TX04/questions/{row.id}/editor")
    expect(page.get_by_label("Câu hỏi số: giá trị đúng")).to_have_value("34")
    assert shown(page) == {"value", "tolerance"}
    assert_fits(page)
