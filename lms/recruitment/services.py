"""Recruitment services: recruitments and their positions, registering candidates (each with a
candidate number and an account that opens only the exam), rooms, sessions, seats and
invigilators. They take plain values and `actor=`, flush, and raise domain errors."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from lms.audit.services import record
from lms.auth import services as auth
from lms.common import vntext
from lms.errors import NotFound, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import OrgUnit
from lms.recruitment import rules
from lms.recruitment.models import (
    Candidate,
    CandidateSource,
    ExamRoom,
    ExamSession,
    Invigilator,
    Recruitment,
    RecruitmentPosition,
    SeatAssignment,
)


def _unit(code: str) -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise NotFound(_("Unknown unit %(code)s.", code=code))
    return unit


def create_recruitment(
    code: str,
    name: str,
    year: int,
    unit_code: str,
    actor,
    opens_on: date | None = None,
    closes_on: date | None = None,
    appeal_days: int = 15,
    status: str = "draft",
) -> Recruitment:
    """A new recruitment organised by unit `unit_code`. Raises ValidationFailed on a taken code."""
    code = code.strip().upper()
    if db.session.scalar(select(Recruitment.id).where(Recruitment.code == code)):
        raise ValidationFailed([("code", _("This recruitment code is already used."))])
    recruitment = Recruitment(
        code=code,
        name=vntext.normalize(name).strip(),
        year=year,
        unit_id=_unit(unit_code).id,
        applications_open_on=opens_on,
        applications_close_on=closes_on,
        appeal_days=appeal_days,
        status=status,
    )
    db.session.add(recruitment)
    db.session.flush()
    record(actor, "recruitment.created", "recruitment", code, after={"name": recruitment.name})
    return recruitment


def add_position(
    recruitment: Recruitment, code: str, title: str, unit_code: str, quota: int, actor
) -> RecruitmentPosition:
    """A position to fill, in unit `unit_code`, with its quota (≥ 1)."""
    if quota < 1:
        raise ValidationFailed([("quota", _("The quota is at least 1."))])
    position = RecruitmentPosition(
        recruitment_id=recruitment.id,
        code=code.strip().upper(),
        title=vntext.normalize(title).strip(),
        unit_id=_unit(unit_code).id,
        quota=quota,
    )
    db.session.add(position)
    db.session.flush()
    record(
        actor,
        "recruitment.changed",
        "recruitment",
        recruitment.code,
        after={"position": position.code, "quota": quota},
    )
    return position


@dataclass(frozen=True)
class NewCandidate:
    """What registering a candidate takes (from an import row or the application form)."""

    position_code: str
    full_name: str
    born_on: date
    id_number: str
    email: str = ""
    phone: str = ""
    priority_code: str = ""
    source: str = CandidateSource.IMPORT
    password: str | None = None  # chosen on the application form; else the card's access code
    username: str | None = None  # the demo's "candidate"; else the candidate number


def position_by_code(recruitment: Recruitment, code: str) -> RecruitmentPosition | None:
    """The recruitment's position with that code (any case), or None."""
    return db.session.scalar(
        select(RecruitmentPosition).where(
            RecruitmentPosition.recruitment_id == recruitment.id,
            RecruitmentPosition.code == (code or "").strip().upper(),
        )
    )


def id_number_taken(recruitment: Recruitment, id_number: str) -> bool:
    """Whether a candidate of the recruitment already has this identity number."""
    return bool(
        db.session.scalar(
            select(Candidate.id).where(
                Candidate.recruitment_id == recruitment.id, Candidate.id_number == id_number
            )
        )
    )


def check_candidate(recruitment: Recruitment, data: NewCandidate) -> list[tuple[str, str]]:
    """Every problem of a registration, as (field, message): unknown position, empty name, bad
    identity number or one already registered, unknown priority category, bad date of birth."""
    problems = []
    if position_by_code(recruitment, data.position_code) is None:
        problems.append(("position", _("Unknown position %(code)s.", code=data.position_code)))
    name = vntext.normalize(" ".join((data.full_name or "").split()))
    if not name:
        problems.append(("full_name", _("The full name is required.")))
    elif not rules.is_person_name(name):
        problems.append(("full_name", _("A name has letters only.")))
    if not rules.is_id_number(data.id_number):
        problems.append(("id_number", _("The identity number (CCCD) has 12 digits.")))
    elif id_number_taken(recruitment, data.id_number):
        problems.append(("id_number", _("A candidate with this identity number is registered.")))
    if data.priority_code not in {p.value for p in rules.Priority}:
        problems.append(
            ("priority", _("Unknown priority category %(code)s.", code=data.priority_code))
        )
    if not isinstance(data.born_on, date) or not 1940 <= data.born_on.year <= recruitment.year - 18:
        problems.append(
            ("born_on", _("The date of birth is not plausible (at least 18 years old)."))
        )
    return problems


def _next_number(recruitment: Recruitment) -> str:
    count = db.session.scalar(
        select(func.count(Candidate.id)).where(Candidate.recruitment_id == recruitment.id)
    )
    n = count + 1
    while db.session.scalar(
        select(Candidate.id).where(
            Candidate.recruitment_id == recruitment.id,
            Candidate.number == rules.candidate_number(recruitment.code, n),
        )
    ):
        n += 1
    return rules.candidate_number(recruitment.code, n)


def register_candidate(recruitment: Recruitment, data: NewCandidate, actor) -> Candidate:
    """Register a candidate: a candidate number, and an account (username: the number in lower
    case; password: the one chosen online, else the admission card's access code) holding only
    the role `candidate`. Raises ValidationFailed with every problem (check_candidate)."""
    problems = check_candidate(recruitment, data)
    if problems:
        raise ValidationFailed(problems)
    position = position_by_code(recruitment, data.position_code)
    number = _next_number(recruitment)
    access_code = "" if data.password else rules.new_code(10)
    name = vntext.normalize(" ".join(data.full_name.split()))
    user = auth.create_user(
        auth.NewUser(
            username=data.username or number.lower(),
            password=data.password or access_code,
            display_name=name,
            email=data.email or None,
            must_change_password=False,
        ),
        actor=actor,
    )
    auth.grant_candidate(user, recruitment.unit_id, actor)
    candidate = Candidate(
        recruitment_id=recruitment.id,
        position_id=position.id,
        number=number,
        full_name=name,
        sort_key=vntext.name_sort_string(name)[:255],
        born_on=data.born_on,
        id_number=data.id_number,
        email=(data.email or "").strip(),
        phone=(data.phone or "").strip(),
        priority_code=data.priority_code,
        priority_points=rules.priority_points(data.priority_code),
        source=data.source,
        user_id=user.id,
        access_code=access_code,
    )
    db.session.add(candidate)
    db.session.flush()
    record(
        actor,
        "recruitment.candidate_registered",
        "candidate",
        number,
        after={"recruitment": recruitment.code, "position": position.code},
    )
    return candidate


def add_room(
    recruitment: Recruitment, name: str, seats: int, actor, location: str = ""
) -> ExamRoom:
    """An exam room with its number of seats (≥ 1)."""
    if seats < 1:
        raise ValidationFailed([("seats", _("A room has at least one seat."))])
    room = ExamRoom(
        recruitment_id=recruitment.id, name=name.strip(), seats=seats, location=location
    )
    db.session.add(room)
    db.session.flush()
    record(actor, "recruitment.changed", "recruitment", recruitment.code, after={"room": room.name})
    return room


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


def create_session(recruitment: Recruitment, data: SessionData, actor) -> ExamSession:
    """An exam session; its code is generated unless given. Raises ValidationFailed on a window
    that ends before it starts, a bad IP range, or a room of another recruitment."""
    problems = []
    if data.ends_at <= data.starts_at:
        problems.append(("ends_at", _("The session ends after it starts.")))
    try:
        rules.parse_networks(data.allowed_networks)
    except ValueError:
        problems.append(("allowed_networks", _("An IP range is not valid.")))
    room = db.session.get(ExamRoom, data.room_id)
    if room is None or room.recruitment_id != recruitment.id:
        problems.append(("room", _("Choose a room of this recruitment.")))
    if problems:
        raise ValidationFailed(problems)
    session = ExamSession(
        recruitment_id=recruitment.id,
        round=data.round,
        subject=data.subject,
        title=data.title,
        room_id=room.id,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        duration_minutes=data.duration_minutes,
        code=(data.code or rules.new_code()).upper(),
        allowed_networks=data.allowed_networks.strip(),
        bank_course_id=data.bank_course_id,
        blueprint=[dict(row) for row in data.blueprint],
    )
    db.session.add(session)
    db.session.flush()
    record(
        actor,
        "recruitment.session_changed",
        "exam_session",
        session.id,
        after={"recruitment": recruitment.code, "room": room.name},
    )
    return session


def seat_candidates(session: ExamSession, candidates: list[Candidate], actor) -> int:
    """Seat candidates in the session's room, in order, on the free seats. Raises
    ValidationFailed when the room has too few free seats. Returns how many were seated."""
    taken = dict(
        db.session.execute(
            select(SeatAssignment.candidate_id, SeatAssignment.seat).where(
                SeatAssignment.session_id == session.id
            )
        ).all()
    )
    new = [c for c in candidates if c.id not in taken]
    free = [s for s in range(1, session.room.seats + 1) if s not in set(taken.values())]
    if len(new) > len(free):
        raise ValidationFailed([("seats", _("The room has too few free seats."))])
    for candidate, seat in zip(new, free, strict=False):
        db.session.add(SeatAssignment(session_id=session.id, candidate_id=candidate.id, seat=seat))
    db.session.flush()
    record(
        actor, "recruitment.session_changed", "exam_session", session.id, after={"seated": len(new)}
    )
    return len(new)


def add_invigilator(session: ExamSession, user_id: int, actor) -> Invigilator:
    """Name a user invigilator of the session (idempotent)."""
    found = db.session.scalar(
        select(Invigilator).where(
            Invigilator.session_id == session.id, Invigilator.user_id == user_id
        )
    )
    if found:
        return found
    row = Invigilator(session_id=session.id, user_id=user_id)
    db.session.add(row)
    db.session.flush()
    record(
        actor,
        "recruitment.session_changed",
        "exam_session",
        session.id,
        after={"invigilator": user_id},
    )
    return row
