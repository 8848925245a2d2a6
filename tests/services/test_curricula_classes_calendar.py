"""Calendar invitations of class places, read back with a real calendar library (icalendar):
one event per session at the right moment, an update with a higher SEQUENCE when a session
moves, METHOD:CANCEL when the place is cancelled, and the .ics attached to the messages."""

from datetime import UTC, date, datetime, time

import icalendar
import pytest
from sqlalchemy import select

from lms.curricula.classes import calendar, enrolment, schedule
from lms.jobs.mailer import build_message
from lms.jobs.models import Notification
from tests.factories import (
    make_class,
    make_in_person_course,
    make_learner,
    make_session,
    make_units,
    make_venue,
)
from tests.services.test_jobs_notifications_mail import smtp  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")
JUNE = dict(starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 10))


@pytest.fixture
def scene(db, freeze):
    freeze(date(2026, 5, 20))
    make_units()
    klass = make_class(make_in_person_course("VHCV01"), title="Lớp kỹ năng số, khóa 1", **JUNE)
    hall = make_venue("Hội trường A; tầng 2", capacity=40)
    first = make_session(klass, date(2026, 6, 8), "08:00", "11:30", venue_id=hall.id)
    make_session(klass, date(2026, 6, 9), "13:30", "16:30", topic="Chuyển đổi số")
    user = make_learner("DN01", "Nguyễn Thị Hoa", email="hoa@danang.gov.vn")
    member = enrolment.enrol(klass, user.official, source="hr", by_user=None)
    db.session.commit()
    return {"class": klass, "first": first, "member": member, "user": user}


def events(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


def test_the_invitation_has_one_event_per_session_at_the_right_moment(scene):
    cal, found = events(calendar.invitation(scene["member"]))
    assert str(cal["METHOD"]) == "REQUEST"
    assert len(found) == 2
    first = found[0]
    assert first.decoded("DTSTART") == datetime(2026, 6, 8, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    assert first.decoded("DTEND") == datetime(2026, 6, 8, 4, 30, tzinfo=UTC)
    assert str(first["SUMMARY"]) == "Lớp kỹ năng số, khóa 1"
    assert str(first["LOCATION"]) == "Hội trường A; tầng 2"
    assert str(found[1]["SUMMARY"]) == "Lớp kỹ năng số, khóa 1: Chuyển đổi số"
    assert "hoa@danang.gov.vn" in str(first["ATTENDEE"])
    assert len({str(e["UID"]) for e in found}) == 2


def test_moving_a_session_sends_an_update_with_a_higher_sequence(scene, db):
    before = {
        str(e["UID"]): int(e["SEQUENCE"]) for e in events(calendar.invitation(scene["member"]))[1]
    }
    data = schedule.SessionData(date(2026, 6, 8), time(9, 0), time(12, 0))
    schedule.save_session(scene["class"], scene["first"], data, None)
    _cal, after = events(calendar.invitation(scene["member"]))
    moved = next(e for e in after if str(e["UID"]) in before)
    assert int(moved["SEQUENCE"]) > before[str(moved["UID"])]
    assert moved.decoded("DTSTART") == datetime(2026, 6, 8, 2, 0, tzinfo=UTC)
    update = db.session.scalar(
        select(Notification).where(
            Notification.user_id == scene["user"].id, Notification.kind == "class_updated"
        )
    )
    assert update is not None


def test_a_cancelled_place_gets_a_cancellation(scene, db):
    enrolment.cancel(scene["member"], by_user=None)
    cal, found = events(calendar.invitation(scene["member"]))
    assert str(cal["METHOD"]) == "CANCEL"
    assert {str(e["STATUS"]) for e in found} == {"CANCELLED"}


def test_a_class_without_a_timetable_is_one_all_day_event(scene, db):
    klass = make_class(scene["class"].course, title="Lớp không lịch", **JUNE)
    member = enrolment.enrol(klass, scene["user"].official, source="hr", by_user=None)
    _cal, found = events(calendar.invitation(member))
    assert len(found) == 1
    assert found[0].decoded("DTSTART") == date(2026, 6, 8)
    assert found[0].decoded("DTEND") == date(2026, 6, 11)


def test_the_messages_carry_the_invitation_and_the_cancellation(scene, db):
    enrolment.cancel(scene["member"], by_user=None)
    db.session.commit()
    by_kind = {
        n.kind: n
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == scene["user"].id)
        )
    }
    for kind, method in (("class_enrolled", "REQUEST"), ("class_cancelled", "CANCEL")):
        message = build_message(by_kind[kind])
        parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1, kind
        assert parts[0].get_param("method") == method
        cal = icalendar.Calendar.from_ical(parts[0].get_content())
        assert str(cal["METHOD"]) == method


# --- a session removed or moved: the mail each official holding a place receives -------------


def _calendars(mail) -> list:
    return [
        icalendar.Calendar.from_ical(part.get_content())
        for part in mail.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def test_removing_a_session_mails_its_cancellation_and_drops_it_from_the_download(
    scene,
    db,
    smtp,  # noqa: F811
):
    _cal, before = events(calendar.invitation(scene["member"]))
    gone = next(e for e in before if f"session-{scene['first'].id}-" in str(e["UID"]))
    schedule.remove_session(scene["first"], None)
    db.session.commit()

    [mail] = [m for m in smtp.to("hoa@danang.gov.vn") if "cancelled" in m["Subject"]]
    assert mail["Subject"] == "Session cancelled: Lớp kỹ năng số, khóa 1"
    assert "08/06/2026 08:00–11:30" in mail.get_body(("plain",)).get_content()
    [cal] = _calendars(mail)
    assert str(cal["METHOD"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == str(gone["UID"])
    assert int(event["SEQUENCE"]) > int(gone["SEQUENCE"])
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART") == datetime(2026, 6, 8, 1, 0, tzinfo=UTC)

    _cal, left = events(calendar.invitation(scene["member"]))
    assert [str(e["UID"]) for e in left] == [
        str(e["UID"]) for e in before if str(e["UID"]) != str(gone["UID"])
    ]


def test_a_cancelled_place_gets_no_session_cancellation(scene, db, smtp):  # noqa: F811
    enrolment.cancel(scene["member"], by_user=None)
    db.session.commit()
    received = smtp.count()
    schedule.remove_session(scene["first"], None)
    db.session.commit()
    assert smtp.count() == received


def test_moving_a_session_mails_the_update_with_the_same_uid(scene, db, smtp):  # noqa: F811
    _cal, before = events(calendar.invitation(scene["member"]))
    data = schedule.SessionData(date(2026, 6, 8), time(9, 0), time(12, 0))
    schedule.save_session(scene["class"], scene["first"], data, None)
    db.session.commit()
    [mail] = [m for m in smtp.to("hoa@danang.gov.vn") if "changed" in m["Subject"]]
    [cal] = _calendars(mail)
    assert str(cal["METHOD"]) == "REQUEST"
    sent = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(sent) == {str(e["UID"]) for e in before}
    moved = next(e for e in sent.values() if e.decoded("DTSTART").hour == 2)  # 09:00 local
    old = next(e for e in before if str(e["UID"]) == str(moved["UID"]))
    assert int(moved["SEQUENCE"]) > int(old["SEQUENCE"])


def test_the_first_session_cancels_the_all_day_event(scene, db, smtp):  # noqa: F811
    klass = make_class(scene["class"].course, title="Lớp chưa có lịch", **JUNE)
    member = enrolment.enrol(klass, scene["user"].official, source="hr", by_user=None)
    db.session.commit()
    [all_day] = events(calendar.invitation(member))[1]
    make_session(klass, date(2026, 6, 10), "08:00", "11:00")
    db.session.commit()
    mails = [m for m in smtp.to("hoa@danang.gov.vn") if "Lớp chưa có lịch" in m["Subject"]]
    cancels = [c for m in mails for c in _calendars(m) if str(c["METHOD"]) == "CANCEL"]
    [event] = [e for c in cancels for e in c.walk("VEVENT")]
    assert str(event["UID"]) == str(all_day["UID"])
    assert int(event["SEQUENCE"]) > int(all_day["SEQUENCE"])
    requests = [c for m in mails for c in _calendars(m) if str(c["METHOD"]) == "REQUEST"]
    assert "session" in str(requests[-1].walk("VEVENT")[0]["UID"])
