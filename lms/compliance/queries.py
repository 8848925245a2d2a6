"""Compliance computed in SQL: one row per official (target, earned, mandatory courses, status)
for a cycle and a day, and the counts of the dashboard grouped by status, unit, position, rank
and gender. Every function sends a fixed number of queries, whatever the number of officials.

The live status (DESIGN.md §3) is the SQL twin of lms.compliance.rules.compliance_status:
met (earned ≥ target and every mandatory course and required programme done) · overdue (an
open obligation or required programme past its due date) · at_risk (one due within the
cycle's at_risk_days, or earned below target × elapsed share − pace_slack) · on_track. A
current frozen statement (cycle closed for the official's unit) wins over the live status.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased

from lms.common import clock
from lms.compliance.models import FINAL, CycleClosure, Statement
from lms.compliance.programme_counts import programme_counts
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations.models import OPEN, WITHDRAWN, Obligation, OfficialTarget
from lms.curricula.rules.dates import cycle_days, elapsed_days
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, Position, PositionAssignment, Rank
from lms.organisation.queries import is_current_post, scope_condition, unit_path_by_code

ZERO = Decimal(0)


@dataclass(frozen=True)
class Filters:
    """What the dashboard and its lists are narrowed to (empty = all)."""

    unit_code: str = ""
    position_code: str = ""
    rank_code: str = ""
    gender: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        def one(name: str) -> str:
            value = args.get(name, "", type=str) or ""
            return value.strip()[:32]

        return cls(*(one(name) for name in ("unit", "position", "rank", "gender", "status")))

    def args(self, cycle) -> dict:
        """The query-string arguments that reproduce these filters for `cycle`."""
        names = ("unit", "position", "rank", "gender", "status")
        values = (self.unit_code, self.position_code, self.rank_code, self.gender, self.status)
        return {"cycle": cycle.year} | {n: v for n, v in zip(names, values, strict=True) if v}


def _placed(scope: list[str] | None, within: str | None):
    """The ids of the officials placed (open primary post) in the scope and under `within`, or
    None for the whole city: the credit and obligation sums are then limited to them, so a
    unit's page reads its own officials' rows, not the city's (measured in bench/run.py)."""
    conditions = [scope_condition(OrgUnit.path, scope)]
    if within is not None:
        conditions.append(OrgUnit.path.startswith(within, autoescape=True))
    conditions = [c for c in conditions if c is not None]
    if not conditions:
        return None
    return (
        select(PositionAssignment.official_id)
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(is_current_post(), *conditions)
    )


def standing_select(
    cycle: Cycle, as_of: date, scope: list[str] | None, within: str | None = None
) -> Select:
    """One row per official holding an open primary assignment in a unit of `scope` (and,
    when given, under the unit path `within`): ids, codes, names, target, earned, required,
    completed, overdue, due_soon, live and final status. The caller adds filters, grouping,
    order and paging."""
    placed = _placed(scope, within)
    earned = select(LedgerEntry.official_id, func.sum(LedgerEntry.credits).label("earned")).where(
        LedgerEntry.cycle_id == cycle.id
    )
    if placed is not None:
        earned = earned.where(LedgerEntry.official_id.in_(placed))
    earned = earned.group_by(LedgerEntry.official_id).subquery()
    soon = as_of + timedelta(days=cycle.at_risk_days)
    counts = _course_counts(cycle, as_of, soon, placed)
    programmes = programme_counts(cycle, as_of, soon, placed)
    target_col = func.coalesce(OfficialTarget.target_credits, ZERO)
    earned_col = func.coalesce(earned.c.earned, ZERO)
    required = func.coalesce(counts.c.required, 0)
    completed = required - func.coalesce(counts.c.open_courses, 0)
    # Programme requirements count as mandatory courses in the status and the overdue and
    # due-soon figures (lms.compliance.programme_counts); the lists show them apart.
    p_required = func.coalesce(programmes.c.p_required, 0)
    p_open = func.coalesce(programmes.c.p_open, 0)
    overdue = func.coalesce(counts.c.overdue, 0) + func.coalesce(programmes.c.p_overdue, 0)
    due_soon = func.coalesce(counts.c.due_soon, 0) + func.coalesce(programmes.c.p_due_soon, 0)
    # Behind the pace, as lms.compliance.rules.compliance_status writes it without a division:
    # (earned + slack) × cycle days < target × elapsed days.
    days = cycle_days(cycle.starts_on, cycle.ends_on)
    gone = elapsed_days(cycle.starts_on, cycle.ends_on, as_of)
    behind = (earned_col + literal(cycle.pace_slack)) * literal(days) < target_col * literal(gone)
    live = case(
        (and_(earned_col >= target_col, completed >= required, p_open == 0), literal("met")),
        (overdue > 0, literal("overdue")),
        (or_(due_soon > 0, behind), literal("at_risk")),
        else_=literal("on_track"),
    )
    status = case((Statement.id.is_not(None), Statement.status), else_=live)
    stmt = (
        select(
            Official.id.label("official_id"),
            Official.employee_code,
            Official.full_name,
            Official.sort_name,
            Official.gender,
            OrgUnit.id.label("unit_id"),
            OrgUnit.code.label("unit_code"),
            OrgUnit.name.label("unit_name"),
            OrgUnit.path.label("unit_path"),
            Position.code.label("position_code"),
            Position.name.label("position_name"),
            Rank.code.label("rank_code"),
            Rank.name.label("rank_name"),
            # A frozen statement's figures win over the live ones (later credits count in
            # no closed statement).
            _frozen(Statement.target_credits, target_col).label("target"),
            _frozen(Statement.earned_credits, earned_col).label("earned"),
            _frozen(Statement.mandatory_required, required).label("required"),
            _frozen(Statement.mandatory_completed, completed).label("completed"),
            overdue.label("overdue"),
            p_required.label("programmes_required"),
            (p_required - p_open).label("programmes_completed"),
            func.coalesce(programmes.c.p_overdue, 0).label("programmes_overdue"),
            func.coalesce(programmes.c.p_due_soon, 0).label("programmes_due_soon"),
            live.label("live_status"),
            status.label("status"),
            Statement.closed_at.label("closed_at"),
        )
        .select_from(Official)
        .join(
            PositionAssignment,
            and_(PositionAssignment.official_id == Official.id, is_current_post()),
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .join(Position, Position.id == PositionAssignment.position_id)
        .outerjoin(Rank, Rank.id == PositionAssignment.rank_id)
        .outerjoin(
            OfficialTarget,
            and_(OfficialTarget.official_id == Official.id, OfficialTarget.cycle_id == cycle.id),
        )
        .outerjoin(earned, earned.c.official_id == Official.id)
        .outerjoin(counts, counts.c.official_id == Official.id)
        .outerjoin(programmes, programmes.c.official_id == Official.id)
        .outerjoin(
            Statement,
            and_(
                Statement.official_id == Official.id,
                Statement.cycle_id == cycle.id,
                Statement.kind == FINAL,  # review snapshots do not close anything
                Statement.superseded_at.is_(None),
            ),
        )
    )
    condition = scope_condition(OrgUnit.path, scope)
    if within is not None:
        stmt = stmt.where(OrgUnit.path.startswith(within, autoescape=True))
    return stmt if condition is None else stmt.where(condition)


def _course_counts(cycle: Cycle, as_of: date, soon: date, placed):
    """Per official: mandatory courses required (any obligation not withdrawn) and courses with
    an open obligation — counted by course, as lms.curricula.obligations.mandatory does (a
    course and its recertification are one course; it is done when nothing of it is open) —
    and open obligations overdue and due soon (only ever compared with 0, so counted by row: two
    DISTINCT aggregates instead of four keep the city's dashboard within ~10 % of counting
    rows, docs/performance.md). An open obligation due after the cycle's last day (it arose
    too late to be met in the cycle) is left out of every figure, as
    lms.curricula.rules.due.counts_in_cycle says."""
    is_open = Obligation.status == OPEN

    def open_where(condition):
        return func.sum(case((and_(is_open, condition), 1), else_=0))

    return (
        select(
            Obligation.official_id,
            func.count(Obligation.course_id.distinct()).label("required"),
            func.count(case((is_open, Obligation.course_id)).distinct()).label("open_courses"),
            open_where(Obligation.due_on < as_of).label("overdue"),
            open_where(Obligation.due_on <= soon).label("due_soon"),
        )
        .where(
            Obligation.cycle_id == cycle.id,
            Obligation.status != WITHDRAWN,
            or_(Obligation.status != OPEN, Obligation.due_on <= cycle.ends_on),
            Obligation.official_id.in_(placed) if placed is not None else true(),
        )
        .group_by(Obligation.official_id)
        .subquery()
    )


def statement_frozen():
    """EXISTS: the obligation's official has a live (not superseded) statement of its cycle,
    which freezes it there: a closed cycle's leftovers are history, not still to do."""
    return (
        select(Statement.id)
        .where(
            Statement.official_id == Obligation.official_id,
            Statement.cycle_id == Obligation.cycle_id,
            Statement.superseded_at.is_(None),
        )
        .exists()
    )


def _frozen(frozen_column, live):
    """The statement's column when the official has a current frozen statement, else live."""
    return case((Statement.id.is_not(None), frozen_column), else_=live)


def filtered(cycle: Cycle, as_of: date, scope: list[str] | None, filters: Filters):
    """The standing rows narrowed by the filters, as a subquery (status filter included)."""
    within = None
    if filters.unit_code:
        within = unit_path_by_code(filters.unit_code) or "\x00"
    stmt = standing_select(cycle, as_of, scope, within)
    if filters.position_code:
        stmt = stmt.where(Position.code == filters.position_code)
    if filters.rank_code:
        stmt = stmt.where(Rank.code == filters.rank_code)
    if filters.gender:
        stmt = stmt.where(Official.gender == filters.gender)
    sub = stmt.subquery("standing")
    if filters.status:
        return select(sub).where(sub.c.status == filters.status).subquery("standing_f")
    return sub


# The groupings of the dashboard, computed together in one statement (group-by columns).
GROUPINGS = {
    (): "status",
    ("unit_id", "unit_path"): "unit",
    ("position_code", "position_name"): "position",
    ("rank_code", "rank_name"): "rank",
    ("gender",): "gender",
}


def _groupings(sub) -> dict[str, list[tuple]]:
    """Every grouping of GROUPINGS of a standing subquery, from one statement that computes
    the officials' standing once (a materialised CTE) and groups it five ways (UNION ALL);
    kept for the app context (the request) and that subquery object, so the dashboard's five
    tables cost one pass over the officials instead of five. A subquery is built per request,
    so a later change is never hidden; code that writes and counts again builds a new one."""
    memo = g.setdefault("_compliance_groupings", {})
    held = memo.get(id(sub))
    if held is None or held[0] is not sub:
        standing = select(sub).cte("standing_all").prefix_with("MATERIALIZED")
        parts = []
        for columns, kind in GROUPINGS.items():
            keys = [standing.c[name] for name in columns]
            shown = [cast(key, String) for key in keys]
            shown += [cast(null(), String)] * (2 - len(shown))
            parts.append(
                select(literal(kind), *shown, standing.c.status, func.count()).group_by(
                    *keys, standing.c.status
                )
            )
        found: dict[str, list[tuple]] = {kind: [] for kind in GROUPINGS.values()}
        for kind, first, second, status, count in db.session.execute(union_all(*parts)):
            found[kind].append((first, second, status, count))
        held = memo[id(sub)] = (sub, found)
    return held[1]


def status_counts(sub, *group_by) -> list:
    """(group values…, status, count) rows of a standing subquery."""
    kind = GROUPINGS.get(tuple(group_by))
    if kind is None or kind == "unit":
        columns = [sub.c[name] for name in group_by]
        stmt = select(*columns, sub.c.status, func.count()).group_by(*columns, sub.c.status)
        return list(db.session.execute(stmt))
    width = len(group_by)
    return [(*row[:width], row[2], row[3]) for row in _groupings(sub)[kind]]


def _holds(kid, unit_id: int, unit_path: str, root_id: int | None) -> bool:
    """Whether the child unit `kid` is the unit or (the root aside) an ancestor of it."""
    return unit_id == kid.id or (kid.id != root_id and unit_path.startswith(kid.path))


def by_child_unit(sub, root: OrgUnit | None) -> list:
    """(child unit id, code, name, sort name, status, count): each official counted under the
    child of `root` whose subtree holds them (root None: the top-level units); officials placed
    in the root itself are counted under the root. Ordered by the child's name."""
    child = aliased(OrgUnit)
    if root is None:
        children = select(child).where(child.parent_id.is_(None))
    else:
        children = select(child).where(or_(child.parent_id == root.id, child.id == root.id))
    columns = (child.id, child.code, child.name, child.sort_name, child.path)
    kids = db.session.execute(children.with_only_columns(*columns)).all()
    root_id = root.id if root else None
    totals: dict[tuple, int] = {}
    for unit_id, unit_path, status, count in _groupings(sub)["unit"]:
        unit_id = int(unit_id)
        kid = next((k for k in kids if _holds(k, unit_id, unit_path, root_id)), None)
        if kid is not None:
            key = (kid.id, kid.code, kid.name, kid.sort_name, status)
            totals[key] = totals.get(key, 0) + count
    ordered = sorted(totals.items(), key=lambda item: (item[0][3], item[0][0]))
    return [(*key, count) for key, count in ordered]


def unit_counts(unit: OrgUnit, cycle: Cycle, as_of: date) -> dict:
    """Counts per status for a unit's subtree, and the same split by gender (two queries)."""
    sub = filtered(cycle, as_of, [unit.path], Filters())
    by_status = {status: count for status, count in status_counts(sub)}
    by_gender: dict[str, dict[str, int]] = {}
    for gender, status, count in status_counts(sub, "gender"):
        by_gender.setdefault(gender, {})[status] = count
    return {"total": sum(by_status.values()), "by_status": by_status, "by_gender": by_gender}


def cycle_by_year(year: int | None) -> Cycle | None:
    """The cycle of `year`, or (None) the latest cycle that has started (next year's, declared
    in advance, is not yet the one shown by default), else the earliest one declared."""
    if year is not None:
        return db.session.scalar(select(Cycle).where(Cycle.year == year))
    started = select(Cycle).where(Cycle.starts_on <= clock.today())
    return db.session.scalar(started.order_by(Cycle.starts_on.desc()).limit(1)) or (
        db.session.scalar(select(Cycle).order_by(Cycle.starts_on).limit(1))
    )


def cycles() -> list[Cycle]:
    return list(db.session.scalars(select(Cycle).order_by(Cycle.year.desc())))


def closure_rows(cycle_ids: list[int], **_extra) -> dict[int, list[tuple[str, tuple, str]]]:
    """Per cycle id: (unit path, order key, action) of every close/reopen row (one query): the
    answer to curricula's `cycle_closures` signal (lms.curricula.obligations.closures)."""
    rows = db.session.execute(
        select(
            CycleClosure.cycle_id,
            OrgUnit.path,
            CycleClosure.created_at,
            CycleClosure.id,
            CycleClosure.action,
        )
        .join(OrgUnit, OrgUnit.id == CycleClosure.unit_id)
        .where(CycleClosure.cycle_id.in_(cycle_ids))
    )
    found: dict[int, list] = defaultdict(list)
    for cycle_id, path, created, rid, action in rows:
        found[cycle_id].append((path, (created, rid), action))
    return found
