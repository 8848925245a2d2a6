"""Programme requirements in the compliance figures, in SQL: per official, the programmes their
posts held on the day require (lms.programmes.requirements), counted as mandatory courses are —
a programme whose chứng chỉ is held that day is a course done; one not held is an open
obligation, due on the expiry of the last chứng chỉ (a renewal) or, for a first certification,
as a mandatory course required the day the requirement arose (`first_due`), and left out when
that due date is after the cycle's last day (lms.curricula.rules.due.counts_in_cycle).

`programme_counts` is the SQL twin of `counts_of` (Python, over requirements_of): one subquery,
whatever the number of officials. The due date is never computed in SQL: each comparison
"due < X" is rewritten against dates computed here (X − due_days, X − notice_days), so the SQL
is the same on SQLite and PostgreSQL.

`open_programmes` lists the open ones of a page of officials (code, title, due date) in one
query for the page, with the same rows and rules (the due date from lms.curricula.rules.due).

Held, in SQL: a chứng chỉ not revoked, completed by the day and not expired that day (the
Python rule looks at the latest one only; they differ only when a later chứng chỉ expires
before an earlier one, which a programme's single validity makes impossible).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select, true

from lms.curricula.cycles.models import Cycle
from lms.curricula.rules.dates import CycleRules
from lms.curricula.rules.due import due_date
from lms.extensions import db
from lms.organisation.models import Position, PositionAssignment, Rank
from lms.programmes.models import Programme, ProgrammeCertificate, ProgrammeRequirement


@dataclass(frozen=True)
class Counts:
    """An official's programme figures: required (counted in the cycle), open, overdue, due
    soon, and the earliest open due date."""

    required: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    earliest_due: date | None = None


def counts_of(requirements, cycle: Cycle, as_of: date) -> Counts:
    """The Python rule, over lms.programmes.requirements.requirements_of(official, as_of)."""
    soon = as_of + timedelta(days=cycle.at_risk_days)
    required, dues = 0, []
    for item in requirements:
        if item.status == "held":
            required += 1
        elif item.due_on is not None and item.due_on <= cycle.ends_on:
            required += 1
            dues.append(item.due_on)
    return Counts(
        required,
        len(dues),
        sum(1 for d in dues if d < as_of),
        sum(1 for d in dues if d <= soon),
        min(dues) if dues else None,
    )


def _first_due_before(started, arose, cycle: Cycle, day: date, strict: bool):
    """SQL: the first-certification due date (lms.curricula.rules.due.due_date of the post's
    start `started` and the requirement's `arose`) is before `day` (strict) or on/before it.

    due = max(d1, arose + notice) with d1 = ends_on when start ≤ starts_on, else
    min(start + due_days, ends_on), start = max(started, arose); so due < X ⇔ d1 < X and
    arose + notice < X, and d1 < X ⇔ ends_on < X or (start > starts_on and start + due_days < X).
    """

    def before(column, limit: date):
        return column < limit if strict else column <= limit

    no_arose = arose.is_(None)
    start_limit = day - timedelta(days=cycle.due_days)
    start_after_cycle_start = or_(
        started > cycle.starts_on, and_(~no_arose, arose > cycle.starts_on)
    )
    start_before = and_(before(started, start_limit), or_(no_arose, before(arose, start_limit)))
    if before(cycle.ends_on, day):  # dates of Python: the cycle's end alone decides
        d1_before = true()
    else:
        d1_before = and_(start_after_cycle_start, start_before)
    notice_before = or_(no_arose, before(arose, day - timedelta(days=cycle.notice_days)))
    return and_(d1_before, notice_before)


def _flag(condition):
    return func.max(case((condition, 1), else_=0))


def _post_held(as_of: date):
    """SQL: the post (a PositionAssignment) is held on `as_of`."""
    return and_(
        PositionAssignment.started_on <= as_of,
        or_(PositionAssignment.ended_on.is_(None), PositionAssignment.ended_on >= as_of),
    )


def _requiring_posts(*columns):
    """SQL: `columns` over each post (PositionAssignment) joined to the programme requirements
    that name its position or its rank."""
    matches = or_(
        and_(ProgrammeRequirement.kind == "position", ProgrammeRequirement.code == Position.code),
        and_(ProgrammeRequirement.kind == "rank", ProgrammeRequirement.code == Rank.code),
    )
    return (
        select(*columns)
        .select_from(PositionAssignment)
        .join(Position, Position.id == PositionAssignment.position_id)
        .outerjoin(Rank, Rank.id == PositionAssignment.rank_id)
        .join(ProgrammeRequirement, matches)
    )


def _certificates(as_of: date, placed):
    """Per (official, programme) with a chứng chỉ not revoked and completed by `as_of`: `held`
    (1 when one is valid that day) and `last_expiry`; `placed` as in programme_counts."""
    valid_now = and_(
        ProgrammeCertificate.revoked_at.is_(None), ProgrammeCertificate.completed_on <= as_of
    )
    return (
        select(
            ProgrammeCertificate.official_id,
            ProgrammeCertificate.programme_id,
            _flag(
                or_(
                    ProgrammeCertificate.expires_on.is_(None),
                    ProgrammeCertificate.expires_on >= as_of,
                )
            ).label("held"),
            func.max(ProgrammeCertificate.expires_on).label("last_expiry"),
        )
        .where(valid_now)
        .where(ProgrammeCertificate.official_id.in_(placed) if placed is not None else true())
        .group_by(ProgrammeCertificate.official_id, ProgrammeCertificate.programme_id)
        .subquery("p_certificates")
    )


def programme_counts(cycle: Cycle, as_of: date, soon: date, placed):
    """Per official: programmes required (p_required), open (p_open), overdue (p_overdue) and
    due soon (p_due_soon), as `counts_of` counts them. `placed`: the officials to count (a
    select of ids) or None for all."""
    started, arose = PositionAssignment.started_on, ProgrammeRequirement.arose_on
    in_cycle = or_(arose.is_(None), arose <= cycle.ends_on - timedelta(days=cycle.notice_days))
    required = (
        _requiring_posts(
            PositionAssignment.official_id.label("official_id"),
            ProgrammeRequirement.programme_id.label("programme_id"),
            _flag(_first_due_before(started, arose, cycle, as_of, True)).label("overdue"),
            _flag(_first_due_before(started, arose, cycle, soon, False)).label("soon"),
            _flag(in_cycle).label("in_cycle"),
        )
        .where(_post_held(as_of))
        .where(PositionAssignment.official_id.in_(placed) if placed is not None else true())
        .group_by(PositionAssignment.official_id, ProgrammeRequirement.programme_id)
        .subquery("p_required")
    )
    certificates = _certificates(as_of, placed)
    held = func.coalesce(certificates.c.held, 0) == 1
    renewing = certificates.c.last_expiry.is_not(None)  # held one, all expired
    counted = case(
        (held, 1),
        (renewing, case((certificates.c.last_expiry <= cycle.ends_on, 1), else_=0)),
        else_=required.c.in_cycle,
    )
    is_open = and_(~held, counted == 1)
    overdue = case((renewing, certificates.c.last_expiry < as_of), else_=required.c.overdue == 1)
    due_soon = case((renewing, certificates.c.last_expiry <= soon), else_=required.c.soon == 1)
    return (
        select(
            required.c.official_id,
            func.sum(counted).label("p_required"),
            func.sum(case((is_open, 1), else_=0)).label("p_open"),
            func.sum(case((and_(is_open, overdue), 1), else_=0)).label("p_overdue"),
            func.sum(case((and_(is_open, due_soon), 1), else_=0)).label("p_due_soon"),
        )
        .select_from(required)
        .outerjoin(
            certificates,
            and_(
                certificates.c.official_id == required.c.official_id,
                certificates.c.programme_id == required.c.programme_id,
            ),
        )
        .group_by(required.c.official_id)
        .subquery("programme_counts")
    )


@dataclass(frozen=True)
class OpenProgramme:
    """A programme an official still owes in the cycle: its code, title and due date (the
    expiry of the last chứng chỉ for a renewal, else the first certification's due date)."""

    code: str
    title: str
    due_on: date


def open_programmes(official_ids: list[int], cycle: Cycle, as_of: date) -> dict[int, list]:
    """The programmes each official still owes on `as_of` (not held), by due date then code:
    one query for the officials given (a page of a list), whatever their number. As an open
    mandatory course, one due after the cycle's last day is listed too, though it does not
    count against the cycle (lms.curricula.rules.due.counts_in_cycle)."""
    if not official_ids:
        return {}
    certificates = _certificates(as_of, official_ids)
    rows = db.session.execute(
        _requiring_posts(
            PositionAssignment.official_id,
            Programme.id,
            Programme.code,
            Programme.title,
            PositionAssignment.started_on,
            ProgrammeRequirement.arose_on,
            certificates.c.last_expiry,
        )
        .join(Programme, Programme.id == ProgrammeRequirement.programme_id)
        .outerjoin(
            certificates,
            and_(
                certificates.c.official_id == PositionAssignment.official_id,
                certificates.c.programme_id == Programme.id,
            ),
        )
        .where(_post_held(as_of), PositionAssignment.official_id.in_(official_ids))
        .where(func.coalesce(certificates.c.held, 0) == 0)
    )
    rules = CycleRules.of(cycle)
    dues: dict[tuple[int, int], OpenProgramme] = {}
    for official_id, programme_id, code, title, started, arose, last_expiry in rows:
        due = last_expiry if last_expiry is not None else due_date(started, rules, arose)
        known = dues.get((official_id, programme_id))
        if known is None or due < known.due_on:  # the earliest of the posts' requirements
            dues[(official_id, programme_id)] = OpenProgramme(code, title, due)
    found: dict[int, list[OpenProgramme]] = {}
    for (official_id, _programme_id), item in dues.items():
        found.setdefault(official_id, []).append(item)
    return {
        official_id: sorted(items, key=lambda item: (item.due_on, item.code))
        for official_id, items in found.items()
    }
