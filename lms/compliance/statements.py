"""Training statements: one official's statement for a cycle (frozen when the cycle is closed
for their unit, live otherwise), closing a cycle for a unit subtree, and re-opening it."""

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, insert, select, update

from lms.audit import services as audit
from lms.common import clock, sealing
from lms.compliance.models import FINAL, LIVE, REVIEW, CycleClosure, Statement
from lms.compliance.months import from_statement, months_for
from lms.compliance.queries import Filters, filtered, standing_select
from lms.compliance.rules import MET, NOT_MET
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations.mandatory import DONE, MandatoryCourse
from lms.curricula.obligations.queries import mandatory_courses
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit
from lms.programmes.requirements import requirements_of

CLOSE, REOPEN = "close", "reopen"


def write_sealed(values: list[dict]) -> None:
    """Insert statement rows, each sealed (lms.common.sealing), 2,000 to a statement."""
    sealed = sealing.seals_written(sealing.STATEMENTS)
    values = [sealing.sign(sealing.STATEMENTS, row, sealed) for row in values]
    for start in range(0, len(values), 2000):
        db.session.execute(insert(Statement), values[start : start + 2000])


def certificate_serials(official_ids: list[int], cycle) -> dict[int, list[str]]:
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


def stored_items(items: list[dict]) -> list[dict]:
    """`mandatory_items` as JSON for the statements table (ISO dates)."""
    return [
        {
            **item,
            "due_on": item["due_on"].isoformat(),
            "done_on": item["done_on"].isoformat() if item["done_on"] else None,
        }
        for item in items
    ]


def _as_dict(row, cycle, certificates: list[str], as_of: date, mandatory: list[dict]) -> dict:
    """A live statement (computed on `as_of`)."""
    months = months_for([row.official_id], cycle)[row.official_id]
    return {
        "kind": LIVE,
        "number": None,
        "employee_code": row.employee_code,
        "full_name": row.full_name,
        "unit": {"code": row.unit_code, "name": row.unit_name},
        "position": {"code": row.position_code, "name": row.position_name},
        "rank": {"code": row.rank_code, "name": row.rank_name} if row.rank_code else None,
        "cycle": cycle.year,
        "as_of": as_of,
        **months.as_columns(),
        "target_credits": Decimal(row.target).quantize(Decimal("0.01")),
        "earned_credits": Decimal(row.earned).quantize(Decimal("0.01")),
        "mandatory_required": int(row.required),
        "mandatory_completed": int(row.completed),
        "status": row.status,
        "certificates": certificates,
        "mandatory": mandatory,
        "closed_at": None,
        "since_review": None,
    }


def _frozen_dict(frozen: Statement, cycle) -> dict:
    """A frozen statement (final or review) as statement_for gives it."""
    months = from_statement(frozen)
    if months is None:  # frozen before the months were kept: the engine's count
        months = months_for([frozen.official_id], cycle)[frozen.official_id].as_columns()
    return {
        "kind": frozen.kind,
        "number": frozen.id,
        "employee_code": frozen.employee_code,
        "full_name": frozen.full_name,
        "unit": {"code": frozen.unit_code, "name": frozen.unit_name},
        "position": {"code": frozen.position_code, "name": frozen.position_name},
        "rank": {"code": frozen.rank_code, "name": frozen.rank_name} if frozen.rank_code else None,
        "cycle": cycle.year,
        "as_of": frozen.as_of or cycle.ends_on,
        **months,
        "target_credits": frozen.target_credits,
        "earned_credits": frozen.earned_credits,
        "mandatory_required": frozen.mandatory_required,
        "mandatory_completed": frozen.mandatory_completed,
        "status": frozen.status,
        "certificates": list(frozen.certificates or []),
        "mandatory": _frozen_items(frozen.mandatory),
        "closed_at": frozen.closed_at,
        "since_review": _since_review(frozen.since_review),
    }


def _since_review(stored: dict | None) -> dict | None:
    """A final statement's changes since the review, with dates and credits back as such."""
    if not stored:
        return None
    return {
        "review_as_of": date.fromisoformat(stored["review_as_of"]),
        "credits": Decimal(stored["credits"]),
        "entries": [
            {**e, "earned_on": date.fromisoformat(e["earned_on"]), "credits": Decimal(e["credits"])}
            for e in stored["entries"]
        ],
        "courses": [
            {**c, "done_on": date.fromisoformat(c["done_on"]) if c.get("done_on") else None}
            for c in stored["courses"]
        ],
    }


def frozen_statement(official_id: int, cycle, kind: str) -> Statement | None:
    """The official's current final statement of the cycle, or their latest review one."""
    stmt = select(Statement).where(
        Statement.official_id == official_id,
        Statement.cycle_id == cycle.id,
        Statement.kind == kind,
    )
    if kind == FINAL:
        stmt = stmt.where(Statement.superseded_at.is_(None))
    return db.session.scalar(stmt.order_by(Statement.as_of.desc(), Statement.id.desc()).limit(1))


def review_dates(official_id: int, cycle) -> list[date]:
    """The review dates the official has a review statement of in the cycle, latest first."""
    return list(
        db.session.scalars(
            select(Statement.as_of)
            .where(
                Statement.official_id == official_id,
                Statement.cycle_id == cycle.id,
                Statement.kind == REVIEW,
            )
            .order_by(Statement.as_of.desc())
        )
    )


def statement_for(official_id: int, cycle, as_of: date, kind: str | None = None) -> dict | None:
    """The statement of DESIGN.md §3 for one official, of a kind: `final` (frozen by the close),
    `review` (the latest review snapshot), `live` (computed on `as_of`), or None: the final one
    if any, else the latest review one, else live. Each carries its kind, the day it is for
    (`as_of`), the months (in post, on leave, counted, not rated) and its list of mandatory
    courses (`mandatory`, one per course; None on a statement frozen before the list was kept);
    a final one what came after the review (`since_review`). None when there is no such
    statement (live: the official holds no open post)."""
    if kind != LIVE:
        for wanted in (FINAL, REVIEW) if kind is None else (kind,):
            frozen = frozen_statement(official_id, cycle, wanted)
            if frozen is not None:
                return with_programmes(_frozen_dict(frozen, cycle), official_id, cycle)
        if kind is not None:
            return None
    row = db.session.execute(
        standing_select(cycle, as_of, None).where(Official.id == official_id)
    ).first()
    if row is None:
        return None
    courses = mandatory_courses([official_id], cycle.id).get(official_id, [])
    serials = certificate_serials([official_id], cycle).get(official_id, [])
    statement = _as_dict(row, cycle, serials, as_of, mandatory_items(courses, as_of))
    return with_programmes(statement, official_id, cycle)


def with_programmes(statement: dict, official_id: int, cycle) -> dict:
    """The statement with its programme requirements (lms.programmes) under `programmes`: each
    programme the official's posts require, with its status (held, renew, missing) on the
    statement's day (never after the cycle's last day)."""
    day = min(statement["as_of"], cycle.ends_on)
    statement["programmes"] = [item.as_dict() for item in requirements_of(official_id, day)]
    return statement


def since_reviews(
    cycle, ids: list[int], courses: dict[int, list[MandatoryCourse]]
) -> dict[int, dict]:
    """For each official with a review statement in the cycle, what came after the latest
    review date (as stored on the final statement): the credits earned after it (the ledger's
    entries of the cycle dated later) and the mandatory courses completed after it."""
    latest = dict(
        db.session.execute(
            select(Statement.official_id, func.max(Statement.as_of))
            .where(Statement.cycle_id == cycle.id, Statement.kind == REVIEW)
            .group_by(Statement.official_id)
        ).all()
    )
    wanted = set(ids)
    latest = {official_id: day for official_id, day in latest.items() if official_id in wanted}
    if not latest:
        return {}
    entries: dict[int, list] = {}
    first = min(latest.values())
    for official_id, earned_on, title, credits in db.session.execute(
        select(
            LedgerEntry.official_id, LedgerEntry.earned_on, LedgerEntry.title, LedgerEntry.credits
        )
        .where(LedgerEntry.cycle_id == cycle.id, LedgerEntry.earned_on > first)
        .order_by(LedgerEntry.earned_on, LedgerEntry.id)
    ):
        if official_id in latest and earned_on > latest[official_id]:
            entries.setdefault(official_id, []).append((earned_on, title, Decimal(credits)))
    found = {}
    for official_id, day in latest.items():
        mine = entries.get(official_id, [])
        found[official_id] = {
            "review_as_of": day.isoformat(),
            "credits": str(sum((c for _d, _t, c in mine), Decimal(0)).quantize(Decimal("0.01"))),
            "entries": [
                {
                    "earned_on": d.isoformat(),
                    "title": t,
                    "credits": str(c.quantize(Decimal("0.01"))),
                }
                for d, t, c in mine
            ],
            "courses": [
                {"course_code": c.code, "title": c.title, "done_on": c.done_on.isoformat()}
                for c in courses.get(official_id, [])
                if c.status == DONE and c.done_on is not None and c.done_on > day
            ],
        }
    return found


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


def who_columns(row) -> dict:
    """The frozen statement's columns that name the official and their post on the day it is
    frozen (a close or a review snapshot), from a row of the statement query."""
    return {
        "official_id": row.official_id,
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
    }


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
    serials = certificate_serials(ids, cycle)
    courses = mandatory_courses(ids, cycle.id)
    months = months_for(ids, cycle)
    changes = since_reviews(cycle, ids, courses)
    now = clock.now()
    values = [
        {
            "kind": FINAL,
            "as_of": cycle.ends_on,
            **months[row.official_id].as_columns(),
            "since_review": changes.get(row.official_id),
            "cycle_id": cycle.id,
            "closure_id": closure.id,
            **who_columns(row),
            "target_credits": Decimal(row.target),
            "earned_credits": Decimal(row.earned),
            "mandatory_required": int(row.required),
            "mandatory_completed": int(row.completed),
            "status": MET if row.live_status == MET else NOT_MET,
            "certificates": serials.get(row.official_id, []),
            "mandatory": stored_items(mandatory_items(courses.get(row.official_id, []), as_of)),
            "closed_at": now,
        }
        for row in rows
    ]
    write_sealed(values)
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
