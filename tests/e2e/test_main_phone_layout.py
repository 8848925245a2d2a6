"""The frame of every page on a phone (360 px): the main menu folds into one "Danh mục" button
that names the current page and opens to the whole menu; the account's own links sit under the
user's name; a table's rows read as cards of "heading: value" lines. On a desktop the menu is
open and the table is a table."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import NARROW, assert_no_sideways_scroll, hr_world, log_in  # noqa: F401

pytestmark = pytest.mark.browser


def test_on_a_phone_the_menu_folds_and_rows_read_as_cards(new_page, hr_world):  # noqa: F811
    page = new_page(width=NARROW, height=740)
    log_in(page)
    page.goto("/officials/")
    menu = page.locator("details.nav-menu")
    expect(menu.locator("summary")).to_have_text("Danh mục · Cán bộ, công chức")
    registry_link = page.get_by_role("link", name="Tình hình hoàn thành")
    expect(registry_link).to_be_hidden()
    menu.locator("summary").click()
    expect(registry_link).to_be_visible()

    # The password link is under the user's name, not in the header line.
    password_link = page.get_by_role("link", name="Mật khẩu")
    expect(password_link).to_be_hidden()
    page.locator("details.account-menu summary").click()
    expect(password_link).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    # Each cell carries its column's heading and the heading row is out of sight.
    first_row = page.locator("table tbody tr").first
    expect(first_row.locator("td").first).to_have_attribute("data-label", "Họ và tên")
    expect(page.locator("table thead")).not_to_be_in_viewport()
    row = first_row.bounding_box()
    assert row["width"] > NARROW * 0.8  # a card across the screen, not a squeezed column
    assert_no_sideways_scroll(page, "the registry as cards")
    assert_accessible(page, "the registry as cards at 360 px")


def test_on_a_desktop_the_menu_is_open_and_tables_stay_tables(new_page, hr_world):  # noqa: F811
    page = new_page()
    log_in(page)
    page.goto("/officials/")
    expect(page.locator("details.nav-menu summary")).to_be_hidden()
    expect(page.get_by_role("link", name="Tình hình hoàn thành")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Họ và tên")).to_be_visible()


LABELS_FIT = """() => [...document.querySelectorAll('table.stacked td[data-label]')].filter(td => {
  const label = parseFloat(getComputedStyle(td, '::before').height) || 0;
  return label > td.getBoundingClientRect().height + 1;
}).map(td => td.getAttribute('data-label'))"""


def test_a_label_that_wraps_makes_its_row_taller_not_overlapping(new_page, hr_world):  # noqa: F811
    """ "Cán bộ, công chức" (the registry's unit column's long neighbours) wraps to two lines in
    the label column: the cell grows with it instead of running into the next line."""
    page = new_page(width=NARROW, height=740)
    log_in(page)
    page.goto("/officials/")
    page.evaluate(
        "() => document.querySelectorAll('table.stacked td[data-label]').forEach("
        "td => td.setAttribute('data-label', 'Một tiêu đề cột rất dài phải xuống dòng'))"
    )
    assert page.evaluate(LABELS_FIT) == []
    assert_no_sideways_scroll(page, "long labels")


def test_a_form_field_in_a_card_row_stays_on_the_screen(new_page, hr_world):  # noqa: F811
    """A results sheet's rows are cards holding form fields (attendance, score, result): a
    field as wide as its cell, padding and border included, never runs past the phone's edge."""
    page = new_page(width=NARROW, height=740)
    log_in(page)
    page.goto("/officials/")
    page.evaluate(
        "() => document.querySelectorAll('table.stacked tbody td[data-label]').forEach(td => {"
        ' td.innerHTML = \'<input type="text" size="40"> <select><option>Không đạt</option>'
        "</select>'; })"
    )
    assert_no_sideways_scroll(page, "form fields in card rows")
    for field in page.locator("table.stacked input").all()[:5]:
        area = field.bounding_box()
        assert area["x"] + area["width"] <= NARROW, f"a field runs off the screen: {area}"


def test_long_values_badges_and_totals_stay_inside_their_card(new_page, hr_world):  # noqa: F811
    """A category path without spaces ("$course$/Iota/Kappa/Lambda" in a question import) wraps
    inside its card instead of running out of it; a long badge ("Bắt buộc đối với vị trí việc
    làm của anh/chị") wraps on the screen; a footer's totals carry their column's heading ("Tổng
    cộng 32 0 0" said nothing)."""
    page = new_page(width=NARROW, height=740)
    log_in(page)
    page.goto("/officials/")
    page.evaluate(
        """() => {
        document.querySelector('table.stacked tbody td').textContent =
          '$course$/Iota/Kappa/Lambda/Mu/Nu/Xi/Omicron/Sigma';
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = 'Bắt buộc đối với vị trí việc làm của anh/chị, hạn hoàn thành năm sau';
        document.querySelector('main h1').after(badge);
        const row = document.querySelector('main table').createTFoot().insertRow();
        row.innerHTML = '<th scope="row">Tổng cộng</th><td>605</td>';
      }"""
    )
    page.add_script_tag(url="/static/layout.js")  # label the footer added above
    card = page.locator("main .table-wrap").first.bounding_box()
    cell = page.locator("table.stacked tbody td").first.bounding_box()
    assert cell["x"] + cell["width"] <= card["x"] + card["width"] + 1
    badge = page.locator("main span.badge").last.bounding_box()
    assert badge["x"] + badge["width"] <= NARROW
    expect(page.locator("table.stacked tfoot td")).to_have_attribute("data-label", "Mã cán bộ")
    assert_no_sideways_scroll(page, "long values")
