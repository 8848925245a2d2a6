"""Language choice: account preference → session → browser → default Vietnamese."""

from datetime import date

from tests.conftest import csrf_token, login


def _lang(response) -> str:
    return response.get_data(as_text=True).split('<html lang="')[1].split('"')[0]


def test_vietnamese_is_the_default(client):
    assert _lang(client.get("/auth/login")) == "vi"
    assert "Đăng nhập" in client.get("/auth/login").get_data(as_text=True)


def test_the_browser_language_is_followed(client):
    response = client.get("/auth/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert _lang(response) == "en" and "Log in" in response.get_data(as_text=True)
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "fr"})) == "vi"


def test_the_switch_is_kept_in_the_session_over_the_browser(client):
    token = csrf_token(client)
    client.post("/locale/en", data={"csrf_token": token, "next": "/auth/login"})
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "vi"})) == "en"


def test_the_account_preference_wins_on_any_browser(app, world):
    first = app.test_client()
    login(first, "hr")
    first.post("/locale/en", data={"csrf_token": csrf_token(first, "/auth/password")})
    second = app.test_client()  # another computer, Vietnamese browser
    login(second, "hr")
    assert _lang(second.get("/", headers={"Accept-Language": "vi"})) == "en"


def test_an_unknown_language_is_ignored(client):
    token = csrf_token(client)
    response = client.post("/locale/xx", data={"csrf_token": token})
    assert response.status_code == 302
    assert _lang(client.get("/auth/login")) == "vi"


def test_error_pages_are_translated(login_as, world):
    client = login_as("learner")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Không tìm thấy trang" in page.get_data(as_text=True)
    forbidden = client.get("/manage/users")
    assert forbidden.status_code == 403
    assert "Không có quyền truy cập" in forbidden.get_data(as_text=True)
    fresh = client.application.test_client()
    assert "Page not found" in fresh.get("/x", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_dates_and_numbers_follow_the_locale(app):
    from lms.i18n import format_day, format_number

    with app.app_context(), app.test_request_context(headers={"Accept-Language": "vi"}):
        assert format_day(date(2025, 9, 2)) == "02/09/2025"
        assert format_number(1234.5) == "1.234,5"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_day(date(2025, 9, 2)) == "Sep 2, 2025"
        assert format_number(1234.5) == "1,234.5"


def test_moments_are_written_as_vietnamese_forms_write_them(app):
    """A notification's or a job's time: 14:05 02/09/2025 in Vietnam's time zone (07:05 UTC),
    not Babel's short "14:05 2/9/25"; English keeps its own short form."""
    from datetime import datetime

    from lms.i18n import format_moment

    moment = datetime(2025, 9, 2, 7, 5)  # stored naive UTC
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "vi"}):
        assert format_moment(moment) == "14:05 02/09/2025"
        assert format_moment(None) == ""
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_moment(moment) == "9/2/25, 2:05\u202fPM"


def test_a_count_in_a_sentence_is_written_as_a_number(app):
    """ "Tìm thấy 2.318 giấy chứng nhận." on the certificate list, not "2318": the count of every
    `ngettext("%(num)s …")` in a template takes the locale's thousands separator."""
    from flask import render_template_string

    found = '{{ ngettext("%(num)s certificate found.", "%(num)s certificates found.", n) }}'
    questions = '{{ ngettext("%(num)d question found.", "%(num)d questions found.", n) }}'
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "vi"}):
        assert render_template_string(found, n=2318) == "Tìm thấy 2.318 giấy chứng nhận."
        assert render_template_string(found, n=1) == "Tìm thấy 1 giấy chứng nhận."
        assert render_template_string(questions, n=3) == "Tìm thấy 3 câu hỏi."
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(found, n=2318) == "2,318 certificates found."


def test_the_menu_names_each_page_once(login_as):
    """The training manager's menu held "Chương trình bồi dưỡng" twice (the positions'
    curricula and the certificate programmes): every item of a menu has its own name."""
    import re

    for role in ("manager", "hr", "admin"):
        page = login_as(role).get("/").get_data(as_text=True)
        menu = page.split('class="main-nav"')[1].split("</nav>")[0]
        labels = re.findall(r"<a href=\"[^\"]*\"[^>]*>([^<]+)</a>", menu)
        assert len(labels) > 3 and len(labels) == len(set(labels)), (role, labels)
