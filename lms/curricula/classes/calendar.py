"""Calendar invitations (.ics, RFC 5545 / iTIP) of a class place: one event per session (the
class's dates as one all-day event while it has no timetable), sent with the messages and
downloadable from the class page. A change of the class bumps its SEQUENCE (an update); a
cancelled place gets METHOD:CANCEL, and so does an event that leaves the timetable (a session
removed, the all-day event the first session replaces), by its own message. Written by hand:
a few lines of text need no library."""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from lms.auth.models import User
from lms.common import clock
from lms.curricula.classes.models import ClassMember, MemberStatus
from lms.extensions import db

PRODID = "-//So Noi vu Da Nang//Tin chi//VI"


def _escape(text: str) -> str:
    return (
        str(text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(local: datetime) -> str:
    """A naive local (Vietnam) time as UTC in iCalendar's form."""
    moment = local.replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "tinchi@localhost"
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def _organizer() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "tinchi@localhost"
    address = sender.rpartition("<")[2].strip("> ")
    return f"ORGANIZER;CN={_escape('Tín chỉ')}:mailto:{address}"


def _attendee(member: ClassMember) -> list[str]:
    account = db.session.scalar(select(User.email).where(User.official_id == member.official_id))
    email = account or member.official.email
    if not email:
        return []
    name = _escape(member.official.full_name)
    return [f"ATTENDEE;CN={name};ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{email}"]


def event_of(klass, session=None) -> dict:
    """One event of a class's invitation, as plain values (kept in a message's context, so a
    session removed since can still be cancelled by its UID): a session, or the class's dates
    as one all-day event (`session` None)."""
    where, summary = klass.location, klass.title
    description = f"{klass.course.code} · {klass.course.title}"
    if session is None:
        end = (klass.ends_on + timedelta(days=1)).strftime("%Y%m%d")
        return {
            "uid": f"class-{klass.id}",
            "start": klass.starts_on.strftime("%Y%m%d"),
            "end": end,
            "all_day": True,
            "summary": summary,
            "location": where,
            "description": description,
        }
    if session.venue is not None:
        where = ", ".join(p for p in (session.venue.name, session.venue.address) if p)
    if session.topic:
        summary = f"{klass.title}: {session.topic}"
    if session.trainer is not None:
        description += f"\n{session.trainer.name}"
    return {
        "uid": f"class-{klass.id}-session-{session.id}",
        "start": _utc(session.starts_at),
        "end": _utc(session.ends_at),
        "all_day": False,
        "summary": summary,
        "location": where,
        "description": description,
    }


def events_of(klass) -> list[dict]:
    """The events of a class's invitation: one per session, else the all-day event."""
    return [event_of(klass, s) for s in klass.class_sessions] or [event_of(klass)]


def _calendar(member: ClassMember, events: list[dict], cancel: bool, sequence: int) -> bytes:
    method = "CANCEL" if cancel else "REQUEST"
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", f"METHOD:{method}"]
    for event in events:
        start, end = event["start"], event["end"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}-official-{member.official_id}@{_domain()}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start}" if event["all_day"] else f"DTSTART:{start}",
            f"DTEND;VALUE=DATE:{end}" if event["all_day"] else f"DTEND:{end}",
            f"SEQUENCE:{sequence}",
            f"SUMMARY:{_escape(event['summary'])}",
            f"LOCATION:{_escape(event['location'])}",
            f"DESCRIPTION:{_escape(event['description'])}",
            _organizer(),
            *_attendee(member),
            f"STATUS:{'CANCELLED' if cancel else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def invitation(member: ClassMember, cancel: bool | None = None) -> bytes:
    """The .ics of the official's place: METHOD:REQUEST while they hold it, METHOD:CANCEL
    once cancelled (or when `cancel` says so); SEQUENCE is the class's schedule version."""
    klass = member.training_class
    if cancel is None:
        cancel = member.status == MemberStatus.CANCELLED
    return _calendar(member, events_of(klass), cancel, klass.schedule_version)


def event_cancellation(member: ClassMember, event: dict, sequence: int) -> bytes:
    """METHOD:CANCEL of one event no longer on the class's timetable (a session removed, or
    the all-day event replaced by the first session), with the same UID and `sequence`, the
    class's schedule version after the change (higher than any invitation sent before)."""
    return _calendar(member, [event], True, sequence)


def attachment(notification) -> list[tuple[str, bytes, str, dict]]:
    """The .ics attached to a class message: (filename, data, content type, parameters);
    none for the waiting list or a member gone."""
    if notification.kind == "class_waitlisted":
        return []
    member = db.session.get(ClassMember, (notification.context or {}).get("member_id"))
    if member is None:
        return []
    context = notification.context or {}
    if notification.kind == "class_event_cancelled":
        data = event_cancellation(member, context["event"], int(context["sequence"]))
        return [("huy-buoi-hoc.ics", data, "text/calendar", {"method": "CANCEL"})]
    cancel = notification.kind == "class_cancelled"
    method = "CANCEL" if cancel else "REQUEST"
    return [("lop-hoc.ics", invitation(member, cancel), "text/calendar", {"method": method})]
