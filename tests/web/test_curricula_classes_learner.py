"""An official's classes on the web (/me/classes/): the classes open to them, signing up for a
full class (waiting list), moving up when another official cancels, the cancellation deadline,
and classes they may not see."""

from datetime import date

import pytest

from lms.curricula.classes import enrolment
from lms.curricula.classes.models import TrainingClass
from lms.organisation.models import Official
from tests.conftest import csrf_token, login
from tests.factories import (
    make_class,
    make_in_person_course,
    make_learner,
    make_session,
)

pytestmark = pytest.mark.usefixtures("english")
JUNE = dict(starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 10))


@pytest.fixture
def setting(world, db, freeze):
    freeze(date(2026, 5, 20))
    course = make_in_person_course("VHCV01")
    klass = make_class(course, title="Lớp kỹ năng số mở", capacity=1, join_mode="open", **JUNE)
    make_session(klass, date(2026, 6, 8), topic="Chuyển đổi số")
    closed = make_class(course, title="Lớp chỉ định", **JUNE)
    other = make_learner("HC02", "Võ Thị Lan")
    db.session.commit()
    return {"class": klass.id, "closed": closed.id, "other": other}


def post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_an_official_sees_the_classes_open_to_them_and_not_the_nominated_ones(setting, login_as):
    page = login_as("learner").get("/me/classes/").get_data(as_text=True)
    assert "Lớp kỹ năng số mở" in page and "Lớp chỉ định" not in page
    assert login_as("learner").get(f"/me/classes/{setting['closed']}").status_code == 404


def test_a_full_class_puts_the_official_on_the_waiting_list_until_another_cancels(
    setting, login_as, app, db
):
    url = f"/me/classes/{setting['class']}"
    lan = app.test_client()
    login(lan, "hc02")
    assert post(lan, url + "/signup", url).status_code == 302
    assert "You have a place in this class." in lan.get(url).get_data(as_text=True)

    learner = login_as("learner")
    assert "Join the waiting list" in learner.get(url).get_data(as_text=True)
    post(learner, url + "/signup", url)
    page = learner.get(url).get_data(as_text=True)
    assert "you are on the waiting list" in page and "number 1 in the queue" in page

    post(lan, url + "/cancel", url, reason="Bận họp")
    page = learner.get(url).get_data(as_text=True)
    assert "Enrolled" in page and "Cancel my place" in page
    inbox = learner.get("/inbox").get_data(as_text=True)
    assert "A place in the class: Lớp kỹ năng số mở" in inbox


def test_after_the_deadline_the_official_cannot_cancel(setting, login_as, freeze, db):
    learner = db.session.scalar(db.select(Official).where(Official.employee_code == "T-LEARN"))
    enrolment.enrol(
        db.session.get(TrainingClass, setting["class"]), learner, source="hr", by_user=None
    )
    db.session.commit()
    freeze(date(2026, 6, 8))
    client = login_as("learner")
    url = f"/me/classes/{setting['class']}"
    page = client.get(url).get_data(as_text=True)
    assert "The deadline to cancel has passed" in page and "Cancel my place" not in page
    client.post(url + "/cancel", data={"csrf_token": csrf_token(client, "/me/classes/")})
    db.session.expire_all()
    assert (
        enrolment.member_of(db.session.get(TrainingClass, setting["class"]), learner.id).status
        == "enrolled"
    )


def test_the_room_s_code_checks_the_official_in_during_the_session_only(
    setting, login_as, freeze, db, app
):
    from datetime import datetime, timedelta

    from lms.curricula.classes import attendance
    from lms.curricula.classes.models import ClassSession

    learner = db.session.scalar(db.select(Official).where(Official.employee_code == "T-LEARN"))
    klass = db.session.get(TrainingClass, setting["class"])
    enrolment.enrol(klass, learner, source="hr", by_user=None)
    db.session.commit()
    session = db.session.scalar(db.select(ClassSession).where(ClassSession.class_id == klass.id))
    manager = login_as("manager")
    qr_page = manager.get(f"/classes/{klass.id}/sessions/{session.id}/qr").get_data(as_text=True)
    code = attendance.checkin_code(session)
    assert "data:image/svg+xml;base64," in qr_page and "07:30–11:30 08/06/2026" in qr_page

    client = login_as("learner")
    url = f"/me/classes/checkin/{code}"
    page = client.get(url).get_data(as_text=True)  # 20 May: weeks before the session
    assert "This code is accepted only during the session (07:30–11:30 08/06/2026)" in page
    assert (
        client.post(url, data={"csrf_token": csrf_token(client, "/me/classes/")}).status_code == 422
    )

    freeze(datetime(2026, 6, 8, 8, 20) - timedelta(hours=7))
    response = client.post(url, data={"csrf_token": csrf_token(client, "/me/classes/")})
    assert response.status_code == 302
    assert "You are checked in: Late." in client.get(url).get_data(as_text=True)
    tick = manager.get(f"/classes/{klass.id}/sessions/{session.id}/attendance")
    assert "Checked in by QR code" in tick.get_data(as_text=True)
    assert app.test_client().get(url).status_code == 302  # the login page first


def test_me_links_the_upcoming_class_s_invitation_and_the_manager_sees_the_month(
    setting, login_as, db
):
    learner = db.session.scalar(db.select(Official).where(Official.employee_code == "T-LEARN"))
    enrolment.enrol(
        db.session.get(TrainingClass, setting["class"]), learner, source="hr", by_user=None
    )
    db.session.commit()
    client = login_as("learner")
    page = client.get("/me").get_data(as_text=True)
    link = f"/me/classes/{setting['class']}/invitation.ics"
    assert "My upcoming classes" in page and link in page
    response = client.get(link)
    assert response.mimetype == "text/calendar"
    assert b"METHOD:REQUEST" in response.data and b"BEGIN:VEVENT" in response.data
    month = login_as("manager").get("/classes/calendar?month=2026-06").get_data(as_text=True)
    assert "08:00 Lớp kỹ năng số mở" in month
