"""Training statements: one official's statement for a cycle (frozen when the cycle is closed
for their unit, live otherwise), closing a cycle for a unit subtree, and re-opening it."""

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, insert, select, update

from lms.audit import services as audit
from lms.common import clock, sealing
from lms.compliance.models import CycleClosure, Statement
from lms.compliance.queries import Filters, filtered, standing_select
from lms.compliance.rules import MET, NOT_MET
from lms.curricula.obligations.mandatory import MandatoryCourse
from lms.curricula.obligations.queries import mandatory_courses
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit

CLOSE, REOPEN = "close", "reopen"


def _certificate_serials(official_ids: list[int], cycle) -> dict[int, list[str]]:
    """Serials of the certificates issued to these officials within the cycle (one query)."""
    try:
        from lms.certificates.models import Certificate
    except ImportError:  # the certificates domain is not installed
        return {}
    serials: dict[int, list[str]] = {}
    stmt = (
        select(Certificate.official_id, Certificate.serial)
        .where(
            Certificate.official_id.in_(official_ids),
            Certificate.issued_on >= cycle.starts_on,
            Certificate.issued_on <= cycle.ends_on,
        )
        .order_by(Certificate.serial)
    )
    for official_id, serial in db.session.execute(stmt):
        serials.setdefault(official_id, []).append(serial)
    return serials


def mandatory_items(courses: list[MandatoryCourse], day: date) -> list[dict]:
    """A statement's list of mandatory courses: one per course (code, title, kind, due date,
    state on `day`, and the day done)."""
    return [
        {
            "course_code": course.code,
            "title": course.title,
            "kind": course.kind,
            "due_on": course.due_on,
            "state": course.state_on(day),
            "done_on": course.done_on,
        }
        for course in courses
    ]


def _frozen_items(stored: list | None) -> list[dict] | None:
    """The stored list of a frozen statement with its dates back as dates (None: frozen before
    the list was kept)."""
    if stored is None:
        return None
    return [
        {
            **item,
            "due_on": date.fromisoformat(item["due_on"]),
            "done_on": date.fromisoformat(item["done_on"]) if item.get("done_on") else None,
        }
        for item in stored
    ]


def _stored_items(items: list[dict]) -> list[dict]:
    """`mandatory_items` as JSON for the statements table (ISO dates)."""
    return [
        {
            **item,
            "due_on": item["due_on"].isoformat(),
            "done_on": item["done_on"].isoformat() if item["done_on"] else None,
        }
        for item in items
    ]


def _as_dict(row, cycle, certificates: list[str], closed_at, mandatory: list[dict]) -> dict:
    return {
        "employee_code": row.employee_code,
        "full_name": row.full_name,
        "unit": {"code": row.unit_code, "name": row.unit_name},
        "position": {"code": row.position_code, "name": row.position_name},
        "rank": {"code": row.rank_code, "name": row.rank_name} if row.rank_code else None,
        "cycle": cycle.year,
        "target_credits": Decimal(row.target).quantize(Decimal("0.01")),
        "earned_credits": Decimal(row.earned).quantize(Decimal("0.01")),
        "mandatory_required": int(row.required),
        "mandatory_completed": int(row.completed),
        "status": row.status,
        "certificates": certificates,
        "mandatory": mandatory,
        "closed_at": closed_at,
    }


def statement_for(official_id: int, cycle, as_of: date) -> dict | None:
    """The statement of DESIGN.md §3 for one official: the frozen one when the cycle is closed
    for them, else computed live on `as_of`, with its list of mandatory courses (`mandatory`,
    one per course, states on `as_of`; None on a statement frozen before the list was kept).
    None when the official holds no open post and has no frozen statement."""
    frozen = db.session.scalar(
        select(Statement).where(
            Statement.official_id == official_id,
            Statement.cycle_id == cycle.id,
            Statement.superseded_at.is_(None),
        )
    )
    if frozen is not None:
        return {
            "employee_code": frozen.employee_code,
            "full_name": frozen.full_name,
            "unit": {"code": frozen.unit_code, "name": frozen.unit_name},
            "position": {"code": frozen.position_code, "name": frozen.position_name},
            "rank": {"code": frozen.rank_code, "name": frozen.rank_name}
            if frozen.rank_code
            else None,
            "cycle": cycle.year,
            "target_credits": frozen.target_credits,
            "earned_credits": frozen.earned_credits,
            "mandatory_required": frozen.mandatory_required,
            "mandatory_completed": frozen.mandatory_completed,
            "status": frozen.status,
            "certificates": list(frozen.certificates or []),
            "mandatory": _frozen_items(frozen.mandatory),
            "closed_at": frozen.closed_at,
        }
    row = db.session.execute(
        standing_select(cycle, as_of, None).where(Official.id == official_id)
    ).first()
    if row is None:
        return None
    courses = mandatory_courses([official_id], cycle.id).get(official_id, [])
    serials = _certificate_serials([official_id], cycle).get(official_id, [])
    return _as_dict(row, cycle, serials, None, mandatory_items(courses, as_of))


def closure_state(cycle, unit: OrgUnit) -> str | None:
    """ "close" when the latest closure row of the unit or one of its ancestors closes the cycle
    (the nearest decision wins), else None."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = db.session.execute(
        select(CycleClosure.unit_id, CycleClosure.action)
        .where(CycleClosure.cycle_id == cycle.id, CycleClosure.unit_id.in_(ids))
        .order_by(CycleClosure.id)
    ).all()
    latest = {unit_id: action for unit_id, action in rows}
    return CLOSE if CLOSE in latest.values() else None


def close_cycle(cycle, unit: OrgUnit, actor, as_of: date) -> int:
    """Freeze the statement of every official placed in the unit's subtree who has none yet for
    the cycle; returns how many were frozen.

    The status is met / not_met (the live rules on the cycle's last day); the list of
    mandatory courses is kept with each course's state on `as_of`, the closing day. Raises
    RuleViolation when the cycle has not ended, or is already closed for this unit.
    """
    if as_of <= cycle.ends_on:
        raise RuleViolation(_("A cycle can be closed only after its last day."), "not_ended")
    if closure_state(cycle, unit) == CLOSE:
        raise RuleViolation(_("This cycle is already closed for this unit."), "already_closed")
    closure = CycleClosure(
        cycle_id=cycle.id, unit_id=unit.id, action=CLOSE, actor_id=getattr(actor, "id", None)
    )
    db.session.add(closure)
    db.session.flush()
    sub = filtered(cycle, cycle.ends_on, [unit.path], Filters())
    rows = db.session.execute(select(sub).where(sub.c.closed_at.is_(None))).all()
    ids = [row.official_id for row in rows]
    serials = _certificate_serials(ids, cycle)
    courses = mandatory_courses(ids, cycle.id)
    now = clock.now()
    values = [
        {
            "cycle_id": cycle.id,
            "official_id": row.official_id,
            "closure_id": closure.id,
            "unit_id": row.unit_id,
            "employee_code": row.employee_code,
            "full_name": row.full_name,
            "gender": row.gender,
            "unit_code": row.unit_code,
            "unit_name": row.unit_name,
            "position_code": row.position_code,
            "position_name": row.position_name,
            "rank_code": row.rank_code,
            "rank_name": row.rank_name,
            "target_credits": Decimal(row.target),
            "earned_credits": Decimal(row.earned),
            "mandatory_required": int(row.required),
            "mandatory_completed": int(row.completed),
            "status": MET if row.live_status == MET else NOT_MET,
            "certificates": serials.get(row.official_id, []),
            "mandatory": _stored_items(mandatory_items(courses.get(row.official_id, []), as_of)),
            "closed_at": now,
        }
        for row in rows
    ]
    sealed = sealing.seals_written(sealing.STATEMENTS)
    values = [sealing.sign(sealing.STATEMENTS, row, sealed) for row in values]
    for start in range(0, len(values), 2000):
        db.session.execute(insert(Statement), values[start : start + 2000])
    audit.record(
        actor,
        "cycle.close",
        "cycle",
        cycle.year,
        after={"unit": unit.code, "statements": len(values)},
    )
    db.session.flush()
    return len(values)


def reopen_cycle(cycle, unit: OrgUnit, reason: str, actor) -> int:
    """Re-open a cycle closed for the unit: its statements are superseded (kept as history).
    Returns how many. Administrators only (the caller checks); a reason is required.

    Raises RuleViolation without a reason or when the cycle is not closed at this unit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Re-opening a cycle needs a reason."), "reason_required")
    last = db.session.scalar(
        select(CycleClosure)
        .where(CycleClosure.cycle_id == cycle.id, CycleClosure.unit_id == unit.id)
        .order_by(CycleClosure.id.desc())
        .limit(1)
    )
    if last is None or last.action != CLOSE:
        raise RuleViolation(_("This cycle is not closed at this unit."), "not_closed")
    db.session.add(
        CycleClosure(
            cycle_id=cycle.id,
            unit_id=unit.id,
            action=REOPEN,
            reason=reason,
            actor_id=getattr(actor, "id", None),
        )
    )
    closures = select(CycleClosure.id).where(
        and_(CycleClosure.cycle_id == cycle.id, CycleClosure.unit_id == unit.id)
    )
    superseded = list(
        db.session.scalars(
            select(Statement.id).where(
                Statement.closure_id.in_(closures), Statement.superseded_at.is_(None)
            )
        )
    )
    result = db.session.execute(
        update(Statement)
        .where(Statement.closure_id.in_(closures), Statement.superseded_at.is_(None))
        .values(superseded_at=clock.now())
    )
    sealing.resign(sealing.STATEMENTS, superseded)  # the application's own change, signed
    audit.record(
        actor,
        "cycle.reopen",
        "cycle",
        cycle.year,
        after={"unit": unit.code, "reason": reason, "statements": result.rowcount},
    )
    db.session.flush()
    return result.rowcount
