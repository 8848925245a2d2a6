"""Calendar invitations (.ics, RFC 5545 / iTIP) of a class place: one event per session (the
class's dates as one all-day event while it has no timetable), sent with the messages and
downloadable from the class page. A change of the class bumps its SEQUENCE (an update); a
cancelled place gets METHOD:CANCEL. Written by hand: a few lines of text need no library."""

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


def invitation(member: ClassMember, cancel: bool | None = None) -> bytes:
    """The .ics of the official's place: METHOD:REQUEST while they hold it, METHOD:CANCEL
    once cancelled (or when `cancel` says so); SEQUENCE is the class's schedule version."""
    klass = member.training_class
    if cancel is None:
        cancel = member.status == MemberStatus.CANCELLED
    method = "CANCEL" if cancel else "REQUEST"
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", f"METHOD:{method}"]
    events = [
        (f"class-{klass.id}-session-{s.id}", _utc(s.starts_at), _utc(s.ends_at), s)
        for s in klass.class_sessions
    ]
    if not events:
        end = (klass.ends_on + timedelta(days=1)).strftime("%Y%m%d")
        events = [(f"class-{klass.id}", klass.starts_on.strftime("%Y%m%d"), end, None)]
    for uid, start, end, session in events:
        all_day = session is None
        where = klass.location
        summary = klass.title
        if session is not None:
            if session.venue is not None:
                where = ", ".join(p for p in (session.venue.name, session.venue.address) if p)
            if session.topic:
                summary = f"{klass.title}: {session.topic}"
        description = f"{klass.course.code} · {klass.course.title}"
        if session is not None and session.trainer is not None:
            description += f"\n{session.trainer.name}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}-official-{member.official_id}@{_domain()}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start}" if all_day else f"DTSTART:{start}",
            f"DTEND;VALUE=DATE:{end}" if all_day else f"DTEND:{end}",
            f"SEQUENCE:{klass.schedule_version}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(where)}",
            f"DESCRIPTION:{_escape(description)}",
            _organizer(),
            *_attendee(member),
            f"STATUS:{'CANCELLED' if cancel else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def attachment(notification) -> list[tuple[str, bytes, str, dict]]:
    """The .ics attached to a class message: (filename, data, content type, parameters);
    none for the waiting list or a member gone."""
    if notification.kind == "class_waitlisted":
        return []
    member = db.session.get(ClassMember, (notification.context or {}).get("member_id"))
    if member is None:
        return []
    cancel = notification.kind == "class_cancelled"
    method = "CANCEL" if cancel else "REQUEST"
    return [("lop-hoc.ics", invitation(member, cancel), "text/calendar", {"method": method})]
