"""The leave import (CSV/XLSX: employee_code, kind, from, to, decision_number): parse, plan every
row against the registry and the stored periods in bulk (the dry run, a per-row report), then
write the new and changed periods in one transaction. A period is keyed by (official, first
day): the same file twice changes nothing; a row with a stored period's first day corrects it.
Bad dates, to < from, unknown codes or kinds and periods overlapping each other or a stored one
are reported per row, and then nothing is written."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from lms.audit import services as audit
from lms.auth.scope import Scope
from lms.auth.services import official_id_of_user
from lms.common import import_flow, uploads, vntext
from lms.common.tabular import Table, iter_chunks
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import enqueue
from lms.organisation import leave
from lms.organisation.models import LeaveKind, LeavePeriod
from lms.organisation.queries import officials_by_code
from lms.organisation.rows import (
    CellError,
    ParsedRow,
    missing_columns,
    parse_date,
    parse_table,
    template,
)

# field → accepted headers (the contract's name second: the template's header is Vietnamese)
COLUMNS = {
    "employee_code": ("Mã cán bộ", "employee_code", "Mã CBCCVC"),
    "kind": ("Loại nghỉ", "kind", "Loại"),
    "from": ("Từ ngày", "from", "starts_on", "Ngày bắt đầu"),
    "to": ("Đến ngày", "to", "ends_on", "Ngày kết thúc"),
    "decision_number": ("Số quyết định", "decision_number", "Quyết định", "Số QĐ"),
}
REQUIRED = ("employee_code", "kind", "from", "to")
COLUMN_LABELS = {
    "employee_code": _l("Employee code"),
    "kind": _l("Kind of leave"),
    "from": _l("From"),
    "to": _l("To"),
    "decision_number": _l("Decision number"),
}
# Vietnamese words for the kinds (matched without case, diacritics or spaces), besides the
# contract's names and the labels in either language.
KIND_WORDS = {
    "thaisan": LeaveKind.MATERNITY,
    "nghithaisan": LeaveKind.MATERNITY,
    "om": LeaveKind.SICK,
    "nghiom": LeaveKind.SICK,
    "omdaingay": LeaveKind.SICK,
    "nghiomdaingay": LeaveKind.SICK,
    "dihoc": LeaveKind.STUDY,
    "hoctap": LeaveKind.STUDY,
    "dihocdaihan": LeaveKind.STUDY,
    "bietphai": LeaveKind.SECONDMENT,
    "khongluong": LeaveKind.UNPAID,
    "nghikhongluong": LeaveKind.UNPAID,
    "nghikhonghuongluong": LeaveKind.UNPAID,
    "dinhchi": LeaveKind.SUSPENSION,
    "tamdinhchi": LeaveKind.SUSPENSION,
    "tamdinhchicongtac": LeaveKind.SUSPENSION,
}
NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"
KIND = "leave"  # the import job's kind in meta.json
JOB = "organisation.leave_import"  # the queued job (lms/organisation/jobs.py)


def _word(text: str) -> str:
    return "".join(ch for ch in vntext.search_key(text) if ch.isalnum())


def parse_kind(text: str) -> str:
    """`maternity`… (the contract's names), their labels in Vietnamese or English, or the usual
    Vietnamese words (thai sản, ốm dài ngày, đi học, biệt phái, không lương, đình chỉ)."""
    word = _word(text)
    for kind in LeaveKind:
        if word in (_word(kind.value), _word(str(kind.label))):
            return kind.value
    if word in KIND_WORDS:
        return KIND_WORDS[word].value
    names = ", ".join(kind.value for kind in LeaveKind)
    raise CellError(_("Unknown kind of leave %(kind)s (use %(names)s).", kind=text, names=names))


def header_problem(header: list[str]) -> str | None:
    """Why a leave file's header cannot be imported (the required columns it lacks), or None."""
    return missing_columns(header, COLUMNS, REQUIRED)


def _cell(key: str, raw: str):
    if key in ("from", "to"):
        return parse_date(raw)
    if key == "kind":
        return parse_kind(raw)
    if key == "employee_code":
        return raw.upper()
    if key == "decision_number" and len(raw) > leave.MAX_DECISION:
        raise CellError(_("At most %(max)d characters.", max=leave.MAX_DECISION))
    return raw or None


def parse_rows(table: Table) -> tuple[list[ParsedRow], list[str]]:
    """Parse every row (file-level errors — missing columns — come back alone)."""
    rows, problems = parse_table(table, COLUMNS, REQUIRED, _cell)
    for row in rows:
        start, end = row.values.get("from"), row.values.get("to")
        if start and end and end < start:
            row.error("to", _("The last day is before the first day."))
    return rows, problems


@dataclass
class RowPlan(import_flow.RowPlan):
    """What importing one row does: add a period (new), correct the stored one with the same
    first day (updated), nothing (unchanged), or nothing because of its errors."""

    period_id: int | None = None
    changed: bool = True

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        if self.period_id is None:
            return NEW
        return UPDATED if self.changed else UNCHANGED

    def data(self) -> leave.LeaveData:
        v = self.values
        return leave.LeaveData(v["kind"], v["from"], v["to"], v.get("decision_number"))


class LeavePlan(import_flow.TablePlan):
    """The dry run: file-level errors and one RowPlan per data row (new, updated, unchanged,
    error)."""


def _stored(official_ids: list[int]) -> dict[int, list[LeavePeriod]]:
    found: dict[int, list[LeavePeriod]] = {}
    for chunk in iter_chunks(sorted(set(official_ids)), 900):
        for period in db.session.scalars(
            select(LeavePeriod).where(LeavePeriod.official_id.in_(chunk))
        ):
            found.setdefault(period.official_id, []).append(period)
    return found


def _same(period: LeavePeriod, values: dict) -> bool:
    return (period.kind, period.ends_on, period.decision_number) == (
        values["kind"],
        values["to"],
        values.get("decision_number"),
    )


def plan(
    table: Table, scope: list[str] | None, progress=None, own_official_id: int | None = None
) -> LeavePlan:
    """Check every row against the database without writing anything. `scope` limits the
    officials (None: everyone; an official with no current post is outside every limited
    scope); `own_official_id`, the importer's own record, is refused on every row (another
    officer records one's leave). `progress(n)` is called as rows are checked."""
    parsed, file_errors = parse_rows(table)
    if file_errors:
        return LeavePlan(file_errors, [])
    officials = officials_by_code([str(r.values["employee_code"]) for r in parsed])
    stored = _stored([official_id for official_id, _path in officials.values()])
    rows = []
    for row in parsed:
        rows.append(_plan_row(row, officials, stored, scope, own_official_id))
        if progress is not None:
            progress(1)
    _check_overlaps(rows, stored)
    return LeavePlan([], rows)


def _plan_row(row: ParsedRow, officials, stored, scope, own_official_id=None) -> RowPlan:
    values = row.values
    result = RowPlan(row.line, values["employee_code"], values, list(row.errors))
    found = officials.get(values["employee_code"])
    if values["employee_code"] and found is None:
        message = _("Unknown employee code %(code)s.", code=values["employee_code"])
        result.errors.append(("employee_code", message))
    elif found is not None and not Scope.from_paths(scope).covers_unit(found[1]):
        result.errors.append(("employee_code", _("This official is outside your scope.")))
    elif found is not None and found[0] == own_official_id:
        message = _("This is your own record: another officer records your leave.")
        result.errors.append(("employee_code", message))
    if result.errors:
        return result
    result.official_id = found[0]
    for period in stored.get(found[0], []):
        if period.starts_on == values["from"]:
            result.period_id, result.changed = period.id, not _same(period, values)
    return result


def _check_overlaps(rows: list[RowPlan], stored: dict[int, list[LeavePeriod]]) -> None:
    """Mark rows overlapping another row of the file for the same official (the later one) or a
    stored period the file does not correct (same first day)."""
    by_official: dict[int, list[RowPlan]] = {}
    for row in rows:
        if not row.errors:
            by_official.setdefault(row.official_id, []).append(row)
    for official_id, mine in by_official.items():
        corrected = {row.period_id for row in mine if row.period_id is not None}
        kept = [p for p in stored.get(official_id, []) if p.id not in corrected]
        seen: list[RowPlan] = []
        for row in sorted(mine, key=lambda r: r.line):
            start, end = row.values["from"], row.values["to"]
            other = next(
                (o for o in seen if o.values["from"] <= end and o.values["to"] >= start), None
            )
            if other is not None:
                row.errors.append(
                    ("from", _("It overlaps the leave on line %(line)d.", line=other.line))
                )
                continue
            period = next((p for p in kept if p.starts_on <= end and p.ends_on >= start), None)
            if period is not None:
                row.errors.append(("from", leave.overlap_reason(period)))
                continue
            seen.append(row)


def apply(result: LeavePlan, actor) -> dict[str, int]:
    """Write the new and corrected periods (ORM rows, so the obligations engine re-runs for
    their officials at the commit); one audit entry per period written; flushes. Refuses a plan
    with errors (nothing half-written). Returns the counts."""
    if result.has_errors:
        raise ValueError("the plan has errors")
    created = updated = 0
    entries = []
    for row in result.rows:
        if row.status == NEW:
            period = LeavePeriod(
                official_id=row.official_id, created_by_id=getattr(actor, "id", None)
            )
            db.session.add(period)
            created += 1
        elif row.status == UPDATED:
            period = db.session.get(LeavePeriod, row.period_id)
            updated += 1
        else:
            continue
        data = row.data()
        period.kind, period.starts_on, period.ends_on = data.kind, data.starts_on, data.ends_on
        period.decision_number = data.decision_number
        entries.append(
            (
                row.employee_code,
                {
                    "kind": data.kind,
                    "starts_on": data.starts_on.isoformat(),
                    "ends_on": data.ends_on.isoformat(),
                    "decision_number": data.decision_number,
                },
            )
        )
    db.session.flush()
    audit.record_many(actor, "leave.imported", "official", entries)
    return {"created": created, "updated": updated, "unchanged": sum(
        1 for row in result.rows if row.status == UNCHANGED
    )}  # fmt: skip


def report_rows(result: LeavePlan) -> list[list]:
    """The per-row report (in the current language): line, employee code, column, message;
    file-level errors first (line 1 = the header). A row in error has a column."""
    words = {
        NEW: _("new: %(kind)s from %(start)s to %(end)s"),
        UPDATED: _("corrected: %(kind)s from %(start)s to %(end)s"),
        UNCHANGED: _("already recorded: no change"),
    }

    def describe(row: RowPlan) -> str:
        v = row.values
        return str(words[row.status]) % {
            "kind": LeaveKind.text_of(v["kind"]),
            "start": v["from"].strftime("%d/%m/%Y"),
            "end": v["to"].strftime("%d/%m/%Y"),
        }

    return import_flow.report_lines(result, COLUMN_LABELS, describe)


def template_rows() -> tuple[list[str], list[list]]:
    """The import template: Vietnamese headers and one example row."""
    example = {
        "employee_code": "DN000001",
        "kind": "maternity",
        "from": "01/03/2026",
        "to": "31/08/2026",
        "decision_number": "125/QĐ-SNV",
    }
    return template(COLUMNS, example)


# --- the web import: lms.common.import_flow.ImportFlow, kind "leave" in the IMPORTS store --------


def _plan_upload(table: Table, step: uploads.Step) -> LeavePlan:
    own = official_id_of_user(step.meta.get("user_id"))
    return plan(table, step.params.get("scope"), progress=step.count_row, own_official_id=own)


def _apply_upload(result: LeavePlan, step: uploads.Step) -> dict:
    return {"result": apply(result, step.actor)}


FLOW = import_flow.ImportFlow(
    KIND,
    JOB,
    enqueue=enqueue,
    plan=_plan_upload,
    report_rows=report_rows,
    apply=_apply_upload,
    header_problem=header_problem,
)


def check_job(folder: Path, scope, report=None) -> None:
    """The dry run of a stored upload, whatever its state (scripts, tests)."""
    FLOW.check_now(folder, {"scope": scope}, report)
