"""Officials' requests to correct, restrict or delete their personal data (Law 91/2025/QH15):
the official asks from /me/privacy; HR of their unit sees it in a queue with its answer-by day
(the response days of LMS_PRIVACY_RESPONSE_DAYS), takes it in hand and closes it as done or
refused with a reason; every step is audited and notified to the official. HR of another unit
never sees or touches it."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.auth.models import HR_OFFICER
from lms.jobs.models import Notification
from lms.organisation.models import OrgUnit
from lms.privacy import notice
from lms.privacy.models import PrivacyRequest
from tests.conftest import csrf_token

RECEIVED = datetime(2026, 3, 2, 2, 0)  # Monday 2 March 2026, 09:00 in Vietnam
DETAILS = "Ngày sinh của tôi ghi sai: đúng là 12/05/1988."


@pytest.fixture
def learner_asks(world, login_as, freeze):
    """The learner (P-HAICHAU) asks for a correction on 2 March 2026; returns the request."""
    freeze(RECEIVED)
    learner = login_as("learner")
    response = learner.post(
        "/me/privacy",
        data={
            "csrf_token": csrf_token(learner, "/me/privacy"),
            "kind": "correct",
            "details": DETAILS,
        },
    )
    assert response.status_code == 302
    from lms.extensions import db

    return db.session.scalar(select(PrivacyRequest))


def post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def notes(db, user):
    return db.session.scalars(
        select(Notification.subject)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    ).all()


def test_an_official_asks_and_hr_answers_with_every_step_notified(
    learner_asks, login_as, world, db
):
    request = learner_asks
    assert (request.kind, request.state, request.details) == ("correct", "received", DETAILS)
    assert request.due_on.isoformat() == "2026-03-05"  # three days after receipt
    learner = login_as("learner")
    mine = learner.get(f"/me/privacy/{request.id}").get_data(as_text=True)
    assert "Chỉnh sửa dữ liệu của tôi" in mine and "05/03/2026" in mine and "Đã tiếp nhận" in mine
    assert "Yêu cầu về dữ liệu cá nhân số 1: đã tiếp nhận" in notes(db, world["learner"])
    assert any("Người Dùng Learner" in s for s in notes(db, world["hr"]))  # HR over DN told

    hr = login_as("hr")
    queue = hr.get("/privacy/requests").get_data(as_text=True)
    assert "Người Dùng Learner (T-LEARN)" in queue and "05/03/2026" in queue
    page = f"/privacy/requests/{request.id}"
    assert DETAILS in hr.get(page).get_data(as_text=True)
    assert post(hr, f"{page}/start", page).status_code == 302
    db.session.refresh(request)
    assert (request.state, request.handler_id) == ("in_progress", world["hr"].id)
    # Closing needs to say what was done.
    empty = post(hr, f"{page}/done", page, **{"done-outcome": "  "})
    assert empty.status_code == 422 and "Thông tin này là bắt buộc" in empty.get_data(as_text=True)
    done = post(hr, f"{page}/done", page, **{"done-outcome": "Đã sửa ngày sinh thành 12/05/1988."})
    assert done.status_code == 302
    db.session.refresh(request)
    assert request.state == "done" and request.closed_at == RECEIVED
    mine = learner.get(f"/me/privacy/{request.id}").get_data(as_text=True)
    assert "Đã sửa ngày sinh thành 12/05/1988." in mine
    assert notes(db, world["learner"])[-2:] == [
        "Yêu cầu về dữ liệu cá nhân số 1: đang xử lý",
        "Yêu cầu về dữ liệu cá nhân số 1: đã xử lý xong",
    ]
    # Closed for good: refusing it now changes nothing.
    again = post(hr, f"{page}/refuse", page, **{"refuse-outcome": "Không"})
    assert again.status_code == 302
    db.session.refresh(request)
    assert request.state == "done"
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "privacy_request")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "privacy_request.received",
        "privacy_request.started",
        "privacy_request.done",
    ]


def test_a_refusal_gives_its_reason_to_the_official(learner_asks, login_as, world, db):
    hr = login_as("hr")
    page = f"/privacy/requests/{learner_asks.id}"
    reason = "Sổ tín chỉ là hồ sơ pháp luật yêu cầu lưu trữ."
    assert post(hr, f"{page}/refuse", page, **{"refuse-outcome": reason}).status_code == 302
    mine = login_as("learner").get(f"/me/privacy/{learner_asks.id}").get_data(as_text=True)
    assert "Bị từ chối" in mine and reason in mine and "Lý do từ chối" in mine
    assert notes(db, world["learner"])[-1] == "Yêu cầu về dữ liệu cá nhân số 1: bị từ chối"
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "privacy_request.refused")
    )
    assert entry.actor_id == world["hr"].id and entry.after == {"outcome": reason}


@pytest.mark.parametrize(
    ("days_after", "overdue"),
    [(2, False), (3, False), (4, True)],  # the day before, of and after the answer-by day
)
def test_an_open_request_is_overdue_only_after_its_answer_by_day(
    learner_asks, login_as, freeze, days_after, overdue
):
    freeze(RECEIVED + timedelta(days=days_after))
    hr = login_as("hr")
    queue = hr.get("/privacy/requests").get_data(as_text=True)
    detail = hr.get(f"/privacy/requests/{learner_asks.id}").get_data(as_text=True)
    assert ('class="badge">Quá hạn' in queue) is overdue
    assert ('class="badge">Quá hạn' in detail) is overdue


def test_the_response_days_are_a_setting(world, login_as, freeze, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "LMS_PRIVACY_RESPONSE_DAYS", 15)
    freeze(RECEIVED)
    learner = login_as("learner")
    assert "trong vòng 15 ngày" in learner.get("/me/privacy").get_data(as_text=True)
    post(learner, "/me/privacy", "/me/privacy", kind="delete", details="Xóa số điện thoại.")
    assert db.session.scalar(select(PrivacyRequest.due_on)).isoformat() == "2026-03-17"


def test_a_request_needs_a_kind_and_details(world, login_as, db):
    learner = login_as("learner")
    bad = post(learner, "/me/privacy", "/me/privacy", kind="everything", details="")
    assert bad.status_code == 422
    assert db.session.scalar(select(PrivacyRequest)) is None


def test_hr_of_another_unit_never_sees_or_handles_it(learner_asks, login_as, world, db):
    snv = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV"))
    auth.grant_role(world["reviewer"], HR_OFFICER, snv, actor=None)  # HR over SNV only
    db.session.commit()
    outsider = login_as("reviewer")
    page = f"/privacy/requests/{learner_asks.id}"
    assert "T-LEARN" not in outsider.get("/privacy/requests?state=all").get_data(as_text=True)
    assert outsider.get(page).status_code == 404
    token = csrf_token(outsider, "/privacy/requests")
    for action, data in (("start", {}), ("done", {"done-outcome": "x"}), ("refuse", {})):
        response = outsider.post(f"{page}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 404, action
    db.session.refresh(learner_asks)
    assert learner_asks.state == "received"
    assert not any("T-LEARN" in s for s in notes(db, world["reviewer"]))  # not told either
    # Another official cannot open it as their own; a manager has no queue.
    assert login_as("manager").get(f"/me/privacy/{learner_asks.id}").status_code == 404
    assert login_as("manager").get("/privacy/requests").status_code == 403
    assert login_as("admin").get("/me/privacy").status_code == 403  # no official record
    assert login_as("admin").get(page).status_code == 200


def test_the_data_download_holds_the_requests_and_notices(learner_asks, login_as, world, db):
    hr = login_as("hr")
    page = f"/privacy/requests/{learner_asks.id}"
    post(hr, f"{page}/done", page, **{"done-outcome": "Đã sửa ngày sinh."})
    learner = login_as("learner")
    data = learner.get("/me/data.json").get_json()
    assert [a["version"] for a in data["privacy_notice"]] == [notice.VERSION]
    (asked,) = data["privacy_requests"]
    assert (asked["kind"], asked["state"], asked["outcome"]) == (
        "correct",
        "done",
        "Đã sửa ngày sinh.",
    )
    assert asked["due_on"] == "2026-03-05"
    actions = [entry["action"] for entry in data["processing_log"]]
    assert "privacy_request.done" in actions  # HR's answer, in the record of who processed it
    pdf = learner.get("/me/data.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
