"""What an HR officer notices in a real browser: a Vietnamese login page, a switch to English that
sticks, an accent-free search of the registry, logging out; every page usable at 360 px and free
of serious or critical axe-core violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, make_official, make_units, make_user

pytestmark = pytest.mark.browser

NGUYEN_VAN = ("Nguyễn Văn An", "Nguyễn Văn Đức")
OTHERS = ("Nguyễn Thị Cúc", "Trần Văn Nguyên", "Phạm Thị Hoa")
NARROW = 360


@pytest.fixture
def hr_world(db):
    """Units, the hr user (HR officer over the whole city) and a handful of officials."""
    make_units()
    make_user("hr")
    make_official("E2E-01", NGUYEN_VAN[0], "SNV-CCVC", gender="male")
    make_official("E2E-02", NGUYEN_VAN[1], "P-HAICHAU", "XA-MC", gender="male")
    make_official("E2E-03", OTHERS[0], "SNV-CCVC")
    make_official("E2E-04", OTHERS[1], "P-HAICHAU", "XA-MC", gender="male")
    make_official("E2E-05", OTHERS[2], "SNV", "LD-TP")
    db.session.commit()


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def log_in(page, username: str = "hr", password: str = PASSWORD) -> None:
    """Log in through the Vietnamese login form; at a user's first login, acknowledge the
    privacy notice that comes before anything else."""
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    if path_of(page).startswith("/privacy/acknowledge"):
        acknowledge_notice(page)


def acknowledge_notice(page) -> None:
    """On the privacy notice shown at a first login, press "I have read this notice"."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo xử lý dữ liệu cá nhân")
    page.get_by_role("button", name="Tôi đã đọc thông báo này").click()
    expect(page.get_by_role("button", name="Tôi đã đọc thông báo này")).to_have_count(0)


def assert_no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW + 1, f"{where} scrolls sideways at {NARROW} px: scrollWidth {width}"


def test_hr_journey_vietnamese_login_english_switch_search_logout(page, hr_world):
    html = page.locator("html")

    # 1. The login page speaks Vietnamese.
    page.goto("/auth/login")
    expect(html).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_role("button", name="Tiếng Việt")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page, "the login page (vi)")

    # 2. The first login shows the privacy notice before anything else; once it is
    # acknowledged, hr lands on the Vietnamese home page.
    page.get_by_label("Tên đăng nhập").fill("hr")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo xử lý dữ liệu cá nhân")
    assert path_of(page).startswith("/privacy/acknowledge")
    expect(page.get_by_text("91/2025/QH15").first).to_be_visible()
    assert_accessible(page, "the privacy notice at first login (vi)")
    page.goto("/officials/")  # nothing else opens yet
    assert path_of(page).startswith("/privacy/acknowledge")
    acknowledge_notice(page)
    assert path_of(page) == "/officials/"
    page.goto("/")
    assert path_of(page) == "/"
    expect(html).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Hr")
    expect(page.get_by_role("link", name="Mở danh sách cán bộ")).to_be_visible()
    assert_accessible(page, "the home page (vi)")

    # 3. English: the page changes language, and the next page stays English.
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    assert path_of(page) == "/"
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Hr")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("Đăng xuất")).to_have_count(0)
    assert_accessible(page, "the home page (en)")

    page.get_by_role("link", name="Open the officials registry").click()
    assert path_of(page).startswith("/officials/")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Officials")

    # 4. Searching without diacritics finds the Nguyễn Văn officials, and only them.
    page.get_by_label("Name or employee code").fill("nguyen van")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/officials/\?(.*&)?q=nguyen\+van"))
    expect(page.get_by_role("status")).to_have_text("2 officials found.")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    names = page.locator("table tbody tr td:first-child")
    expect(names).to_have_text(list(NGUYEN_VAN))  # sorted by given name: An, Đức
    for name in OTHERS:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_label("Name or employee code")).to_have_value("nguyen van")
    assert_accessible(page, "the registry search results (en)")

    # 5. Logging out returns to the login page (still in English, the session's language),
    # and the registry is closed again.
    page.get_by_role("button", name="Log out").click()
    assert path_of(page).startswith("/auth/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    page.goto("/officials/")
    assert path_of(page).startswith("/auth/login"), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("table")).to_have_count(0)


def test_login_and_registry_do_not_scroll_sideways_at_360px(new_page, hr_world):
    page = new_page(width=NARROW, height=740)

    page.goto("/auth/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    assert_no_sideways_scroll(page, "the login page")

    log_in(page)
    page.goto("/officials/?q=nguyen+van")
    expect(page.locator("table tbody tr")).to_have_count(2)
    assert_no_sideways_scroll(page, "the registry")
    # A table wider than the screen scrolls inside its own box, not the page.
    wrap = page.locator(".table-wrap")
    expect(wrap).to_have_css("overflow-x", "auto")
    assert_accessible(page, "the registry at 360 px (vi)")
