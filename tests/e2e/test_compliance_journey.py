"""What HR and a reviewer notice in a real browser on the compliance screens: the city's counts,
a drill-down into a ward, the list of who owes what, a frozen statement after the close; the
pages usable at 360 px and free of serious or critical axe-core violations."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from lms.curricula.ledger import services as ledger
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import log_in
from tests.factories import make_cycle, make_official, make_target, make_units, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def compliance_world(db):
    """The 2025 cycle (over), HR over the city, a reviewer over SNV, three officials."""
    make_units()
    make_user("hr")
    make_user("reviewer")
    cycle = make_cycle(2025)
    people = (
        ("E2E-C1", "Trần Thị Ánh", "SNV-CCVC", 3),
        ("E2E-C2", "Đặng Hữu Phước", "P-HAICHAU", 1),
        ("E2E-C3", "Huỳnh Ưng Ỷ", "P-HAICHAU", 0),
    )
    for code, name, unit, earned in people:
        official = make_official(code, name, unit)
        make_target(official, cycle, 3)
        if earned:
            ledger.append(
                ledger.NewEntry(official.id, date(2025, 5, 1), Decimal(earned), "manual", "Lớp")
            )
    db.session.commit()


def test_hr_drills_down_and_closes_then_the_reviewer_reads_the_statement(
    compliance_world, new_page
):
    page = new_page(width=360, height=740)
    log_in(page, "hr")
    page.goto("/compliance/?cycle=2025")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    assert_accessible(page, "compliance dashboard at 360 px")
    page.get_by_role("link", name="Ủy ban nhân dân phường Hải Châu").first.click()
    expect(page.locator(".breadcrumb")).to_contain_text("Hải Châu")
    page.goto("/compliance/officials?cycle=2025&unit=P-HAICHAU")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Đặng Hữu Phước")).to_be_visible()
    expect(page.get_by_text("Trần Thị Ánh")).to_have_count(0)
    assert_accessible(page, "officials who owe, at 360 px")

    page.goto("/compliance/cycles/2025/close")
    page.get_by_label("Đơn vị").select_option("DN")
    page.get_by_role("button", name="Khóa sổ cho đơn vị này").click()
    expect(page.locator(".flashes")).to_contain_text("5")  # 3 officials + hr and reviewer

    reviewer = new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto("/reviews/E2E-C1?cycle=2025")
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text("Trần Thị Ánh")
    expect(reviewer.locator("dl.facts")).to_contain_text("Đạt")
    assert_accessible(reviewer, "review statement")
    reviewer.goto("/reviews/E2E-C3?cycle=2025")
    assert reviewer.locator("h1").inner_text() != "Huỳnh Ưng Ỷ"  # outside the reviewer's scope
