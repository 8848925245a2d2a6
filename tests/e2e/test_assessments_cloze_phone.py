"""A Cloze question on a phone (360 px), as a learner meets it: the text wraps around its
gaps, no gap or list runs off the screen, each gap is filled in place (a list, a typed word, a
number), and the review marks each gap (Đúng một phần, Đúng, Sai) without the page growing
wider than the phone."""

import re

import pytest
from playwright.sync_api import expect

from lms.assessments import bank
from tests.e2e.test_journey import log_in
from tests.factories import make_test_course, make_units, make_user

pytestmark = pytest.mark.browser

GIFT = "$CATEGORY: TX03/Chung\n\n::Q1::Thủ đô của Việt Nam là?{=Hà Nội ~Huế ~Đà Nẵng}"
CLOZE = (
    "Theo quy định hiện hành, thủ đô là {1:SHORTANSWER:=Hà Nội~%50%Ha Noi}; luật do cơ quan "
    "{2:MULTICHOICE:=Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam~Chính phủ nước Cộng hòa "
    "xã hội chủ nghĩa Việt Nam~Ủy ban nhân dân thành phố trực thuộc trung ương} ban hành; cả "
    "nước có {1:NUMERICAL:=34:0} tỉnh, thành phố sau khi sắp xếp đơn vị hành chính năm 2025."
)
XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="cloze">
    <name><text>Điền khuyết dài</text></name>
    <questiontext format="html"><text><![CDATA[{CLOZE}]]></text></questiontext>
  </question>
</quiz>
""".encode()


@pytest.fixture
def cloze_test(db, assets_dir):
    make_units()
    make_user("learner")
    db.session.commit()
    course = make_test_course(
        "TX03", GIFT, {"questions": 2, "time_limit_minutes": 20, "max_attempts": 3}
    )
    result = bank.parse_upload(XML, "xml")
    assert not result.errors, result.errors
    bank.import_questions(course, result)
    db.session.commit()


def assert_fits(page, width):
    wider = page.evaluate("document.documentElement.scrollWidth")
    assert wider <= width, f"the page is {wider} px wide on a {width} px phone"
    for gap in page.locator(".cloze-gap").all():
        area = gap.bounding_box()
        assert area["x"] >= 0 and area["x"] + area["width"] <= width, f"a gap runs off: {area}"


def test_a_learner_fills_a_cloze_question_and_reads_each_gap_mark_on_a_phone(new_page, cloze_test):
    page = new_page(width=360, height=740)
    log_in(page, "learner")
    page.goto("/courses/TX03/test")
    page.locator("form[action$='/test/start'] button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator(".question-text.cloze")).to_have_count(1)
    assert_fits(page, 360)

    page.get_by_label("Chỗ trống 1 trên 3").fill("Ha Noi")
    page.get_by_label("Chỗ trống 2 trên 3").select_option(
        label="Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    page.get_by_label("Chỗ trống 3 trên 3").fill("35")
    page.get_by_label("Hà Nội").check()
    page.locator("#finish").click()
    expect(page.locator("#finish-dialog")).to_contain_text("tất cả các câu hỏi")
    page.locator("#finish-confirm").click()
    expect(page.locator("#result")).to_be_visible()

    marks = page.locator(".gap-marks li")
    expect(marks).to_have_text(
        ["Chỗ trống 1: Đúng một phần", "Chỗ trống 2: Đúng", "Chỗ trống 3: Sai"]
    )
    assert_fits(page, 360)
