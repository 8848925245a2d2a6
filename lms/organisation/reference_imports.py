"""Import of reference data — units (a dated tree), job positions, ranks — keyed by code.

All rows are checked before anything is written; parents may come later in the same file.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.audit.services import record
from lms.common import vntext
from lms.common.tabular import Table, unescape_cell
from lms.extensions import db
from lms.i18n import _
from lms.organisation import services
from lms.organisation.models import OrgUnit, Position, Rank
from lms.organisation.rows import CellError, map_header, parse_date

COLUMNS = {
    "units": {
        "code": ("Mã đơn vị", "org_code", "unit_code", "code"),
        "name": ("Tên đơn vị", "org_name", "name"),
        "unit_type": ("Loại đơn vị", "org_type", "unit_type"),
        "level": ("Cấp", "level"),
        "parent_code": ("Mã đơn vị cấp trên", "parent_code"),
        "valid_from": ("Ngày thành lập", "valid_from"),
        "valid_to": ("Ngày giải thể", "valid_to"),
        "note": ("Ghi chú", "note"),
    },
    "positions": {
        "code": ("Mã VTVL", "pos_code", "position_code", "code"),
        "name": ("Tên vị trí việc làm", "pos_name", "name"),
        "job_group": ("Nhóm", "group_decree62", "job_group", "group"),
    },
    "ranks": {
        "code": ("Mã ngạch", "rank_code", "code"),
        "name": ("Tên ngạch", "rank_name", "name"),
        "salary_group": ("Loại", "salary_group"),
    },
}
REQUIRED = {
    "units": ("code", "name", "unit_type"),
    "positions": ("code", "name"),
    "ranks": ("code", "name"),
}
# The audit action of a changed row, written out so tests/unit/test_audit_actions.py finds it.
UPDATED = {"units": "unit.updated", "positions": "position.updated", "ranks": "rank.updated"}


@dataclass
class ReferenceResult:
    """Counts and errors ((line, message) pairs) of a reference import."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _rows(kind: str, table: Table, result: ReferenceResult) -> list[tuple[int, dict]]:
    index, missing = map_header(table.header, COLUMNS[kind])
    absent = [k for k in REQUIRED[kind] if k in missing]
    if absent:
        result.errors.append(
            (
                1,
                _(
                    "Missing columns: %(names)s.",
                    names=", ".join(COLUMNS[kind][k][0] for k in absent),
                ),
            )
        )
        return []
    rows, seen = [], {}
    for line, cells in table.rows:
        values = {
            k: unescape_cell(cells[i].strip()) if i < len(cells) else "" for k, i in index.items()
        }
        for key in REQUIRED[kind]:
            if not values.get(key):
                result.errors.append(
                    (line, _("%(column)s is required.", column=COLUMNS[kind][key][0]))
                )
        for key in ("valid_from", "valid_to"):
            try:
                values[key] = parse_date(values.get(key, "")) if key in values else None
            except CellError as error:
                result.errors.append((line, str(error)))
        code = values.get("code", "")
        if code in seen:
            result.errors.append(
                (
                    line,
                    _(
                        "Code %(code)s already appears on line %(line)d.",
                        code=code,
                        line=seen[code],
                    ),
                )
            )
        seen.setdefault(code, line)
        rows.append((line, values))
    return rows


def _unit_order(rows, result) -> list[tuple[int, dict]]:
    """Parents before children; unknown parents and cycles are errors."""
    in_file = {values["code"]: (line, values) for line, values in rows}
    known = set(db.session.scalars(select(OrgUnit.code)))
    ordered, placed = [], set()

    def place(code: str, trail: tuple) -> None:
        if code in placed or code not in in_file:
            return
        line, values = in_file[code]
        parent = values.get("parent_code") or None
        if parent in trail:
            result.errors.append((line, _("Unit %(code)s is its own ancestor.", code=code)))
            return
        if parent and parent not in in_file and parent not in known:
            result.errors.append((line, _("Unknown parent unit %(code)s.", code=parent)))
            return
        if parent:
            place(parent, (*trail, code))
        placed.add(code)
        ordered.append((line, values))

    for code in in_file:
        place(code, (code,))
    return ordered


def import_reference(kind: str, table: Table, actor) -> ReferenceResult:
    """Check every row, then create or update by code (flushes; the caller commits or rolls
    back). Nothing is written when any row has an error."""
    result = ReferenceResult()
    rows = _rows(kind, table, result)
    if kind == "units" and not result.errors:
        rows = _unit_order(rows, result)
    if result.errors:
        return result
    model = {"units": OrgUnit, "positions": Position, "ranks": Rank}[kind]
    existing = {row.code: row for row in db.session.scalars(select(model))}
    for _line, values in rows:
        current = existing.get(values["code"])
        before = _snapshot(kind, current)
        after = _write(kind, values)
        if current is None:
            result.created += 1
        elif before != _snapshot(kind, after):
            result.updated += 1
            record(
                actor,
                UPDATED[kind],
                kind[:-1],
                values["code"],
                before=before,
                after=_snapshot(kind, after),
            )
        else:
            result.unchanged += 1
    db.session.flush()
    return result


def _snapshot(kind: str, row) -> dict | None:
    if row is None:
        return None
    keys = [k for k in COLUMNS[kind] if k != "parent_code"]
    snap = {k: getattr(row, k) for k in keys}
    if kind == "units":
        snap["parent_id"] = row.parent_id
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in snap.items()}


def _write(kind: str, values: dict):
    if kind == "positions":
        return services.upsert_position(values["code"], values["name"], values.get("job_group"))
    if kind == "ranks":
        return services.upsert_rank(values["code"], values["name"], values.get("salary_group"))
    unit = services.upsert_unit(
        values["code"],
        values["name"],
        values["unit_type"],
        values.get("level") or None,
        values.get("parent_code") or None,
        values.get("note") or None,
    )
    unit.valid_from = values.get("valid_from") or unit.valid_from
    unit.valid_to = values.get("valid_to")
    unit.name = vntext.normalize(unit.name)
    return unit
