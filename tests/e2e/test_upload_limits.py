"""A file larger than an upload field allows is refused at the field as soon as it is chosen,
in the page's language, and the form is not sent: what the learner typed stays, and a smaller
file clears the message and goes through."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journey import log_in
from tests.factories import make_units, make_user

pytestmark = pytest.mark.browser
MB = 1024 * 1024


@pytest.fixture
def learner(db, app, monkeypatch):
    make_units()
    make_user("learner")
    db.session.commit()
    monkeypatch.setitem(app.config, "LMS_EVIDENCE_MAX_BYTES", MB)


def test_an_evidence_file_over_the_limit_is_refused_at_its_field_before_sending(page, learner):
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    log_in(page, "learner")
    page.goto("/me/external/new")
    page.get_by_label("Tên khóa bồi dưỡng").fill("Tập huấn kỹ năng số")
    evidence = page.locator("#evidence")
    big = {"name": "chung-nhan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" * MB}
    evidence.set_input_files(big)
    error = page.locator("#evidence-error")
    expect(error).to_have_text("Tệp lớn hơn 1 MB.")
    expect(evidence).to_have_attribute("aria-describedby", re.compile(r"\bevidence-error\b"))
    posts.clear()
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_timeout(300)
    assert posts == [], "the form was sent with a file over the limit"
    expect(page).to_have_url(re.compile("/me/external/new$"))
    expect(page.get_by_label("Tên khóa bồi dưỡng")).to_have_value("Tập huấn kỹ năng số")
    expect(evidence).to_be_focused()

    small = {"name": "chung-nhan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 ok"}
    evidence.set_input_files(small)
    expect(error).to_have_count(0)
