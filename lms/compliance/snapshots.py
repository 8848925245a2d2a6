"""Review snapshots (DESIGN.md §3 "Review snapshot and cycle close"): the annual rating happens
in December, before the cycle ends, so HR freezes a *review* statement of every official of a
unit subtree as of a review date inside the cycle (from LMS_REVIEW_FROM, default 01/12, to the
cycle's last day). It is frozen and signed like a final statement: credits recorded later never
change it; the close after the cycle end still freezes the final statement, which then shows
what came after the review date."""

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from lms.audit import services as audit
from lms.common import clock
from lms.compliance.models import REVIEW, ReviewSnapshot, Statement
from lms.compliance.months import months_for
from lms.compliance.queries import Filters, filtered
from lms.compliance.rules import compliance_status
from lms.compliance.statements import (
    CLOSE,
    certificate_serials,
    closure_state,
    stored_items,
    who_columns,
    write_sealed,
)
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations.mandatory import (
    DONE,
    STATE_DONE,
    STATE_NOT_YET_DUE,
    STATE_OWED,
    MandatoryCourse,
)
from lms.curricula.obligations.queries import mandatory_courses
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, format_day
from lms.organisation.models import Official, OrgUnit


def review_from(cycle) -> date:
    """The first day a review snapshot of `cycle` may be taken as of: LMS_REVIEW_FROM (dd/mm)
    in the cycle's last year, never before the cycle starts."""
    text = str(current_app.config.get("LMS_REVIEW_FROM") or "01/12")
    try:
        day, month = (int(part) for part in text.split("/")[:2])
        first = date(cycle.ends_on.year, month, day)
    except ValueError:
        first = date(cycle.ends_on.year, 12, 1)
    return max(first, cycle.starts_on)


def check_review_date(cycle, as_of: date) -> None:
    """Raise RuleViolation unless `as_of` may be a review date of `cycle` today."""
    first = review_from(cycle)
    if as_of < first:
        raise RuleViolation(
            _(
                "A review snapshot can be taken as of %(day)s at the earliest.",
                day=format_day(first),
            ),
            "too_early",
        )
    if as_of > cycle.ends_on:
        raise RuleViolation(
            _(
                "A review date must fall inside the cycle, which ends on %(day)s; close the "
                "cycle instead.",
                day=format_day(cycle.ends_on),
            ),
            "after_end",
        )
    if as_of > clock.today():
        raise RuleViolation(_("A review snapshot cannot be taken as of a future day."), "future")


def _state_on(course: MandatoryCourse, day: date) -> tuple[str, date | None]:
    """A course's state on the review date and the day it was done: a course completed after
    that day reads as it did then (owed or not yet due)."""
    if course.status == DONE and (course.done_on is None or course.done_on <= day):
        return STATE_DONE, course.done_on
    return (STATE_OWED if course.due_on < day else STATE_NOT_YET_DUE), None


def _items(courses: list[MandatoryCourse], day: date) -> list[dict]:
    items = []
    for course in courses:
        state, done_on = _state_on(course, day)
        items.append(
            {
                "course_code": course.code,
                "title": course.title,
                "kind": course.kind,
                "due_on": course.due_on,
                "state": state,
                "done_on": done_on,
            }
        )
    return items


def _earned_by(ids: list[int], cycle, day: date) -> dict[int, Decimal]:
    """Credits of the cycle's ledger entries dated on or before `day`, by official."""
    earned: dict[int, Decimal] = {}
    for start in range(0, len(ids), 1000):
        rows = db.session.execute(
            select(LedgerEntry.official_id, func.sum(LedgerEntry.credits))
            .where(
                LedgerEntry.cycle_id == cycle.id,
                LedgerEntry.earned_on <= day,
                LedgerEntry.official_id.in_(ids[start : start + 1000]),
            )
            .group_by(LedgerEntry.official_id)
        )
        earned.update({official_id: Decimal(total or 0) for official_id, total in rows})
    return earned


def programme_dues(row, cycle, day: date) -> list[date]:
    """The open programme requirements of a row of lms.compliance.queries.filtered on `day`, as
    the due dates compliance_status reads. The SQL gives their count and how many are overdue
    or due soon, not their dates (lms.compliance.programme_counts); each stands in by a day of
    its band: overdue the day before `day`, due soon `day` itself, the others the day after
    the at-risk window — all the rule reads of a due date."""
    open_ = int(row.programmes_required) - int(row.programmes_completed)
    overdue, soon = int(row.programmes_overdue), int(row.programmes_due_soon)
    later = day + timedelta(days=cycle.at_risk_days + 1)
    return (
        [day - timedelta(days=1)] * overdue
        + [day] * max(soon - overdue, 0)
        + [later] * max(open_ - max(soon, overdue), 0)
    )


def _status(
    cycle, day: date, target: Decimal, earned: Decimal, items: list[dict], programmes=()
) -> str:
    """The live status on the review date (lms.compliance.rules), from the frozen figures:
    the mandatory courses' states on that day and the open programme requirements
    (`programmes`, their due dates)."""
    open_dues = [
        item["due_on"]
        for item in items
        if item["state"] != STATE_DONE and item["due_on"] <= cycle.ends_on
    ] + list(programmes)
    return compliance_status(
        as_of=day,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        closed=False,
        target=target,
        earned=earned,
        open_obligations=len(open_dues),
        earliest_open_due=min(open_dues) if open_dues else None,
        at_risk_days=cycle.at_risk_days,
        pace_slack=cycle.pace_slack,
    )


def review_cycle(cycle, unit: OrgUnit, actor, as_of: date) -> int:
    """Freeze the review statement, as of `as_of`, of every official placed in the unit's
    subtree who has none for that date yet; returns how many were frozen (0 the second time:
    re-freezing the same scope and date changes nothing). Earlier review dates are kept; the
    latest is the one shown.

    Figures as of the review date: credits of entries dated up to it, each mandatory course's
    state on it, the months and the not-rated flag. Raises RuleViolation for a date outside
    [LMS_REVIEW_FROM, cycle end], a future date, or a cycle already closed for the unit.
    """
    check_review_date(cycle, as_of)
    if closure_state(cycle, unit) == CLOSE:
        raise RuleViolation(_("This cycle is already closed for this unit."), "already_closed")
    snapshot = db.session.scalar(
        select(ReviewSnapshot).where(
            ReviewSnapshot.cycle_id == cycle.id,
            ReviewSnapshot.unit_id == unit.id,
            ReviewSnapshot.as_of == as_of,
        )
    )
    sub = filtered(cycle, as_of, [unit.path], Filters())
    rows = db.session.execute(select(sub).where(sub.c.closed_at.is_(None))).all()
    done = set(
        db.session.scalars(
            select(Statement.official_id).where(
                Statement.cycle_id == cycle.id,
                Statement.kind == REVIEW,
                Statement.as_of == as_of,
            )
        )
    )
    rows = [row for row in rows if row.official_id not in done]
    if not rows:  # everyone already has a review statement of this date: nothing changes
        return 0
    if snapshot is None:
        snapshot = ReviewSnapshot(
            cycle_id=cycle.id, unit_id=unit.id, as_of=as_of, actor_id=getattr(actor, "id", None)
        )
        db.session.add(snapshot)
        db.session.flush()
    ids = [row.official_id for row in rows]
    serials = certificate_serials(ids, cycle)
    courses = mandatory_courses(ids, cycle.id)
    months = months_for(ids, cycle)
    earned = _earned_by(ids, cycle, as_of)
    now = clock.now()
    values = []
    for row in rows:
        items = _items(courses.get(row.official_id, []), as_of)
        target = Decimal(row.target)
        got = earned.get(row.official_id, Decimal(0))
        values.append(
            {
                "kind": REVIEW,
                "review_id": snapshot.id,
                "as_of": as_of,
                **months[row.official_id].as_columns(),
                "cycle_id": cycle.id,
                "closure_id": None,
                **who_columns(row),
                "target_credits": target,
                "earned_credits": got,
                "mandatory_required": len(items),
                "mandatory_completed": sum(1 for i in items if i["state"] == STATE_DONE),
                "status": _status(
                    cycle, as_of, target, got, items, programme_dues(row, cycle, as_of)
                ),
                "certificates": serials.get(row.official_id, []),
                "mandatory": stored_items(items),
                "closed_at": now,
            }
        )
    write_sealed(values)
    audit.record(
        actor,
        "cycle.review",
        "cycle",
        cycle.year,
        after={"unit": unit.code, "as_of": as_of.isoformat(), "statements": len(values)},
    )
    db.session.flush()
    return len(values)


def latest_review_date(cycle, unit: OrgUnit) -> date | None:
    """The latest review date snapshotted for the unit or one of its ancestors."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return db.session.scalar(
        select(func.max(ReviewSnapshot.as_of)).where(
            ReviewSnapshot.cycle_id == cycle.id, ReviewSnapshot.unit_id.in_(ids)
        )
    )


def review_rows(cycle, unit: OrgUnit, limit: int) -> tuple[date | None, list]:
    """The latest review date of the officials under the unit, and their review statements of
    that date (at most `limit` + 1 rows, in name order), shaped like the standing rows."""
    under = OrgUnit.path.startswith(unit.path, autoescape=True)
    day = db.session.scalar(
        select(func.max(Statement.as_of))
        .join(OrgUnit, OrgUnit.id == Statement.unit_id)
        .where(Statement.cycle_id == cycle.id, Statement.kind == REVIEW, under)
    )
    if day is None:
        return None, []
    rows = db.session.execute(
        select(
            Statement.id.label("statement_id"),
            Statement.official_id,
            Statement.employee_code,
            Statement.full_name,
            Statement.unit_name,
            Statement.position_name,
            Statement.target_credits.label("target"),
            Statement.earned_credits.label("earned"),
            Statement.mandatory_required.label("required"),
            Statement.mandatory_completed.label("completed"),
            Statement.status,
            Statement.months_in_post,
            Statement.months_on_leave,
            Statement.months_counted,
            Statement.not_rated,
        )
        .join(OrgUnit, OrgUnit.id == Statement.unit_id)
        .join(Official, Official.id == Statement.official_id)
        .where(
            Statement.cycle_id == cycle.id,
            Statement.kind == REVIEW,
            Statement.as_of == day,
            under,
        )
        .order_by(Official.sort_name, Official.id)
        .limit(limit + 1)
    ).all()
    return day, [row._asdict() for row in rows]
