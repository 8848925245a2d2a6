"""The attempt page as a learner sees it on a phone (360 px) and on a desktop: the status line
(timer, answered counter, save status) and the site header never cover a question; the timer
stays on screen while the learner scrolls through a long test; the answered counter follows
the answers as they are chosen; submitting asks first and says how many questions are still
unanswered (in the page's language), and going back keeps the learner on the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journey import log_in
from tests.factories import make_test_course, make_units, make_user

pytestmark = pytest.mark.browser

# Eight questions, some with long statements, so that the page scrolls on every width.
LONG = (
    "Theo quy định hiện hành về đào tạo, bồi dưỡng cán bộ, công chức, viên chức, "
    "nội dung nào sau đây là đúng khi xác định nghĩa vụ học tập hằng năm của công chức "
    "giữ ngạch chuyên viên tại các cơ quan hành chính cấp xã, phường?"
)
BANK = "$CATEGORY: TX02/Chung\n\n" + "\n\n".join(
    f"::Q{n}::Câu {n}. {LONG}{{=Đúng {n} ~Sai {n}a ~Sai {n}b ~Sai {n}c}}" for n in range(1, 9)
)


@pytest.fixture
def long_test(db, assets_dir):
    make_units()
    make_user("learner")
    db.session.commit()
    make_test_course("TX02", BANK, {"questions": 8, "time_limit_minutes": 30, "max_attempts": 3})


def start_attempt(page):
    log_in(page, "learner")
    page.goto("/courses/TX02/test")
    page.locator("form[action$='/test/start'] button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("fieldset.question")).to_have_count(8)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def overlaps(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def assert_nothing_covers_a_question(page, width):
    chrome = {
        name: box(page, selector)
        for name, selector in {
            "the status line": "#timer >> xpath=..",
            "the timer": "#timer",
            "the answered counter": "#answered",
            "the site header": "header.site-header",
            "the page title": ".page-head",
        }.items()
    }
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        question = questions.nth(index).bounding_box()
        for name, area in chrome.items():
            assert area is not None, f"{name} is not shown at {width} px"
            assert not overlaps(area, question), (
                f"{name} {area} overlaps question {index + 1} {question} at {width} px"
            )


@pytest.mark.parametrize("width", [360, 1280])
def test_nothing_covers_a_question_and_the_timer_stays_visible_while_scrolling(
    new_page, long_test, width
):
    page = new_page(width=width, height=640)
    start_attempt(page)
    assert_nothing_covers_a_question(page, width)

    # Scroll to the last question: the timer is still inside the viewport, fully.
    page.locator("fieldset.question").last.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.scrollY") > 200, "the page did not scroll"
    timer = box(page, "#timer")
    assert timer["y"] >= 0 and timer["y"] + timer["height"] <= 640, (
        f"the timer left the screen after scrolling at {width} px: {timer}"
    )
    expect(page.locator("#timer")).to_be_in_viewport()
    expect(page.locator("#answered")).to_be_in_viewport()

    # A question reached by its anchor is not hidden under the sticky status line.
    page.evaluate("() => document.getElementById('attempt-form').scrollIntoView()")
    page.locator("fieldset.question").nth(5).evaluate("el => el.scrollIntoView()")
    page.wait_for_timeout(100)
    status = box(page, "#timer >> xpath=..")
    legend = page.locator("fieldset.question").nth(5).locator("legend").bounding_box()
    assert legend["y"] >= status["y"] + status["height"] - 1, (
        f"question 6's title is under the status line at {width} px"
    )


def test_the_counter_follows_the_answers_and_submitting_asks_first(new_page, long_test):
    page = new_page(width=360, height=640)
    start_attempt(page)
    counter = page.locator("#answered")
    expect(counter).to_have_text(re.compile(r"0\D+8"))

    page.get_by_label("Đúng 1", exact=True).check()
    expect(counter).to_have_text(re.compile(r"1\D+8"))
    page.get_by_label("Sai 2a", exact=True).check()
    expect(counter).to_have_text(re.compile(r"2\D+8"))
    page.get_by_label("Đúng 2", exact=True).check()  # a changed answer is still one answer
    expect(counter).to_have_text(re.compile(r"2\D+8"))
    expect(page.locator("#save-status")).to_have_text(re.compile("lưu", re.I))

    # Submit: a confirmation in Vietnamese names the six unanswered questions; "go back" stays.
    page.locator("#finish").click()
    dialog = page.locator("#finish-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("6 câu hỏi chưa được trả lời")
    page.locator("#finish-cancel").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))

    # Answering another one is counted in the question; confirming submits the test.
    page.get_by_label("Đúng 3", exact=True).check()
    expect(counter).to_have_text(re.compile(r"3\D+8"))
    page.locator("#finish").click()
    expect(dialog).to_contain_text("5 câu hỏi chưa được trả lời")
    page.locator("#finish-confirm").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))
    expect(page.locator("#score")).to_have_text(re.compile(r"^37[.,]5"))


def test_without_javascript_the_submit_button_still_submits(browser, live_server, long_test):
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        start_attempt(page)
        page.get_by_label("Đúng 1", exact=True).check()
        page.locator("#finish").click()
        expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))
        expect(page.locator("#score")).to_have_text(re.compile(r"^12[.,]5"))
    finally:
        context.close()


PAIRS = (
    ("Giả danh qua điện thoại", "Không cung cấp mã OTP, mật khẩu cho bất kỳ ai qua điện thoại, "
     "kể cả người xưng là cơ quan chức năng"),
    ("Mã độc tống tiền", "Sao lưu dữ liệu định kỳ và không mở tệp đính kèm từ nguồn không rõ "
     "ràng trong thư điện tử"),
    ("Thư điện tử lừa đảo", "Kiểm tra kỹ địa chỉ người gửi và đường liên kết trước khi bấm, báo "
     "cho bộ phận công nghệ thông tin"),
)  # fmt: skip
MATCHING = (
    "$CATEGORY: TX03/Chung\n\n::M1::Ghép mỗi nguy cơ với cách phòng tránh{\n"
    + "".join(f"={risk} -> {answer}\n" for risk, answer in PAIRS)
    + "}\n"
)


@pytest.fixture
def matching_test(db, assets_dir):
    make_units()
    make_user("learner")
    db.session.commit()
    make_test_course("TX03", MATCHING, {"questions": 1, "time_limit_minutes": 10})


def test_a_matching_question_with_long_choices_fits_a_phone(new_page, matching_test):
    """Its selects hold the long choices; the question must still fit 360 px (a fieldset is
    as wide as its widest select unless told otherwise)."""
    page = new_page(width=360, height=740)
    log_in(page, "learner")
    page.goto("/courses/TX03/test")
    page.locator("form[action$='/test/start'] button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    question = page.locator("fieldset.question").first.bounding_box()
    assert question["x"] + question["width"] <= 360, question
    for select in page.locator("fieldset.question select").all():
        area = select.bounding_box()
        assert area["x"] + area["width"] <= 360, area
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the attempt page scrolls sideways: {width} px"
