"""The citizen's survey at /satisfaction/<UNIT_CODE>: opened with the QR's token it shows the
form, answers are stored anonymously and masked, and ballot stuffing meets the token check, the
honeypot, the time-to-fill check and the rate limits per device and per address."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from config import Config
from lms.extensions import db, limiter
from lms.surveys import satisfaction
from lms.surveys.models import SurveyAnswer, SurveyResponse
from tests.factories import make_questionnaires, make_units

LIKERT = ("access", "procedure", "attitude", "competence", "timeliness", "overall")


@pytest.fixture
def counter(app, monkeypatch):
    """Units and the questionnaires; no wait before sending (the bot-check test sets one);
    the rate-limit counters emptied."""
    make_units()
    make_questionnaires()
    db.session.commit()
    monkeypatch.setitem(app.config, "LMS_SATISFACTION_MIN_SECONDS", 0)
    for name in ("LMS_SATISFACTION_DEVICE_LIMIT", "LMS_SATISFACTION_ADDRESS_LIMIT"):
        monkeypatch.setitem(app.config, name, Config.__dict__[name])
    limiter.reset()
    yield
    limiter.reset()


def _token(code="P-HAICHAU", moment=None):
    return satisfaction.token_for(code, moment)


def _open(client, code="P-HAICHAU", token=None):
    return client.get(f"/satisfaction/{code}?t={token or _token(code)}")


def _fields(html: str) -> dict:
    names = ("csrf_token", "t", "shown")
    found = {}
    for name in names:
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', html
        )
        assert match, name
        found[name] = match.group(1)
    return found


def _send(client, code="P-HAICHAU", score="5", **extra):
    page = _open(client, code)
    data = {**_fields(page.get_data(as_text=True)), **{f"q_{c}": score for c in LIKERT}}
    data.update(extra)
    return client.post(f"/satisfaction/{code}", data=data)


def _responses() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def test_the_qr_link_shows_the_form_in_vietnamese_first(client, counter):
    page = _open(client)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ủy ban nhân dân phường Hải Châu" in html
    assert 'name="q_overall"' in html and "Gửi" in html
    assert "tc_survey_device" in page.headers.get("Set-Cookie", "")


def test_without_a_token_the_page_asks_to_scan_the_counters_qr(client, counter):
    html = client.get("/satisfaction/P-HAICHAU").get_data(as_text=True)
    assert 'data-status="no-token"' in html and 'name="q_overall"' not in html


def test_a_token_two_windows_old_has_expired_the_previous_window_still_works(client, counter):
    days = 31
    old = _token(moment=datetime.now() - timedelta(days=2 * days + 1))
    assert 'data-status="expired"' in _open(client, token=old).get_data(as_text=True)
    previous = _token(moment=datetime.now() - timedelta(days=days))
    assert 'name="q_overall"' in _open(client, token=previous).get_data(as_text=True)


def test_unknown_unit_is_404(client, counter):
    assert client.get("/satisfaction/NOWHERE?t=x").status_code == 404


def test_an_answer_is_stored_without_personal_data_and_thanked(client, counter):
    answer = _send(client, comment="Rất tốt. SĐT 0905123456, CCCD 048190001234", q_visits="0")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(
        "/satisfaction/P-HAICHAU/thanks"
    )
    assert "Cảm ơn" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert _responses() == 1
    texts = list(
        db.session.scalars(select(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None)))
    )
    assert texts == [] or all("0905" not in t and "0481" not in t for t in texts)


def test_free_text_reaches_the_store_masked(client, counter):
    _send(client, q_comment="Gọi 0905 123 456 nhé, CMND 201234567")
    texts = list(
        db.session.scalars(select(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None)))
    )
    assert texts == ["Gọi ••• nhé, CMND •••"]


def test_missing_required_answers_are_marked(client, counter):
    page = _open(client)
    data = {**_fields(page.get_data(as_text=True)), "q_overall": "5"}
    answer = client.post("/satisfaction/P-HAICHAU", data=data)
    assert answer.status_code == 422
    assert "Vui lòng trả lời câu hỏi này." in answer.get_data(as_text=True)
    assert _responses() == 0


def test_a_filled_honeypot_is_thanked_but_not_counted(client, counter):
    answer = _send(client, website="http://spam.example")
    assert answer.status_code == 302 and _responses() == 0


def test_a_form_sent_faster_than_a_person_can_is_not_counted(app, client, counter, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_SATISFACTION_MIN_SECONDS", 60)
    answer = _send(client)
    assert answer.status_code == 302 and _responses() == 0


def test_a_forged_or_missing_token_is_refused(client, counter):
    page = _open(client)
    data = {**_fields(page.get_data(as_text=True)), **{f"q_{c}": "5" for c in LIKERT}}
    data["t"] = "0" * 16
    assert client.post("/satisfaction/P-HAICHAU", data=data).status_code == 400
    assert _responses() == 0


def test_a_device_is_limited_after_three_answers_an_hour(client, counter):
    for _n in range(3):
        assert _send(client).status_code == 302
    limited = _send(client)
    assert limited.status_code == 429
    assert "Thiết bị này" in limited.get_data(as_text=True)
    assert _responses() == 3


def test_an_address_is_limited_across_devices(app, counter, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_SATISFACTION_ADDRESS_LIMIT", "4 per hour")
    statuses = []
    for _n in range(5):
        statuses.append(_send(app.test_client()).status_code)  # a new device each time
    assert statuses == [302, 302, 302, 302, 429]


def test_a_submission_costs_six_statements_whatever_the_number_of_answers(client, counter):
    """Unit, questionnaire version, its items; the response, then its answers in one statement
    per kind (scores and choices, free text) — not one per answer, nor a second read of the
    items or of the unit after the commit (the burst of docs/performance.md)."""
    from tests.conftest import count_queries

    page = _open(client)
    data = {**_fields(page.get_data(as_text=True)), **{f"q_{c}": "4" for c in LIKERT}}
    data |= {"q_comment": "Nhanh gọn", "q_visits": "1"}
    with count_queries() as statements:
        answer = client.post("/satisfaction/P-HAICHAU", data=data)
    assert answer.status_code == 302
    assert statements[0] == 6
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == len(LIKERT) + 2


@pytest.mark.parametrize(("language", "expected"), [("vi", "Lựa chọn không hợp lệ."), ("en", "")])
def test_the_citizen_form_speaks_wtforms_messages_from_our_catalog(
    app, counter, language, expected
):
    """The citizen form looks its catalog up once per form (the burst of docs/performance.md),
    and still in the reader's language, as every other form (lms.common.forms)."""
    from flask_babel import refresh

    from lms.surveys import forms, services

    version = satisfaction.questionnaire()
    with app.test_request_context("/", headers={"Accept-Language": language}):
        refresh()  # the app context of the test has its locale already
        form = forms.citizen_form(services.items_of(version))
        said = form.q_access.gettext("Not a valid choice.")
    assert said == (expected or "Not a valid choice.")
