"""A citizen at a one-stop counter, on a 360 px phone: the counter's poster is printed, its QR
code decoded and opened; the citizen answers and is thanked; a burst of answers from the same
phone is limited; the unit's index counts the answers that were accepted."""

import pytest
from playwright.sync_api import expect

from config import Config
from lms.extensions import db, limiter
from lms.privacy import services as privacy
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import NARROW, assert_no_sideways_scroll
from tests.factories import make_questionnaires
from tests.services.test_certificates_pdf import decode_qr

pytestmark = pytest.mark.browser

LIKERT = ("access", "procedure", "attitude", "competence", "timeliness", "overall")


@pytest.fixture
def counter(app, world, monkeypatch, live_server):
    """The test world, the questionnaires, the real per-device limit, no wait before sending,
    posters printed with the live server's address."""
    make_questionnaires()
    privacy.acknowledge(world["hr"])  # the HR officer printing the poster is no first login
    db.session.commit()
    monkeypatch.setitem(app.config, "LMS_SATISFACTION_MIN_SECONDS", 0)
    monkeypatch.setitem(
        app.config, "LMS_SATISFACTION_DEVICE_LIMIT", Config.LMS_SATISFACTION_DEVICE_LIMIT
    )
    monkeypatch.setitem(app.config, "LMS_PUBLIC_BASE_URL", live_server)
    limiter.reset()
    yield
    limiter.reset()


def _answer(page, score: str) -> None:
    for code in LIKERT:
        page.locator(f"#item-{code} label", has_text=score).click()
    page.get_by_role("button", name="Gửi ý kiến").click()


def test_a_citizen_scans_the_counters_qr_answers_and_a_burst_is_limited(
    new_page, login_as, counter, tmp_path
):
    hr = login_as("hr")
    poster = hr.get("/manage/satisfaction/P-HAICHAU/poster.pdf")
    [link] = decode_qr(poster.data, tmp_path)

    page = new_page(width=NARROW, height=740)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Đánh giá sự hài lòng về phục vụ tại Bộ phận Một cửa")
    assert_no_sideways_scroll(page, "the citizen survey")
    assert_accessible(page, "the citizen survey at 360 px")
    _answer(page, "5")
    expect(page.locator("h1")).to_have_text("Cảm ơn Ông/Bà đã đánh giá!")

    # A second burst from the same phone: two more go through, the next one is limited.
    for _n in range(2):
        page.goto(link)
        _answer(page, "4")
        expect(page.locator("h1[data-status=thanks]")).to_be_visible()
    page.goto(link)
    _answer(page, "1")
    expect(page.locator("h1[data-status=limited]")).to_be_visible()

    unit = hr.get("/manage/satisfaction/P-HAICHAU").get_data(as_text=True)
    assert 'data-responses="3"' in unit and 'data-index="100.0"' in unit
