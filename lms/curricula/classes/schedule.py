"""A class's timetable: trainers and venues (managed lists shared by the organisation) and the
sessions of a class, with the clashes refused — a trainer or a venue in two overlapping
sessions, an enrolled official booked into overlapping sessions, a venue smaller than the
class."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from lms.audit import services as audit
from lms.curricula.classes import calendar, enrolment
from lms.curricula.classes.models import (
    ClassMember,
    ClassSession,
    MemberStatus,
    Trainer,
    TrainerKind,
    TrainingClass,
    Venue,
)
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _


@dataclass(frozen=True)
class TrainerData:
    """A trainer as the form gives it; an internal trainer names their official."""

    name: str
    kind: str = TrainerKind.EXTERNAL
    official_id: int | None = None
    organisation: str = ""
    email: str = ""
    is_active: bool = True


@dataclass(frozen=True)
class VenueData:
    """A venue as the form gives it."""

    name: str
    address: str = ""
    capacity: int = 30
    is_active: bool = True


def save_trainer(trainer: Trainer | None, data: TrainerData, actor) -> Trainer:
    """Create or change a trainer; audited. An internal trainer needs an official."""
    if data.kind == TrainerKind.INTERNAL and data.official_id is None:
        raise ValidationFailed([("official", _("An internal trainer is one of our officials."))])
    return _save(trainer or Trainer(), data, actor, "trainer")


def save_venue(venue: Venue | None, data: VenueData, actor) -> Venue:
    """Create or change a venue; audited. Capacity from 1 to 10 000."""
    if not 1 <= data.capacity <= 10_000:
        raise ValidationFailed(
            [("capacity", _("Enter a number from %(min)s to %(max)s.", min=1, max=10_000))]
        )
    return _save(venue or Venue(), data, actor, "venue")


# (kind, created?) → the audit action code (literals, so the audit-actions scan can check them).
AUDIT_ACTIONS = {
    ("trainer", True): "class_trainer.created",
    ("trainer", False): "class_trainer.updated",
    ("venue", True): "class_venue.created",
    ("venue", False): "class_venue.updated",
}


def _save(row, data, actor, kind: str):
    created = row.id is None
    for name, value in data.__dict__.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    db.session.add(row)
    db.session.flush()
    after = {k: str(v) for k, v in data.__dict__.items()}
    audit.record(actor, AUDIT_ACTIONS[kind, created], kind, row.id, after=after)
    return row


def trainers(active_only: bool = False) -> list[Trainer]:
    """The trainers, by name."""
    stmt = select(Trainer).order_by(Trainer.name, Trainer.id)
    return list(db.session.scalars(stmt.where(Trainer.is_active) if active_only else stmt))


def venues(active_only: bool = False) -> list[Venue]:
    """The venues, by name."""
    stmt = select(Venue).order_by(Venue.name, Venue.id)
    return list(db.session.scalars(stmt.where(Venue.is_active) if active_only else stmt))


@dataclass(frozen=True)
class SessionData:
    """A session as the form gives it: a day, local start and end times, venue and trainer."""

    day: date
    starts: time
    ends: time
    topic: str = ""
    venue_id: int | None = None
    trainer_id: int | None = None


def _overlapping(column, value, start: datetime, end: datetime, session_id: int | None):
    stmt = select(ClassSession).where(
        column == value, ClassSession.starts_at < end, ClassSession.ends_at > start
    )
    if session_id is not None:
        stmt = stmt.where(ClassSession.id != session_id)
    return db.session.scalars(stmt).first()


def _booking(model, column, value: int, window: tuple, unknown: tuple, busy):
    """(the trainer or venue `value`, why it cannot take a session in `window` — start, end,
    the session's own id — or None): `unknown` when there is no such row, else `busy(name,
    title, when)` when another session holds it at that time (the field is `unknown`'s)."""
    row = db.session.get(model, value)
    other = _overlapping(column, value, *window)
    if row is None:
        return None, unknown
    if other is not None:
        message = busy(name=row.name, title=other.training_class.title, when=_when(other))
        return row, (unknown[0], message)
    return row, None


def _when(session: ClassSession) -> str:
    return f"{session.starts_at:%d/%m/%Y %H:%M}–{session.ends_at:%H:%M}"


def _member_clashes(klass, start, end, session_id) -> list[str]:
    """Names of enrolled officials of `klass` who hold a place in another class with a session
    overlapping [start, end)."""
    Other = db.aliased(ClassMember)  # noqa: N806
    rows = db.session.execute(
        select(ClassMember)
        .join(Other, Other.official_id == ClassMember.official_id)
        .join(ClassSession, ClassSession.class_id == Other.class_id)
        .where(
            ClassMember.class_id == klass.id,
            ClassMember.status == MemberStatus.ENROLLED,
            Other.status == MemberStatus.ENROLLED,
            Other.class_id != klass.id,
            ClassSession.starts_at < end,
            ClassSession.ends_at > start,
        )
    ).scalars()
    return sorted({m.official.full_name for m in rows})


def _check_session(klass, data: SessionData, session_id: int | None):
    start = datetime.combine(data.day, data.starts)
    end = datetime.combine(data.day, data.ends)
    reasons = []
    if end <= start:
        reasons.append(("ends", _("The session must end after it starts.")))
        raise ValidationFailed(reasons)
    if not klass.starts_on <= data.day <= klass.ends_on:
        reasons.append(("day", _("The day must lie within the class's dates.")))
    window = (start, end, session_id)
    if data.trainer_id is not None:
        _trainer, reason = _booking(
            Trainer,
            ClassSession.trainer_id,
            data.trainer_id,
            window,
            ("trainer", _("Unknown trainer.")),
            lambda **found: _(
                "%(name)s already teaches at that time (%(title)s, %(when)s).", **found
            ),
        )
        if reason:
            reasons.append(reason)
    if data.venue_id is not None:
        venue, reason = _booking(
            Venue,
            ClassSession.venue_id,
            data.venue_id,
            window,
            ("venue", _("Unknown venue.")),
            lambda **found: _("%(name)s is booked at that time (%(title)s, %(when)s).", **found),
        )
        if reason:
            reasons.append(reason)
        elif klass.capacity is not None and venue.capacity < klass.capacity:
            reasons.append(
                (
                    "venue",
                    _(
                        "%(name)s seats %(seats)d, fewer than the class's %(capacity)d places.",
                        name=venue.name,
                        seats=venue.capacity,
                        capacity=klass.capacity,
                    ),
                )
            )
    names = _member_clashes(klass, start, end, session_id)
    if names:
        reasons.append(
            (
                None,
                _(
                    "Officials of this class have another class at that time: %(names)s.",
                    names=", ".join(names),
                ),
            )
        )
    if reasons:
        raise ValidationFailed(reasons)
    return start, end


def save_session(
    klass: TrainingClass, session: ClassSession | None, data: SessionData, actor
) -> ClassSession:
    """Add (session=None) or change a session of `klass`; refused (ValidationFailed) for a
    session outside the class's dates, ending before it starts, or clashing (trainer, venue,
    an enrolled official). Keeps `klass.sessions` equal to the number of sessions and bumps
    the invitation's version. Audited; flushed."""
    start, end = _check_session(klass, data, session.id if session else None)
    before = _session_values(session) if session else None
    # The first session replaces the class's all-day event: that event is cancelled.
    replaced = calendar.event_of(klass) if not klass.class_sessions else None
    if session is None:
        session = ClassSession(class_id=klass.id)
        db.session.add(session)
    session.starts_at, session.ends_at = start, end
    session.topic = (data.topic or "").strip()
    session.venue_id, session.trainer_id = data.venue_id, data.trainer_id
    db.session.flush()
    db.session.refresh(klass, ["class_sessions"])
    klass.sessions = max(len(klass.class_sessions), 1)
    klass.schedule_version += 1
    audit.record(
        actor,
        "class.session_saved",
        "training_class",
        klass.id,
        before=before,
        after=_session_values(session),
    )
    db.session.flush()
    if replaced is not None:
        enrolment.tell_event_cancelled(klass, replaced, _dates(klass))
    enrolment.tell_update(klass)
    return session


def _dates(klass: TrainingClass) -> str:
    return f"{klass.starts_on:%d/%m/%Y}–{klass.ends_on:%d/%m/%Y}"


def remove_session(session: ClassSession, actor) -> None:
    """Take a session off the timetable (with its attendance); audited. The officials holding
    a place get the session's cancellation (.ics METHOD:CANCEL); when it was the last session
    the class's all-day event comes back, by an update."""
    klass = session.training_class
    values = _session_values(session)
    gone, when = calendar.event_of(klass, session), _when(session)
    db.session.delete(session)
    db.session.flush()
    db.session.refresh(klass, ["class_sessions"])
    klass.sessions = max(len(klass.class_sessions), 1)
    klass.schedule_version += 1
    audit.record(actor, "class.session_removed", "training_class", klass.id, before=values)
    db.session.flush()
    enrolment.tell_event_cancelled(klass, gone, when)
    if not klass.class_sessions:
        enrolment.tell_update(klass)


def _session_values(session: ClassSession) -> dict:
    return {
        "session": session.id,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "venue_id": session.venue_id,
        "trainer_id": session.trainer_id,
    }


def trainer_schedule(trainer: Trainer, class_ids_select) -> list[ClassSession]:
    """The trainer's sessions in the classes `class_ids_select` yields (the viewer's scope),
    in time order."""
    return list(
        db.session.scalars(
            select(ClassSession)
            .where(
                ClassSession.trainer_id == trainer.id,
                ClassSession.class_id.in_(class_ids_select),
            )
            .order_by(ClassSession.starts_at)
        )
    )
