"""The ratings import (CSV/XLSX: employee_code, level, weak_areas, weak_courses) for one cycle:
parse, plan every row against the registry and the stored ratings in bulk (the dry run, a per-row
report), then write the new and changed ratings in one transaction
(lms.common.import_flow.ImportFlow, as the leave import). Levels by code or Vietnamese name; weak
areas ND1–ND5 and weak courses (catalog codes) separated by commas, semicolons or spaces.
Unknown codes, officials outside the scope, unknown levels, areas or courses and an official
twice in the file are reported per row, and then nothing is written; the same file twice
changes nothing."""

import re
from dataclasses import dataclass

from sqlalchemy import select

from lms.auth.services import official_id_of_user
from lms.catalog.models import Course
from lms.common import import_flow, uploads
from lms.common.tabular import Table
from lms.compliance import ratings, rules
from lms.compliance.models import RatingLevel
from lms.compliance.queries import cycle_by_year
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import enqueue
from lms.organisation.models import Official
from lms.organisation.queries import officials_by_code
from lms.organisation.rows import CellError, ParsedRow, missing_columns, parse_table, template

COLUMNS = {
    "employee_code": ("Mã cán bộ", "employee_code", "Mã CBCCVC"),
    "level": ("Xếp loại", "level", "Mức xếp loại"),
    "weak_areas": ("Nội dung còn yếu", "weak_areas"),
    "weak_courses": ("Khóa học còn yếu", "weak_courses"),
}
REQUIRED = ("employee_code", "level")
COLUMN_LABELS = {
    "employee_code": _l("Employee code"),
    "level": _l("Rating"),
    "weak_areas": _l("Content areas found weak"),
    "weak_courses": _l("Courses found weak"),
}
NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"
KIND = "ratings"
JOB = "compliance.ratings_import"


def header_problem(header: list[str]) -> str | None:
    """Why a ratings file's header cannot be imported (the required columns it lacks), or None."""
    return missing_columns(header, COLUMNS, REQUIRED)


def _cell(key: str, raw: str):
    if key == "employee_code":
        return raw.upper()
    if key == "level":
        level = ratings.parse_level(raw)
        if level is None:
            names = ", ".join(rules.RATING_LEVELS)
            raise CellError(_("Unknown rating %(level)s (use %(names)s).", level=raw, names=names))
        return level
    codes = sorted({a.upper() for a in re.split(r"[,;\s]+", raw) if a})
    if key == "weak_courses":
        return codes
    areas = codes
    unknown = [a for a in areas if a not in rules.WEAK_AREAS]
    if unknown:
        raise CellError(_("Unknown content area: %(areas)s.", areas=", ".join(unknown)))
    return areas


def parse_rows(table: Table) -> tuple[list[ParsedRow], list[str]]:
    """Parse every row (file-level errors — missing columns — come back alone)."""
    rows, problems = parse_table(table, COLUMNS, REQUIRED, _cell)
    for row in rows:
        row.values.setdefault("weak_areas", [])
        row.values.setdefault("weak_courses", [])
    return rows, problems


@dataclass
class RowPlan(import_flow.RowPlan):
    """What importing one row does: store a rating (new), change the stored one (updated),
    nothing (unchanged), or nothing because of its errors."""

    stored: bool = False
    changed: bool = True

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        if not self.stored:
            return NEW
        return UPDATED if self.changed else UNCHANGED


class RatingsPlan(import_flow.TablePlan):
    """The dry run: file-level errors and one RowPlan per data row (new, updated, unchanged,
    error)."""


def plan(
    table: Table, scope, year: int, progress=None, own_official_id: int | None = None
) -> RatingsPlan:
    """Check every row against the database without writing anything; `own_official_id`, the
    importer's own record, is refused on every row (another officer records one's rating)."""
    from lms.auth.scope import Scope

    cycle = cycle_by_year(year)
    if cycle is None:
        return RatingsPlan([_("No cycle of that year.")], [])
    parsed, file_errors = parse_rows(table)
    if file_errors:
        return RatingsPlan(file_errors, [])
    officials = officials_by_code([str(r.values["employee_code"]) for r in parsed])
    stored = ratings.ratings_of(cycle, [oid for oid, _path in officials.values()])
    named = {c for row in parsed for c in row.values.get("weak_courses", [])}
    known = set(db.session.scalars(select(Course.code).where(Course.code.in_(named))))
    seen: dict[str, int] = {}
    rows = []
    for row in parsed:
        values = row.values
        code = values["employee_code"]
        result = RowPlan(row.line, code, values, list(row.errors))
        found = officials.get(code)
        if code and found is None:
            result.errors.append(("employee_code", _("Unknown employee code %(code)s.", code=code)))
        elif found is not None and not Scope.from_paths(scope).covers_unit(found[1]):
            result.errors.append(("employee_code", _("This official is outside your scope.")))
        elif found is not None and found[0] == own_official_id:
            message = _("This is your own record: another officer records your rating.")
            result.errors.append(("employee_code", message))
        elif code in seen:
            message = _("This official is already on line %(line)d.", line=seen[code])
            result.errors.append(("employee_code", message))
        if code and code not in seen:
            seen[code] = row.line
        missing = [c for c in values.get("weak_courses", []) if c not in known]
        if missing:
            message = _("Unknown course code: %(codes)s.", codes=", ".join(missing[:10]))
            result.errors.append(("weak_courses", message))
        elif len(",".join(values.get("weak_courses", []))) > ratings.WEAK_COURSES_LENGTH:
            result.errors.append(("weak_courses", _("Too many courses: name at most ten.")))
        if not result.errors:
            result.official_id = found[0]
            old = stored.get(found[0])
            result.stored = old is not None
            if old is not None:
                new = (
                    values["level"],
                    ",".join(values["weak_areas"]),
                    ",".join(values["weak_courses"]),
                )
                result.changed = (old.level, old.weak_areas, old.weak_courses) != new
        rows.append(result)
        if progress is not None:
            progress(1)
    return RatingsPlan([], rows)


def apply(result: RatingsPlan, year: int, actor) -> dict[str, int]:
    """Write the new and changed ratings (each audited by ratings.record_rating); flushes.
    Refuses a plan with errors (nothing half-written)."""
    if result.has_errors:
        raise ValueError("the plan has errors")
    cycle = cycle_by_year(year)
    counts = {"created": 0, "updated": 0}
    for row in result.rows:
        if row.status not in (NEW, UPDATED):
            continue
        official = db.session.get(Official, row.official_id)
        values = row.values
        ratings.record_rating(
            official, cycle, values["level"], values["weak_areas"], actor, values["weak_courses"]
        )
        counts["created" if row.status == NEW else "updated"] += 1
    return counts


def report_rows(result: RatingsPlan) -> list[list]:
    """The per-row report: line, employee code, column, message (file-level errors first)."""
    words = {
        NEW: _("new: %(level)s"),
        UPDATED: _("changed: %(level)s"),
        UNCHANGED: _("already recorded: no change"),
    }

    def describe(row: RowPlan) -> str:
        level = RatingLevel.text_of(row.values["level"])
        areas = ", ".join(row.values["weak_areas"] + row.values["weak_courses"])
        return str(words[row.status]) % {"level": level + (f" ({areas})" if areas else "")}

    return import_flow.report_lines(result, COLUMN_LABELS, describe)


def template_rows() -> tuple[list[str], list[list]]:
    """The import template: Vietnamese headers and one example row."""
    example = {
        "employee_code": "DN000001",
        "level": "Hoàn thành tốt nhiệm vụ",
        "weak_areas": "ND5",
        "weak_courses": "BB03",
    }
    return template(COLUMNS, example)


def _plan_upload(table: Table, step: uploads.Step) -> RatingsPlan:
    own = official_id_of_user(step.meta.get("user_id"))
    scope, year = step.params.get("scope"), step.meta["year"]
    return plan(table, scope, year, progress=step.count_row, own_official_id=own)


def _apply_upload(result: RatingsPlan, step: uploads.Step) -> dict:
    return {"result": apply(result, step.meta["year"], step.actor)}


FLOW = import_flow.ImportFlow(
    KIND,
    JOB,
    enqueue=enqueue,
    plan=_plan_upload,
    report_rows=report_rows,
    apply=_apply_upload,
    header_problem=header_problem,
)
