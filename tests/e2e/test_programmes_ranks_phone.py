"""A training manager on a phone (360 px) opens a programme's page from the programmes list,
requires it of a rank (chuyên viên chính) and no longer: the page reads in Vietnamese, without
sideways scrolling or serious axe-core violations."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import NARROW, assert_no_sideways_scroll, log_in
from tests.factories import cycle_of, make_programme_scene, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def programme_world(db, assets_dir, freeze):
    freeze(date(2026, 3, 20))
    cycle_of(2026)
    make_programme_scene()  # LDQL, required of LD-TP
    make_user("manager")
    db.session.commit()


def test_a_manager_requires_a_programme_of_a_rank_on_a_phone(programme_world, new_page):
    page = new_page(width=NARROW, height=740)
    log_in(page, "manager")
    page.goto("/manage/programmes")  # redirected to /manage/programmes/
    page.get_by_role("link", name="LDQL · Bồi dưỡng lãnh đạo, quản lý cấp phòng").click()
    ranks = page.locator("#ranks")
    expect(ranks.get_by_role("heading")).to_have_text("Các ngạch yêu cầu chương trình")
    expect(ranks).to_contain_text("Chưa có ngạch nào yêu cầu chương trình này.")
    page.get_by_label("Ngạch").select_option("01.002")
    page.get_by_role("button", name="Yêu cầu đối với một ngạch").click()
    expect(page.get_by_text("Ngạch 01.002 Chuyên viên chính từ nay yêu cầu")).to_be_visible()
    row = ranks.locator('tr[data-rank="01.002"]')
    expect(row).to_contain_text("Chuyên viên chính")
    expect(row).to_contain_text("20/03/2026")
    assert_no_sideways_scroll(page, "a programme's page")
    assert_accessible(page, "a programme's page at 360 px")
    page.screenshot(path="/tmp/progs_ranks_360.png", full_page=True)
    row.get_by_role("button", name="Bỏ yêu cầu").click()
    expect(page.get_by_text("không còn yêu cầu chương trình LDQL")).to_be_visible()
    expect(ranks.locator("tr[data-rank]")).to_have_count(0)
