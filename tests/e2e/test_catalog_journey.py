"""What a learner notices in a real browser: finding a course without typing accents, reading
and marking two lessons done, leaving, and on the next visit the course page resumes at the
third lesson; the catalog, course and lesson pages have no serious or critical axe violations
and do not scroll sideways on a 360 px phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import NARROW, assert_no_sideways_scroll, log_in, path_of
from tests.factories import course_tree, import_tree, make_official, make_units, make_user

pytestmark = pytest.mark.browser

TITLE = "Văn hóa công vụ và đạo đức công vụ"


@pytest.fixture
def learner_world(db, assets_dir):
    """The learner (an official holding CM-CCVC) and a course mandatory for that position."""
    make_units()
    make_user("learner")
    make_official("E2E-01", "Trần Văn Nguyên", "SNV-CCVC")
    db.session.commit()
    files = course_tree(
        "BB01", lessons=4, title=TITLE, kind="by_position", positions=("CM-CCVC",), assets=True
    )
    files["BB01/lessons/01-khai-niem.md"] += (
        "\n![Sơ đồ ba tầng của văn hóa công vụ](../assets/so-do.png)\n"
    ).encode()
    import_tree(files | course_tree("TC01", title="An toàn thông tin"))


def test_a_learner_reads_two_lessons_leaves_and_resumes_at_the_third(page, learner_world):
    # 1. The catalog finds the course without accents.
    log_in(page, "learner")
    page.get_by_role("link", name="Khóa học", exact=True).click()
    expect(page).to_have_url(re.compile("/courses/$"))
    assert_accessible(page, "the catalog")
    page.get_by_label("Tên hoặc mã khóa học").fill("van hoa cong vu")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 khóa học.")
    page.get_by_role("link", name=TITLE).click()

    # 2. The course page offers to start at the first lesson.
    expect(page).to_have_url(re.compile("/courses/BB01$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(page, "the course page")
    page.get_by_role("link", name="Bắt đầu học").click()

    # 3. Reading and marking two lessons done; each leads to the next one.
    for number, slug in ((1, "khai-niem"), (2, "chuan-muc")):
        expect(page).to_have_url(re.compile(f"/courses/BB01/lessons/{slug}$"))
        expect(page.get_by_text(f"Bài {number} / 4")).to_be_visible()
        if number == 1:
            picture = page.get_by_role("img", name="Sơ đồ ba tầng của văn hóa công vụ")
            expect(picture).to_be_visible()
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=picture.element_handle())  # fmt: skip
            assert_accessible(page, "a lesson page")
        page.get_by_role("button", name="Đánh dấu đã học xong").click()
    expect(page).to_have_url(re.compile("/courses/BB01/lessons/quy-tac-ung-xu$"))
    expect(page.locator("progress")).to_have_attribute("value", "50")

    # 4. Leaving, and coming back another day.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile("/auth/login"))
    log_in(page, "learner")
    page.goto("/courses/BB01")
    resume = page.locator("#resume")
    expect(resume).to_contain_text("Bài 3. Quy tắc ứng xử")
    expect(page.get_by_text("Đã học 2/4 bài (50%)")).to_be_visible()
    resume.click()
    expect(page).to_have_url(re.compile("/courses/BB01/lessons/quy-tac-ung-xu$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài 3. Quy tắc ứng xử")


def test_catalog_course_and_lesson_pages_fit_a_phone(new_page, learner_world):
    page = new_page(width=NARROW, height=740)
    log_in(page, "learner")
    for path in ("/courses/", "/courses/BB01", "/courses/BB01/lessons/khai-niem"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        assert_no_sideways_scroll(page, path)
        assert_accessible(page, f"{path} at {NARROW} px")
    assert re.match(r"/courses/BB01/lessons/", path_of(page))


def test_a_manager_previews_a_lesson_and_the_authoring_pages_are_accessible(page, learner_world):
    make_user("manager")
    log_in(page, "manager")
    page.get_by_role("link", name="Quản lý khóa học").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quản lý khóa học")
    assert_accessible(page, "the course list for managers")
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile("/courses/manage/BB01$"))
    assert_accessible(page, "a course seen by its author")
    page.get_by_role("link", name="Thêm bài học").click()
    page.get_by_label("Tên", exact=True).fill("Bài 5. Tình huống")
    page.get_by_label("Nội dung (Markdown)").fill("## Tình huống\n\n**Chú ý** <script>x</script>")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("section.lesson-body")
    expect(preview.locator("strong")).to_have_text("Chú ý")
    expect(preview.locator("script")).to_have_count(0)
    assert_accessible(page, "the lesson form with its preview")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("link", name="Bài 5. Tình huống")).to_be_visible()
    page.goto("/courses/manage/BB01/edit")
    assert_accessible(page, "the course form")
