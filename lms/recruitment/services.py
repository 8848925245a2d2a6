"""Recruitment services: recruitments and their positions (create, change, remove),
registering candidates (each with a candidate number and an account that opens only the exam)
and seating them; rooms, sessions and invigilators are lms.recruitment.rooms (re-exported).
They take plain values and `actor=`, flush, and raise domain errors."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from lms.audit.services import add_recorded, record
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
    ExamSession,
    Recruitment,
    RecruitmentPosition,
    RecruitmentStatus,
    SeatAssignment,
)

# Rooms, sessions and invigilators live in lms.recruitment.rooms; named here too, as before.
from lms.recruitment.rooms import (  # noqa: F401
    SessionData,
    add_invigilator,
    add_room,
    create_session,
    remove_invigilator,
    remove_room,
    remove_session,
    update_room,
    update_session,
)


def _unit(code: str) -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise NotFound(_("Unknown unit %(code)s.", code=code))
    return unit


@dataclass(frozen=True)
class RecruitmentData:
    """What a recruitment's form (or `recruitment create`) sets; the code is set once."""

    name: str
    year: int
    unit_code: str
    opens_on: date | None = None
    closes_on: date | None = None
    appeal_days: int = 15
    status: str = RecruitmentStatus.DRAFT


def _recruitment_problems(data: RecruitmentData) -> list[tuple[str, str]]:
    problems = []
    if not vntext.normalize(data.name or "").strip():
        problems.append(("name", _("The name is required.")))
    if not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        problems.append(("year", _("The year is between 2000 and 2100.")))
    if (data.opens_on is None) != (data.closes_on is None):
        problems.append(("closes_on", _("Give both days of the application window, or neither.")))
    elif data.opens_on and data.closes_on < data.opens_on:
        problems.append(("closes_on", _("Applications close on or after the day they open.")))
    if not isinstance(data.appeal_days, int) or not 1 <= data.appeal_days <= 365:
        problems.append(("appeal_days", _("The appeal deadline is from 1 to 365 days.")))
    if data.status not in {s.value for s in RecruitmentStatus}:
        problems.append(("status", _("Unknown status.")))
    return problems


def _describe(recruitment: Recruitment) -> dict:
    return {
        "name": recruitment.name,
        "year": recruitment.year,
        "unit": recruitment.unit_id,
        "opens_on": str(recruitment.applications_open_on or ""),
        "closes_on": str(recruitment.applications_close_on or ""),
        "appeal_days": recruitment.appeal_days,
        "status": recruitment.status,
    }


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
    """A new recruitment organised by unit `unit_code`. Raises ValidationFailed on a taken or
    malformed code, and on the problems of `update_recruitment`."""
    code = (code or "").strip().upper()
    data = RecruitmentData(name, year, unit_code, opens_on, closes_on, appeal_days, status)
    problems = _recruitment_problems(data)
    if not rules.is_plain_code(code, 16):
        problems.insert(0, ("code", _("A code has up to 16 letters, digits and hyphens.")))
    elif db.session.scalar(select(Recruitment.id).where(Recruitment.code == code)):
        problems.insert(0, ("code", _("This recruitment code is already used.")))
    if problems:
        raise ValidationFailed(problems)
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
    record(actor, "recruitment.created", "recruitment", code, after=_describe(recruitment))
    return recruitment


def update_recruitment(recruitment: Recruitment, data: RecruitmentData, actor) -> Recruitment:
    """Change a recruitment's name, year, organising unit, application window, appeal deadline
    or status (its code stays)."""
    problems = _recruitment_problems(data)
    if problems:
        raise ValidationFailed(problems)
    before = _describe(recruitment)
    recruitment.name = vntext.normalize(data.name).strip()
    recruitment.year = data.year
    recruitment.unit_id = _unit(data.unit_code).id
    recruitment.applications_open_on = data.opens_on
    recruitment.applications_close_on = data.closes_on
    recruitment.appeal_days = data.appeal_days
    recruitment.status = data.status
    db.session.flush()
    db.session.expire(recruitment, ["unit"])
    after = _describe(recruitment)
    record(actor, "recruitment.changed", "recruitment", recruitment.code, before, after)
    return recruitment


def _position_problems(
    recruitment: Recruitment, code: str, title: str, quota, position=None
) -> list[tuple[str, str]]:
    problems = []
    if not rules.is_plain_code(code, 32):
        problems.append(("code", _("A code has up to 32 letters, digits and hyphens.")))
    elif db.session.scalar(
        select(RecruitmentPosition.id).where(
            RecruitmentPosition.recruitment_id == recruitment.id,
            RecruitmentPosition.code == code,
            RecruitmentPosition.id != (position.id if position else -1),
        )
    ):
        problems.append(("code", _("This recruitment already has a position with this code.")))
    if not vntext.normalize(title or "").strip():
        problems.append(("title", _("The position needs a title.")))
    if not isinstance(quota, int) or not 1 <= quota <= 10_000:
        problems.append(("quota", _("The quota is at least 1.")))
    return problems


def add_position(
    recruitment: Recruitment, code: str, title: str, unit_code: str, quota: int, actor
) -> RecruitmentPosition:
    """A position to fill, in unit `unit_code`, with its quota (≥ 1)."""
    code = (code or "").strip().upper()
    problems = _position_problems(recruitment, code, title, quota)
    if problems:
        raise ValidationFailed(problems)
    position = RecruitmentPosition(
        recruitment_id=recruitment.id,
        code=code,
        title=vntext.normalize(title).strip(),
        unit_id=_unit(unit_code).id,
        quota=quota,
    )
    add_recorded(
        position,
        actor,
        "recruitment.position_added",
        "recruitment",
        recruitment.code,
        after={"position": position.code, "unit": unit_code, "quota": quota},
    )
    return position


def update_position(
    position: RecruitmentPosition, code: str, title: str, unit_code: str, quota: int, actor
) -> RecruitmentPosition:
    """Change a position's code, title, unit or quota."""
    recruitment = position.recruitment
    code = (code or "").strip().upper()
    problems = _position_problems(recruitment, code, title, quota, position)
    if problems:
        raise ValidationFailed(problems)
    before = {
        "position": position.code,
        "title": position.title,
        "unit": position.unit_id,
        "quota": position.quota,
    }
    position.code, position.title = code, vntext.normalize(title).strip()
    position.unit_id, position.quota = _unit(unit_code).id, quota
    db.session.flush()
    db.session.expire(position, ["unit"])
    after = {"position": code, "title": position.title, "unit": position.unit_id, "quota": quota}
    record(actor, "recruitment.position_changed", "recruitment", recruitment.code, before, after)
    return position


def remove_position(position: RecruitmentPosition, actor) -> None:
    """Remove a position no candidate has applied for."""
    if db.session.scalar(select(Candidate.id).where(Candidate.position_id == position.id).limit(1)):
        raise ValidationFailed(
            [(None, _("Candidates have applied for this position: it cannot be removed."))]
        )
    recruitment = position.recruitment
    code = position.code
    db.session.delete(position)
    db.session.flush()
    db.session.expire(recruitment, ["positions"])
    before = {"position": code}
    record(actor, "recruitment.position_removed", "recruitment", recruitment.code, before)


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
    add_recorded(
        candidate,
        actor,
        "recruitment.candidate_registered",
        "candidate",
        number,
        after={"recruitment": recruitment.code, "position": position.code},
    )
    return candidate


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
