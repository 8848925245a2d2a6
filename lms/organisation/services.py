"""Organisation services: units, officials and position changes. Each flushes, audits changes to
officials, and raises ValidationFailed with (field, message) pairs on bad input."""

from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from sqlalchemy import select

from lms.audit.services import diff, record
from lms.auth.services import disable_for_officials
from lms.common import vntext
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import (
    CATEGORIES,
    GENDERS,
    SORT_KEY_LENGTH,
    STATUSES,
    Official,
    OrgUnit,
    Position,
    PositionAssignment,
    Rank,
)
from lms.organisation.queries import current_post_of


@dataclass(frozen=True)
class OfficialData:
    """Editable fields of an official (as a form or an import row gives them)."""

    employee_code: str
    full_name: str
    gender: str
    category: str
    date_of_birth: date | None = None
    email: str | None = None
    phone: str | None = None
    status: str = "active"


@dataclass(frozen=True)
class AssignmentData:
    """A position held from `started_on`: unit, position and rank by code."""

    unit_code: str
    position_code: str
    started_on: date
    rank_code: str | None = None
    decision_no: str | None = None


def set_unit_path(unit: OrgUnit) -> None:
    """Compute the materialised path from the parent's (the unit must be flushed, to have an id)."""
    prefix = unit.parent.path if unit.parent is not None else "/"
    unit.path = f"{prefix}{unit.id}/"
    unit.sort_name = vntext.sort_string(unit.name)[:SORT_KEY_LENGTH]


def _clean(data: OfficialData) -> OfficialData:
    return OfficialData(
        employee_code=(data.employee_code or "").strip().upper(),
        full_name=vntext.normalize(data.full_name) or "",
        gender=data.gender,
        category=data.category,
        date_of_birth=data.date_of_birth,
        email=(data.email or "").strip().lower() or None,
        phone=(data.phone or "").strip() or None,
        status=data.status or "active",
    )


def _check_official(data: OfficialData, official_id: int | None) -> None:
    reasons = []
    if not data.employee_code:
        reasons.append(("employee_code", _("The employee code is required.")))
    else:
        taken = db.session.scalar(
            select(Official.id).where(Official.employee_code == data.employee_code)
        )
        if taken is not None and taken != official_id:
            reasons.append(("employee_code", _("Another official already has this employee code.")))
    if not data.full_name:
        reasons.append(("full_name", _("The full name is required.")))
    if data.gender not in GENDERS:
        reasons.append(("gender", _("Choose a gender.")))
    if data.category not in CATEGORIES:
        reasons.append(("category", _("Choose a category.")))
    if data.status not in STATUSES:
        reasons.append(("status", _("Choose a status.")))
    if reasons:
        raise ValidationFailed(reasons)


def _apply(official: Official, data: OfficialData) -> None:
    for field in fields(OfficialData):
        setattr(official, field.name, getattr(data, field.name))
    official.search_name = vntext.search_key(data.full_name)
    official.sort_name = vntext.name_sort_string(data.full_name)[:SORT_KEY_LENGTH]


def _lookup(model, code: str | None, field: str, message: str):
    if not code:
        return None
    found = db.session.scalar(select(model).where(model.code == code.strip()))
    if found is None:
        raise ValidationFailed([(field, message)])
    return found


def _resolve(assignment: AssignmentData) -> tuple[OrgUnit, Position, Rank | None]:
    unit = _lookup(OrgUnit, assignment.unit_code, "unit", _("Unknown unit."))
    position = _lookup(Position, assignment.position_code, "position", _("Unknown position."))
    rank = _lookup(Rank, assignment.rank_code, "rank", _("Unknown rank."))
    if unit is None or position is None:
        raise ValidationFailed(
            [("unit" if unit is None else "position", _("This field is required."))]
        )
    if not unit.is_open_on(assignment.started_on):
        raise ValidationFailed([("unit", _("This unit is closed on that date."))])
    return unit, position, rank


def create_official(data: OfficialData, assignment: AssignmentData | None, actor) -> Official:
    """Add an official, with a first primary assignment when given. Audited."""
    data = _clean(data)
    _check_official(data, None)
    post = _resolve(assignment) if assignment is not None else None  # before anything is added
    official = Official()
    _apply(official, data)
    db.session.add(official)
    db.session.flush()
    if post is not None:
        db.session.add(_assignment(official, assignment, *post, is_primary=True))
    record(actor, "official.created", "official", official.employee_code, after=asdict(data))
    db.session.flush()
    return official


def update_official(official: Official, data: OfficialData, actor) -> Official:
    """Change an official's details; the audit entry holds only changed fields. Marking the
    official as having left disables their account."""
    data = _clean(data)
    _check_official(data, official.id)
    before = {field.name: getattr(official, field.name) for field in fields(OfficialData)}
    _apply(official, data)
    old, new = diff(before, asdict(data))
    if new:
        record(actor, "official.updated", "official", official.employee_code, before=old, after=new)
    if data.status == "left" and before["status"] != "left":  # no login after leaving
        disable_for_officials([official.id], actor, reason="official_left")
    db.session.flush()
    return official


def current_assignment(official: Official) -> PositionAssignment | None:
    """The open primary assignment, if any."""
    return current_post_of(official.id)


def _assignment(official, data, unit, position, rank, is_primary) -> PositionAssignment:
    return PositionAssignment(
        official=official,
        unit=unit,
        position=position,
        rank=rank,
        is_primary=is_primary,
        started_on=data.started_on,
        decision_no=(data.decision_no or "").strip() or None,
    )


def change_position(official: Official, data: AssignmentData, actor) -> PositionAssignment:
    """Record a transfer or appointment: close the open primary assignment the day before
    `started_on` and open the new one. The history is kept.

    Raises ValidationFailed when the new start is not after the current one's start, or a code
    is unknown.
    """
    unit, position, rank = _resolve(data)
    current = current_assignment(official)
    if current is not None:
        if data.started_on <= current.started_on:
            raise ValidationFailed(
                [
                    (
                        "started_on",
                        _(
                            "The new position must start after the current one (started %(day)s).",
                            day=current.started_on.strftime("%d/%m/%Y"),
                        ),
                    )
                ]
            )
        current.ended_on = data.started_on - timedelta(days=1)
        db.session.flush()  # the partial unique index sees the closed row before the new one
    new = _assignment(official, data, unit, position, rank, is_primary=True)
    db.session.add(new)
    db.session.flush()
    record(
        actor,
        "official.position_changed",
        "official",
        official.employee_code,
        before=_describe(current),
        after=_describe(new),
    )
    return new


def add_concurrent(official: Official, data: AssignmentData, actor) -> PositionAssignment:
    """Add a concurrent post (kiêm nhiệm) beside the primary one. Audited."""
    unit, position, rank = _resolve(data)
    new = _assignment(official, data, unit, position, rank, is_primary=False)
    db.session.add(new)
    db.session.flush()
    record(
        actor, "official.concurrent_added", "official", official.employee_code, after=_describe(new)
    )
    return new


def end_assignment(assignment: PositionAssignment, ended_on: date, actor) -> None:
    """Close an assignment (e.g. a concurrent post) on `ended_on`. Audited."""
    if ended_on < assignment.started_on:
        raise ValidationFailed([("ended_on", _("The end date is before the start date."))])
    assignment.ended_on = ended_on
    record(
        actor,
        "official.assignment_ended",
        "official",
        assignment.official.employee_code,
        after=_describe(assignment),
    )
    db.session.flush()


def _describe(assignment: PositionAssignment | None) -> dict | None:
    if assignment is None:
        return None
    return {
        "unit": assignment.unit.code,
        "position": assignment.position.code,
        "rank": assignment.rank.code if assignment.rank else None,
        "is_primary": assignment.is_primary,
        "started_on": assignment.started_on,
        "ended_on": assignment.ended_on,
    }


def upsert_unit(
    code: str,
    name: str,
    unit_type: str,
    level: str | None,
    parent_code: str | None,
    note: str | None = None,
    valid_from: date | None = None,
) -> OrgUnit:
    """Create or update a unit by code (parents first); recomputes its path. Idempotent."""
    parent = (
        _lookup(OrgUnit, parent_code, "parent", _("Unknown parent unit.")) if parent_code else None
    )
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code)) or OrgUnit(code=code)
    unit.name = vntext.normalize(name)
    unit.unit_type, unit.level, unit.note, unit.parent = unit_type, level, note, parent
    unit.valid_from = unit.valid_from or valid_from
    db.session.add(unit)
    db.session.flush()
    old_path = unit.path
    set_unit_path(unit)
    if old_path and old_path != unit.path:  # moved under another parent: carry the subtree along
        below = select(OrgUnit).where(OrgUnit.path.startswith(old_path), OrgUnit.id != unit.id)
        for child in db.session.scalars(below):
            child.path = unit.path + child.path[len(old_path) :]
    return unit


def upsert_rank(code: str, name: str, salary_group: str | None = None) -> Rank:
    """Create or update a rank by code. Idempotent."""
    rank = db.session.scalar(select(Rank).where(Rank.code == code)) or Rank(code=code)
    rank.name, rank.salary_group = vntext.normalize(name), salary_group or None
    db.session.add(rank)
    return rank


def upsert_position(code: str, name: str, job_group: str | None = None) -> Position:
    """Create or update a job position by code. Idempotent."""
    position = db.session.scalar(select(Position).where(Position.code == code)) or Position(
        code=code
    )
    position.name, position.job_group = vntext.normalize(name), job_group or None
    db.session.add(position)
    return position
