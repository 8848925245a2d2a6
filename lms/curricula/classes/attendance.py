"""Per-session attendance: the tick list of the trainer or training manager (present, late,
excused, absent) and self check-in with the room's QR code — a code signed with the app's
secret, naming the session and its start, accepted only in the session's check-in window.

Every mark keeps the official's sessions attended (present or late) up to date until their
result is recorded."""

from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from lms.audit import services as audit
from lms.common import clock
from lms.curricula.classes import rules
from lms.curricula.classes.models import (
    AttendanceMark,
    ClassMember,
    ClassSession,
    MemberStatus,
    SessionAttendance,
)
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _

SALT = "class-session-checkin"
ATTENDED = (AttendanceMark.PRESENT, AttendanceMark.LATE)


def local_now() -> datetime:
    """Now in Vietnam as a naive datetime (how session times are kept)."""
    return clock.now().replace(tzinfo=UTC).astimezone(clock.LOCAL_TZ).replace(tzinfo=None)


def margin() -> int:
    """Minutes before a session's start from which its QR code is accepted."""
    return int(current_app.config.get("LMS_CLASS_CHECKIN_MARGIN_MINUTES", 30))


def late_after() -> int:
    """Minutes after the start after which a check-in counts as late."""
    return int(current_app.config.get("LMS_CLASS_LATE_MINUTES", 15))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def checkin_code(session: ClassSession) -> str:
    """The signed code of a session's QR: its id and start (a session moved to another time
    gets a new code; the old one is refused)."""
    return _serializer().dumps({"s": session.id, "t": session.starts_at.isoformat()})


def session_of_code(code: str) -> ClassSession | None:
    """The session a code names, if the signature holds and the session still starts when the
    code says; else None."""
    try:
        data = _serializer().loads(code)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    session = db.session.get(ClassSession, data["s"])
    if session is None or session.starts_at.isoformat() != data.get("t"):
        return None
    return session


def window_text(session: ClassSession) -> str:
    """The check-in window as people read it: "07:30–11:30 08/06/2026"."""
    opens, closes = rules.checkin_window(session.starts_at, session.ends_at, margin())
    return f"{opens:%H:%M}–{closes:%H:%M} {closes:%d/%m/%Y}"


def enrolled_member(session: ClassSession, official_id: int) -> ClassMember | None:
    """The official's place in the session's class, if they hold one."""
    return db.session.scalar(
        select(ClassMember).where(
            ClassMember.class_id == session.class_id,
            ClassMember.official_id == official_id,
            ClassMember.status == MemberStatus.ENROLLED,
        )
    )


def check_in(session: ClassSession, member: ClassMember, actor) -> SessionAttendance:
    """The official checks in with the room's code: present, or late after the grace minutes.
    Refused (RuleViolation "window") outside the session's window. Checking in twice keeps
    the first time. Flushed."""
    now = local_now()
    if not rules.in_checkin_window(now, session.starts_at, session.ends_at, margin()):
        raise RuleViolation(
            _(
                "This code is accepted only during the session (%(window)s). Ask the trainer "
                "to mark your attendance.",
                window=window_text(session),
            ),
            "window",
        )
    row = _mark_row(session.id, member.id)
    if row is not None and row.by_qr and row.mark in ATTENDED:
        return row
    mark = AttendanceMark.LATE if rules.is_late(now, session.starts_at, late_after()) else None
    row = _set(session, member, mark or AttendanceMark.PRESENT, actor, by_qr=True)
    row.checked_in_at = clock.now()
    _sync([member])
    audit.record(
        actor,
        "class.attendance_recorded",
        "training_class",
        session.class_id,
        after={"session": session.id, "code": member.official.employee_code, "mark": row.mark},
    )
    return row


def _mark_row(session_id: int, member_id: int) -> SessionAttendance | None:
    return db.session.scalar(
        select(SessionAttendance).where(
            SessionAttendance.session_id == session_id, SessionAttendance.member_id == member_id
        )
    )


def _set(session, member, mark: str, actor, by_qr: bool = False) -> SessionAttendance:
    row = _mark_row(session.id, member.id)
    if row is None:
        row = SessionAttendance(session_id=session.id, member_id=member.id)
        db.session.add(row)
    row.mark, row.by_qr = mark, by_qr
    row.recorded_by_id, row.recorded_at = getattr(actor, "id", None), clock.now()
    db.session.flush()
    return row


def marks(session: ClassSession) -> dict[int, SessionAttendance]:
    """member id → the session's mark."""
    rows = db.session.scalars(
        select(SessionAttendance).where(SessionAttendance.session_id == session.id)
    )
    return {row.member_id: row for row in rows}


def record_marks(session: ClassSession, given: dict[int, str | None], actor) -> int:
    """Save the tick list: member id → mark (None or "" clears it). Members must hold a place
    in the class (ValidationFailed otherwise). A QR check-in is kept unless the mark changes.
    Returns how many marks changed; audited once."""
    members = {
        m.id: m
        for m in db.session.scalars(
            select(ClassMember).where(
                ClassMember.class_id == session.class_id,
                ClassMember.status == MemberStatus.ENROLLED,
            )
        )
    }
    if set(given) - set(members):
        raise ValidationFailed([(None, _("A line of the form is not on this roster."))])
    if any(mark and mark not in set(AttendanceMark) for mark in given.values()):
        raise ValidationFailed([(None, _("Unknown attendance mark."))])
    existing = marks(session)
    changed = []
    for member_id, mark in given.items():
        row = existing.get(member_id)
        if (row.mark if row else None) == (mark or None):
            continue
        if mark:
            _set(session, members[member_id], mark, actor)
        elif row is not None:
            db.session.delete(row)
        changed.append(members[member_id])
    db.session.flush()
    _sync(changed)
    if changed:
        audit.record(
            actor,
            "class.attendance_recorded",
            "training_class",
            session.class_id,
            after={"session": session.id, "changed": len(changed)},
        )
    return len(changed)


def _sync(members: list[ClassMember]) -> None:
    """Sessions attended (present or late) of members whose result is not recorded yet."""
    for member in members:
        if member.result is not None:
            continue
        member.sessions_attended = db.session.scalar(
            select(func.count())
            .select_from(SessionAttendance)
            .where(SessionAttendance.member_id == member.id, SessionAttendance.mark.in_(ATTENDED))
        )
    db.session.flush()
