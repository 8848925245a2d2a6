"""An official's first day in a real browser: HR creates the accounts of their units on the
accounts screen, the official opens the activation link on a phone-sized screen, chooses a
password and lands logged in on their home page; the link then fails with a clear page. Every
page is usable at 360 px and free of serious axe-core violations."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.auth import activation
from lms.auth.models import AccountActivation, User
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import acknowledge_notice, assert_no_sideways_scroll, log_in
from tests.factories import make_official, make_units, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def first_day(db):
    make_units()
    make_user("hr")
    make_official("E2E-11", "Nguyễn Thị Ngọc Ánh", "P-HAICHAU", "XA-MC")
    make_official("E2E-12", "Đặng Hữu Phước", "P-HAICHAU", "XA-MC", gender="male")
    make_official("E2E-13", "Huỳnh Ưng Ỷ", "SNV-CCVC")
    db.session.commit()


def activation_path(db, username: str) -> str:
    link = db.session.scalar(select(AccountActivation).join(User).where(User.username == username))
    return f"/activate/{activation.link_token(link)}"


def test_hr_creates_accounts_and_the_official_activates_from_the_link(new_page, first_day, db):
    hr = new_page()
    log_in(hr)
    hr.goto("/officials/accounts")
    assert_accessible(hr, "the accounts screen")
    hr.get_by_label("Gửi đường liên kết qua email cho cán bộ có địa chỉ email").first.uncheck()
    hr.get_by_role("button", name="Tạo tài khoản cho 3 cán bộ").click()
    expect(hr.get_by_role("link", name="Tất cả thư của lượt này (PDF)")).to_be_visible()
    assert_accessible(hr, "a provisioning run's page")

    official = new_page(width=360, height=740)
    official.goto(activation_path(db, "e2e-11"))
    expect(official.get_by_role("heading", level=1)).to_have_text("Kích hoạt tài khoản")
    expect(official.get_by_text("e2e-11", exact=True)).to_be_visible()
    assert "/activate/" not in official.url  # the link left the address bar
    assert_no_sideways_scroll(official, "the activation form")
    assert_accessible(official, "the activation form")
    official.get_by_label("Đặt mật khẩu").fill("Sen-Hong-2026")
    official.get_by_label("Nhập lại mật khẩu").fill("Sen-Hong-2026")
    official.get_by_role("button", name="Kích hoạt và đăng nhập").click()
    # The first login shows the privacy notice, readable on the phone, before the home page.
    expect(official.get_by_role("heading", level=1)).to_have_text("Thông báo xử lý dữ liệu cá nhân")
    assert_no_sideways_scroll(official, "the privacy notice")
    assert_accessible(official, "the privacy notice on a phone")
    acknowledge_notice(official)
    expect(official.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Thị Ngọc Ánh")
    expect(official.get_by_role("button", name="Đăng xuất")).to_be_visible()

    again = new_page(width=360, height=740)
    again.goto(activation_path(db, "e2e-11"))
    expect(again.get_by_role("heading", level=1)).to_have_text(
        "Đường liên kết kích hoạt này đã được sử dụng"
    )
    assert_accessible(again, "a used activation link")
