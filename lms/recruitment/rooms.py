"""Exam rooms, exam sessions and invigilators of a recruitment: add, change, remove. One set of
rules for the command line (cli.py) and the set-up pages (routes_setup.py):

- a room has 1–10,000 seats, a name unique within the recruitment, and never fewer seats than
  the highest seat a candidate holds in one of its sessions;
- a session ends after it starts, lasts at least a minute, lies in a room of its recruitment,
  overlaps no other session of that room, and its room seats every candidate seated in it;
- once a session has started, or a candidate has a paper in it, its times, room and paper
  (bank, blueprint) no longer change and it cannot be removed;
- an invigilator is a staff account, never a candidate's.

Functions take plain values and `actor=`, flush, and raise ValidationFailed with
(field, message) pairs (a form puts them on its fields)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from lms.audit.services import add_recorded, record
from lms.auth.models import CANDIDATE, User
from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import rules
from lms.recruitment.models import (
    ExamAttempt,
    ExamRoom,
    ExamSession,
    Incident,
    Invigilator,
    Recruitment,
    SeatAssignment,
)

MAX_SEATS = 10_000


# --- rooms ----------------------------------------------------------------------------------


def _highest_seat(room_id: int) -> int:
    """The highest seat number held in any session of the room (0: none)."""
    return (
        db.session.scalar(
            select(func.max(SeatAssignment.seat))
            .join(ExamSession, ExamSession.id == SeatAssignment.session_id)
            .where(ExamSession.room_id == room_id)
        )
        or 0
    )


def _room_problems(recruitment: Recruitment, name: str, seats: int, room: ExamRoom | None):
    problems = []
    if not name:
        problems.append(("name", _("The room needs a name.")))
    else:
        taken = db.session.scalar(
            select(ExamRoom.id).where(
                ExamRoom.recruitment_id == recruitment.id,
                ExamRoom.name == name,
                ExamRoom.id != (room.id if room else -1),
            )
        )
        if taken:
            problems.append(("name", _("This recruitment already has a room with this name.")))
    if not isinstance(seats, int) or not 1 <= seats <= MAX_SEATS:
        problems.append(("seats", _("A room has from 1 to 10,000 seats.")))
    elif room is not None and seats < (highest := _highest_seat(room.id)):
        problems.append(
            (
                "seats",
                _(
                    "A candidate is seated at seat %(seat)d of this room: it needs at least "
                    "%(seat)d seats.",
                    seat=highest,
                ),
            )
        )
    return problems


def add_room(
    recruitment: Recruitment, name: str, seats: int, actor, location: str = ""
) -> ExamRoom:
    """An exam room with its number of seats."""
    name = (name or "").strip()
    problems = _room_problems(recruitment, name, seats, None)
    if problems:
        raise ValidationFailed(problems)
    room = ExamRoom(
        recruitment_id=recruitment.id, name=name, seats=seats, location=(location or "").strip()
    )
    add_recorded(
        room,
        actor,
        "recruitment.room_added",
        "recruitment",
        recruitment.code,
        after={"room": room.name, "seats": seats},
    )
    return room


def update_room(room: ExamRoom, name: str, seats: int, location: str, actor) -> ExamRoom:
    """Rename a room, change its seats (never below a held seat) or its location."""
    recruitment = db.session.get(Recruitment, room.recruitment_id)
    name = (name or "").strip()
    problems = _room_problems(recruitment, name, seats, room)
    if problems:
        raise ValidationFailed(problems)
    before = {"room": room.name, "seats": room.seats, "location": room.location}
    room.name, room.seats, room.location = name, seats, (location or "").strip()
    db.session.flush()
    after = {"room": room.name, "seats": room.seats, "location": room.location}
    record(actor, "recruitment.room_changed", "recruitment", recruitment.code, before, after)
    return room


def remove_room(room: ExamRoom, actor) -> None:
    """Remove a room no session uses."""
    if db.session.scalar(select(ExamSession.id).where(ExamSession.room_id == room.id).limit(1)):
        raise ValidationFailed(
            [(None, _("A session takes place in this room: change or remove it first."))]
        )
    recruitment = db.session.get(Recruitment, room.recruitment_id)
    name = room.name
    db.session.delete(room)
    db.session.flush()
    record(actor, "recruitment.room_removed", "recruitment", recruitment.code, {"room": name})


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    """What an exam session takes."""

    room_id: int
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    title: str = ""
    round: int = 1
    subject: str = "general"
    allowed_networks: str = ""
    bank_course_id: int | None = None
    blueprint: tuple = ()
    code: str = ""


# What no longer changes once a session has started or has a paper.
LOCKED_FIELDS = (
    "room_id",
    "starts_at",
    "ends_at",
    "duration_minutes",
    "bank_course_id",
    "blueprint",
)


def is_locked(session: ExamSession) -> bool:
    """Whether the session has started or a candidate has a paper in it."""
    if clock.now() >= session.starts_at:
        return True
    return bool(
        db.session.scalar(
            select(ExamAttempt.id).where(ExamAttempt.session_id == session.id).limit(1)
        )
    )


def _seated(session_id: int) -> tuple[int, int]:
    """(how many candidates are seated in the session, the highest seat number)."""
    count, highest = db.session.execute(
        select(func.count(SeatAssignment.id), func.max(SeatAssignment.seat)).where(
            SeatAssignment.session_id == session_id
        )
    ).one()
    return count or 0, highest or 0


def _session_problems(recruitment: Recruitment, data: SessionData, session: ExamSession | None):
    problems = []
    if data.ends_at <= data.starts_at:
        problems.append(("ends_at", _("The session ends after it starts.")))
    if not isinstance(data.duration_minutes, int) or not 1 <= data.duration_minutes <= 1440:
        problems.append(("duration_minutes", _("The paper lasts from 1 to 1,440 minutes.")))
    try:
        rules.parse_networks(data.allowed_networks)
    except ValueError:
        problems.append(("allowed_networks", _("An IP range is not valid.")))
    if data.code and not rules.is_session_code(data.code):
        problems.append(("code", _("A session code has 4 to 16 letters and digits.")))
    room = db.session.get(ExamRoom, data.room_id) if data.room_id else None
    if room is None or room.recruitment_id != recruitment.id:
        problems.append(("room", _("Choose a room of this recruitment.")))
        return problems, None
    if data.ends_at > data.starts_at:
        overlap = db.session.scalar(
            select(ExamSession)
            .where(
                ExamSession.room_id == room.id,
                ExamSession.id != (session.id if session else -1),
                ExamSession.starts_at < data.ends_at,
                ExamSession.ends_at > data.starts_at,
            )
            .limit(1)
        )
        if overlap is not None:
            problems.append(
                (
                    "starts_at",
                    _(
                        "Room %(room)s already has a session at that time (%(title)s).",
                        room=room.name,
                        title=overlap.title or overlap.subject,
                    ),
                )
            )
    if session is not None:
        count, highest = _seated(session.id)
        if room.seats < max(count, highest):
            problems.append(
                (
                    "room",
                    _(
                        "%(num)d candidates are seated in this session (up to seat %(seat)d); "
                        "room %(room)s has %(seats)d seats.",
                        num=count,
                        seat=highest,
                        room=room.name,
                        seats=room.seats,
                    ),
                )
            )
    return problems, room


def _changed_locked(session: ExamSession, data: SessionData) -> bool:
    wanted = {
        "room_id": data.room_id,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "duration_minutes": data.duration_minutes,
        "bank_course_id": data.bank_course_id,
        "blueprint": [dict(row) for row in data.blueprint],
    }
    return any(getattr(session, name) != wanted[name] for name in LOCKED_FIELDS)


def _describe(session: ExamSession) -> dict:
    return {
        "room": session.room_id,
        "starts_at": session.starts_at.isoformat(timespec="minutes"),
        "ends_at": session.ends_at.isoformat(timespec="minutes"),
        "duration": session.duration_minutes,
        "round": session.round,
        "subject": session.subject,
        "bank": session.bank_course_id,
        "blueprint": session.blueprint,
        "networks": session.allowed_networks,
        "title": session.title,
    }


def create_session(recruitment: Recruitment, data: SessionData, actor) -> ExamSession:
    """An exam session; its code is generated unless given."""
    problems, room = _session_problems(recruitment, data, None)
    if problems:
        raise ValidationFailed(problems)
    session = ExamSession(
        recruitment_id=recruitment.id,
        round=data.round,
        subject=data.subject,
        title=(data.title or "").strip(),
        room_id=room.id,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        duration_minutes=data.duration_minutes,
        code=(data.code or rules.new_code()).strip().upper(),
        allowed_networks=(data.allowed_networks or "").strip(),
        bank_course_id=data.bank_course_id,
        blueprint=[dict(row) for row in data.blueprint],
    )
    db.session.add(session)
    db.session.flush()
    record(
        actor,
        "recruitment.session_created",
        "exam_session",
        session.id,
        after={"recruitment": recruitment.code, "room": room.name, **_describe(session)},
    )
    return session


def update_session(session: ExamSession, data: SessionData, actor) -> ExamSession:
    """Change a session. Its times, room and paper are refused once it has started or a
    candidate has a paper in it; the title, networks and code may still change."""
    recruitment = db.session.get(Recruitment, session.recruitment_id)
    if is_locked(session) and (
        _changed_locked(session, data)
        or data.round != session.round
        or data.subject != session.subject
    ):
        raise ValidationFailed(
            [
                (
                    None,
                    _(
                        "The session has started or candidates have papers in it: its times, "
                        "room, round, subject and paper can no longer change."
                    ),
                )
            ]
        )
    problems, room = _session_problems(recruitment, data, session)
    if problems:
        raise ValidationFailed(problems)
    before = _describe(session)
    session.round, session.subject = data.round, data.subject
    session.title = (data.title or "").strip()
    session.room_id, session.starts_at, session.ends_at = room.id, data.starts_at, data.ends_at
    session.duration_minutes = data.duration_minutes
    session.allowed_networks = (data.allowed_networks or "").strip()
    session.bank_course_id = data.bank_course_id
    session.blueprint = [dict(row) for row in data.blueprint]
    if data.code:
        session.code = data.code.strip().upper()
    db.session.flush()
    db.session.expire(session, ["room"])
    after = _describe(session)
    record(actor, "recruitment.session_changed", "exam_session", session.id, before, after)
    return session


def remove_session(session: ExamSession, actor) -> None:
    """Remove a session that has not started and holds no paper and no incident (its seat list
    and invigilators go with it)."""
    has_incident = db.session.scalar(
        select(Incident.id).where(Incident.session_id == session.id).limit(1)
    )
    if is_locked(session) or has_incident:
        raise ValidationFailed(
            [(None, _("The session has started or candidates have papers in it: it stays."))]
        )
    about = {"recruitment": session.recruitment.code, **_describe(session)}
    session_id = session.id
    db.session.execute(delete(SeatAssignment).where(SeatAssignment.session_id == session_id))
    db.session.execute(delete(Invigilator).where(Invigilator.session_id == session_id))
    db.session.delete(session)
    db.session.flush()
    record(actor, "recruitment.session_removed", "exam_session", session_id, about)


# --- invigilators ---------------------------------------------------------------------------


def add_invigilator(session: ExamSession, user_id: int, actor) -> Invigilator:
    """Name a user invigilator of the session (idempotent); never a candidate's account."""
    user = db.session.get(User, user_id)
    if user is None or CANDIDATE in user.roles():
        raise ValidationFailed([("username", _("A candidate's account cannot invigilate."))])
    found = db.session.scalar(
        select(Invigilator).where(
            Invigilator.session_id == session.id, Invigilator.user_id == user_id
        )
    )
    if found:
        return found
    row = Invigilator(session_id=session.id, user_id=user_id)
    add_recorded(
        row,
        actor,
        "recruitment.invigilator_added",
        "exam_session",
        session.id,
        after={"invigilator": user.username},
    )
    return row


def remove_invigilator(session: ExamSession, user_id: int, actor) -> bool:
    """Take a user off the session's invigilators; False when they were not on it."""
    row = db.session.scalar(
        select(Invigilator).where(
            Invigilator.session_id == session.id, Invigilator.user_id == user_id
        )
    )
    if row is None:
        return False
    username = row.user.username
    db.session.delete(row)
    db.session.flush()
    record(
        actor,
        "recruitment.invigilator_removed",
        "exam_session",
        session.id,
        before={"invigilator": username},
    )
    return True
