"""Officials import: plan every row against the database in bulk (dry run), then apply the plan
in one transaction. Keyed by employee code; a changed post becomes a dated position change."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from blinker import Namespace
from sqlalchemy import insert, select, text, update

from lms.audit.models import AuditEntry
from lms.auth.scope import Scope
from lms.auth.services import disable_for_officials
from lms.common import clock, sealing, vntext
from lms.common.import_flow import report_lines
from lms.common.tabular import Table, iter_chunks
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import (
    SORT_KEY_LENGTH,
    Official,
    OrgUnit,
    Position,
    PositionAssignment,
    Rank,
)
from lms.organisation.queries import join_current_post
from lms.organisation.rows import ParsedRow, parse_official_rows

PERSONAL = ("full_name", "gender", "category", "date_of_birth", "email", "phone")
CREATE, UPDATE, MOVE, UNCHANGED, ERROR = "create", "update", "move", "unchanged", "error"


class NewPost(NamedTuple):
    """The primary post a row gives its official, starting on `started_on`."""

    unit_id: int
    position_id: int
    rank_id: int | None
    started_on: date


@dataclass
class RowPlan:
    """What importing one row will do: `actions` ⊆ {create, update, move}, or unchanged/error."""

    line: int
    employee_code: str
    actions: set[str] = field(default_factory=set)
    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    official_id: int | None = None
    current_id: int | None = None  # the open primary assignment to close on a move
    post: NewPost | None = None
    changes: dict = field(default_factory=dict)  # personal field → (old, new)

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        return next((a for a in (CREATE, MOVE, UPDATE) if a in self.actions), UNCHANGED)


@dataclass
class ImportPlan:
    """The dry-run result: file-level errors, one RowPlan per data row, absent officials."""

    file_errors: list[str]
    rows: list[RowPlan]
    absent_ids: list[int] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def summary(self) -> dict[str, int]:
        counts = {s: self.count(s) for s in (CREATE, UPDATE, MOVE, UNCHANGED, ERROR)}
        return {**counts, "absent": len(self.absent_ids), "total": len(self.rows)}


def _reference(model) -> dict[str, object]:
    return {row.code: row for row in db.session.execute(select(model)).scalars()}


def _current_posts(codes: list[str]) -> dict[str, tuple]:
    """employee code → (official, open primary assignment or None, its unit path), for the
    codes in the file only (read in chunks, so a 10-row file does not load the registry)."""
    stmt = join_current_post(
        select(Official, PositionAssignment, OrgUnit.path), post=PositionAssignment, unit=OrgUnit
    )
    found = {}
    for chunk in iter_chunks(sorted(set(codes)), 900):
        rows = db.session.execute(stmt.where(Official.employee_code.in_(chunk)))
        found.update(
            {official.employee_code: (official, post, path) for official, post, path in rows}
        )
    return found


def plan_officials(
    table: Table, scope: Scope | list[str] | None, full_roster: bool = False, progress=None
) -> ImportPlan:
    """Validate every row and decide its action without writing anything.

    `scope` limits the units the importer may place officials in (None = everywhere);
    `full_roster` lists active officials in scope who are missing from the file, to mark as left;
    `progress(n)` is called as rows are checked (for a progress bar).
    """
    parsed, file_errors = parse_official_rows(table)
    if file_errors:
        return ImportPlan(file_errors, [])
    scope = Scope.from_paths(scope)
    units, positions, ranks = _reference(OrgUnit), _reference(Position), _reference(Rank)
    existing = _current_posts([row.values["employee_code"] for row in parsed])
    today = clock.today()
    plans = []
    for row in parsed:
        plans.append(_plan_row(row, units, positions, ranks, existing, scope, today))
        if progress is not None:
            progress(1)
    plan = ImportPlan([], plans)
    if full_roster:
        plan.absent_ids = _absent(plans, scope)
    return plan


def _plan_row(row: ParsedRow, units, positions, ranks, existing, scope, today) -> RowPlan:
    values = dict(row.values)
    values["full_name"] = vntext.normalize(values.get("full_name") or "")
    for key in ("email",):
        values[key] = (values.get(key) or "").lower() or None
    plan = RowPlan(row.line, values["employee_code"], errors=list(row.errors), values=values)
    unit = units.get(values.get("unit_code"))
    position = positions.get(values.get("position_code"))
    rank = ranks.get(values.get("rank_code")) if values.get("rank_code") else None
    if values.get("unit_code") and unit is None:
        plan.errors.append(("unit_code", _("Unknown unit %(code)s.", code=values["unit_code"])))
    elif unit is not None and not scope.covers_unit(unit.path):
        plan.errors.append(("unit_code", _("Unit %(code)s is outside your scope.", code=unit.code)))
    if values.get("position_code") and position is None:
        plan.errors.append(
            ("position_code", _("Unknown job position %(code)s.", code=values["position_code"]))
        )
    if values.get("rank_code") and rank is None:
        plan.errors.append(("rank_code", _("Unknown rank %(code)s.", code=values["rank_code"])))
    if plan.errors:
        return plan
    started = values.get("started_on") or today
    found = existing.get(plan.employee_code)
    if found is None:
        plan.actions.add(CREATE)
        plan.post = NewPost(unit.id, position.id, rank.id if rank else None, started)
        return plan
    official, current, path = found
    plan.official_id = official.id
    if path is not None and not scope.covers_unit(path):
        plan.errors.append(
            ("employee_code", _("This official works in a unit outside your scope."))
        )
        return plan
    for key in PERSONAL:
        new, old = values.get(key), getattr(official, key)
        if new not in (None, "") and new != old:
            plan.changes[key] = (old, new)
    if plan.changes:
        plan.actions.add(UPDATE)
    rank_id = rank.id if rank else (current.rank_id if current else None)
    if current is None or (current.unit_id, current.position_id, current.rank_id) != (
        unit.id,
        position.id,
        rank_id,
    ):
        if current is not None and started <= current.started_on:
            plan.errors.append(
                (
                    "started_on",
                    _(
                        "The new position must start after the current one (started %(day)s).",
                        day=current.started_on.strftime("%d/%m/%Y"),
                    ),
                )
            )
            return plan
        plan.actions.add(MOVE)
        plan.current_id = current.id if current else None
        plan.post = NewPost(unit.id, position.id, rank_id, started)
    return plan


def _absent(plans: list[RowPlan], scope: Scope) -> list[int]:
    listed = {plan.employee_code for plan in plans}
    stmt = join_current_post(
        select(Official.id, Official.employee_code, OrgUnit.path),
        post=PositionAssignment,
        unit=OrgUnit,
        outer=False,
    ).where(Official.status == "active")
    return [
        oid
        for oid, code, path in db.session.execute(stmt)
        if code not in listed and scope.covers_unit(path)
    ]


# PostgreSQL plans the next import (and every report) on its table statistics: after a
# large first import they describe empty tables, and a re-import of 30,000 rows took 60 s
# instead of 2 s (bench/run.py) until the next autovacuum. ANALYZE them at once.
ANALYZE_AFTER_ROWS = 1000


def _refresh_statistics() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("ANALYZE officials, position_assignments, org_units, audit_entries")
        )


# Posts written here in bulk pass by the session's change tracking, so a later domain that
# derives from posts (curricula: obligations and targets) is told through this signal, with
# `changes` = {official id: the first day the new post touches}, before the caller commits.
posts_written = Namespace().signal("posts-written")


def apply_plan(plan: ImportPlan, actor, valid_only: bool = False) -> dict[str, int]:
    """Write the plan in bulk (flushes; the caller commits once). Refuses a plan with errors
    unless `valid_only`, in which case rows in error are skipped. Returns the counts written."""
    if plan.file_errors or (plan.has_errors and not valid_only):
        raise ValueError("the plan has errors")
    rows = [row for row in plan.rows if not row.errors]
    actor_id = getattr(actor, "id", None)
    now = clock.now()
    audit: list[dict] = []
    created = [row for row in rows if CREATE in row.actions]
    if created:
        new_ids = (
            db.session.execute(
                insert(Official).returning(Official.id, sort_by_parameter_order=True),
                [_official_values(row, now) for row in created],
            )
            .scalars()
            .all()
        )
        for row, new_id in zip(created, new_ids, strict=True):
            row.official_id = new_id
            audit.append(
                _audit(
                    actor_id,
                    now,
                    "official.imported",
                    row,
                    None,
                    {k: row.values.get(k) for k in PERSONAL},
                )
            )
    updated = [row for row in rows if UPDATE in row.actions]
    if updated:
        db.session.execute(
            update(Official),
            [
                {
                    "id": row.official_id,
                    "updated_at": now,
                    **_derived(row),
                    **{k: new for k, (_old, new) in row.changes.items()},
                }
                for row in updated
            ],
        )
        audit += [
            _audit(
                actor_id,
                now,
                "official.updated",
                row,
                {k: old for k, (old, _new) in row.changes.items()},
                {k: new for k, (_old, new) in row.changes.items()},
            )
            for row in updated
        ]
    moved = [row for row in rows if MOVE in row.actions and row.current_id]
    if moved:
        db.session.execute(
            update(PositionAssignment),
            [
                {"id": row.current_id, "ended_on": row.post.started_on - timedelta(days=1)}
                for row in moved
            ],
        )
        audit += [
            _audit(
                actor_id,
                now,
                "official.position_changed",
                row,
                None,
                {
                    "unit_id": row.post.unit_id,
                    "position_id": row.post.position_id,
                    "started_on": row.post.started_on,
                },
            )
            for row in moved
        ]
    posts = [row for row in rows if row.post is not None]
    if posts:
        db.session.execute(
            insert(PositionAssignment),
            [
                {
                    "official_id": row.official_id,
                    "unit_id": row.post.unit_id,
                    "position_id": row.post.position_id,
                    "rank_id": row.post.rank_id,
                    "started_on": row.post.started_on,
                    "is_primary": True,
                    "created_at": now,
                }
                for row in posts
            ],
        )
    if plan.absent_ids:
        db.session.execute(
            update(Official),
            [{"id": oid, "status": "left", "updated_at": now} for oid in plan.absent_ids],
        )
        audit += [
            {
                "at": now,
                "actor_id": actor_id,
                "action": "official.marked_left",
                "object_type": "official",
                "object_id": str(oid),
                "before": None,
                "after": {"status": "left"},
            }
            for oid in plan.absent_ids
        ]
    disabled = 0
    if plan.absent_ids:  # an official who left can no longer log in
        disabled = disable_for_officials(plan.absent_ids, actor, reason="official_left")
    if audit:
        sealed = sealing.seals_written(sealing.AUDIT)
        audit = [sealing.sign(sealing.AUDIT, {**row, "address": None}, sealed) for row in audit]
        db.session.execute(insert(AuditEntry), audit)
    db.session.flush()
    if posts:
        posts_written.send(None, changes={row.official_id: row.post.started_on for row in posts})
    if len(created) + len(moved) >= ANALYZE_AFTER_ROWS:
        _refresh_statistics()
    return {
        "created": len(created),
        "updated": len(updated),
        "moved": len(moved),
        "left": len(plan.absent_ids),
        "accounts_disabled": disabled,
        "skipped": len(plan.rows) - len(rows),
    }


def _derived(row: RowPlan) -> dict:
    if "full_name" not in row.changes:
        return {}
    name = row.changes["full_name"][1]
    return {
        "search_name": vntext.search_key(name),
        "sort_name": vntext.name_sort_string(name)[:SORT_KEY_LENGTH],
    }


def _official_values(row: RowPlan, now) -> dict:
    values = row.values
    return {
        "employee_code": row.employee_code,
        "full_name": values["full_name"],
        "search_name": vntext.search_key(values["full_name"]),
        "sort_name": vntext.name_sort_string(values["full_name"])[:SORT_KEY_LENGTH],
        "gender": values["gender"],
        "category": values["category"],
        "date_of_birth": values.get("date_of_birth"),
        "email": values.get("email"),
        "phone": values.get("phone") or None,
        "status": "active",
        "created_at": now,
        "updated_at": now,
    }


def _plain(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _audit(actor_id, now, action, row, before, after) -> dict:
    return {
        "at": now,
        "actor_id": actor_id,
        "action": action,
        "object_type": "official",
        "object_id": row.employee_code,
        "before": _plain(before),
        "after": _plain(after),
    }


REPORT_HEADER = ("line", "employee_code", "column", "result")


def report_rows(plan: ImportPlan) -> list[list]:
    """Lines of the per-row report (in the current language): line, code, column, message;
    file-level errors first (line 1 = the header)."""
    from lms.organisation.rows import COLUMN_LABELS

    labels = {
        CREATE: _("new"),
        UPDATE: _("details updated"),
        MOVE: _("position change"),
        UNCHANGED: _("unchanged"),
    }
    return report_lines(
        plan,
        COLUMN_LABELS,
        lambda row: ", ".join(labels[a] for a in sorted(row.actions)) or labels[UNCHANGED],
    )
