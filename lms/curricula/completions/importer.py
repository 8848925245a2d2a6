"""Historical completions import (paper records, another LMS): parse a CSV/XLSX file, plan every
row against the database in bulk (the dry run), then record the valid rows in one transaction
through `record_completion`. Each row's source_ref is a stable key of its content, so importing
the same file twice adds nothing."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import func, select

from lms.audit import services as audit
from lms.auth.scope import Scope
from lms.auth.services import official_id_of_user
from lms.catalog.models import Course
from lms.common import clock, import_flow, uploads
from lms.common.tabular import Table, iter_chunks
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import HISTORICAL, LedgerEntry
from lms.curricula.rules.credits import earns_credits
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import enqueue
from lms.organisation.queries import officials_by_code
from lms.organisation.rows import (
    CellError,
    ParsedRow,
    missing_columns,
    parse_date,
    parse_table,
    template,
)

# field → accepted headers (Vietnamese first: the template's header), matched without case,
# diacritics, spaces or underscores.
COLUMNS = {
    "employee_code": ("Mã cán bộ", "employee_code", "Mã CBCCVC", "Mã nhân viên"),
    "course_code": ("Mã khóa học", "course_code", "Mã học phần", "Mã khóa"),
    "completed_on": ("Ngày hoàn thành", "completed_on", "Ngày cấp", "completion_date"),
    "score": ("Điểm", "score", "Kết quả"),
    "credits": ("Số tín chỉ", "credits", "Tín chỉ"),
    "certificate_number": (
        "Số giấy chứng nhận",
        "certificate_number",
        "Số chứng chỉ",
        "Số GCN",
    ),
}
REQUIRED = ("employee_code", "course_code", "completed_on")
COLUMN_LABELS = {
    "employee_code": _l("Employee code"),
    "course_code": _l("Course code"),
    "completed_on": _l("Completed on"),
    "score": _l("Score"),
    "credits": _l("Credits"),
    "certificate_number": _l("Certificate number"),
}
MAX_SCORE, MAX_CREDITS = Decimal(100), Decimal(100)
NUMBER = re.compile(r"^\d{1,4}(?:[.,]\d{1,2})?$")
NEW, UNCHANGED, ERROR = "new", "unchanged", "error"
KIND = "completions"  # the import job's kind in meta.json
JOB = "curricula.completions_import"  # the queued job (lms/curricula/completions/jobs.py)


def parse_number(text: str, column: str, top: Decimal) -> Decimal:
    """A score or credits cell: 8.5 or 8,5 (two decimals at most), between 0 and `top`."""
    if not NUMBER.match(text):
        raise CellError(_("%(value)s is not a number such as 8.5.", value=text))
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise CellError(_("%(value)s is not a number such as 8.5.", value=text)) from None
    if value > top:
        raise CellError(_("%(value)s is more than %(top)s.", value=text, top=top))
    return value


def source_ref(employee_code: str, course_code: str, completed_on: date) -> str:
    """The row's stable key: the same official, course and date is the same completion."""
    key = f"import:{employee_code}:{course_code}:{completed_on.isoformat()}"
    if len(key) <= 64:
        return key
    return "import:#" + hashlib.sha256(key.encode()).hexdigest()[:56]


def header_problem(header: list[str]) -> str | None:
    """Why a completions file's header row cannot be imported (the required columns it lacks,
    in Vietnamese and English), or None."""
    return missing_columns(header, COLUMNS, REQUIRED)


def parse_rows(table: Table) -> tuple[list[ParsedRow], list[str]]:
    """Parse every row; file-level errors (missing columns) come back alone. Duplicates (same
    official, course and date) are marked on the later rows."""
    today = clock.today()
    rows, problems = parse_table(table, COLUMNS, REQUIRED, lambda key, raw: _cell(key, raw, today))
    seen = {}
    for row in rows:
        line = row.line
        for key in ("employee_code", "course_code"):
            row.values[key] = str(row.values.get(key) or "").upper()
        if not row.errors:
            ref = source_ref(
                row.values["employee_code"], row.values["course_code"], row.values["completed_on"]
            )
            row.values["source_ref"] = ref
            if ref in seen:
                row.error(
                    "employee_code",
                    _(
                        "The same completion (official, course, date) is on line %(line)d.",
                        line=seen[ref],
                    ),
                )
            else:
                seen[ref] = line
    return rows, problems


def _cell(key: str, raw: str, today: date):
    if key == "completed_on":
        day = parse_date(raw)
        if day > today:
            raise CellError(_("The date %(value)s is in the future.", value=raw))
        return day
    if key == "score":
        return parse_number(raw, key, MAX_SCORE) if raw else None
    if key == "credits":
        return parse_number(raw, key, MAX_CREDITS) if raw else None
    if key == "certificate_number" and len(raw) > 64:
        raise CellError(_("At most %(max)d characters.", max=64))
    return raw or None


@dataclass
class RowPlan(import_flow.RowPlan):
    """What importing one row will do: record it (new), nothing (imported before), or error."""

    notes: list[str] = field(default_factory=list)
    course_id: int | None = None
    imported: bool = False

    @property
    def status(self) -> str:
        return ERROR if self.errors else UNCHANGED if self.imported else NEW


class ImportPlan(import_flow.TablePlan):
    """The dry-run result: file-level errors and one RowPlan per data row (new, unchanged,
    error)."""

    STATUSES = (NEW, UNCHANGED, ERROR)


def _courses(codes: list[str]) -> dict[str, Course]:
    found = {}
    for chunk in iter_chunks(sorted(set(codes)), 900):
        for course in db.session.scalars(select(Course).where(func.upper(Course.code).in_(chunk))):
            found[course.code.upper()] = course
    return found


def _imported(refs: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in iter_chunks(sorted(set(refs)), 900):
        found.update(
            db.session.scalars(
                select(Completion.source_ref).where(
                    Completion.source == HISTORICAL, Completion.source_ref.in_(chunk)
                )
            )
        )
    return found


Span = tuple[date, date]  # a cycle's first and last day


def _credited(official_ids: list[int]) -> dict[tuple[int, int], list[Span]]:
    """(official, course) → the cycles in which the official holds net credits for the course
    in the ledger (as `ledger.credited_cycles`, for every official of the file at once)."""
    found: dict[tuple[int, int], list[Span]] = {}
    for chunk in iter_chunks(sorted(set(official_ids)), 900):
        rows = db.session.execute(
            select(LedgerEntry.official_id, LedgerEntry.course_id, Cycle.starts_on, Cycle.ends_on)
            .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
            .where(LedgerEntry.official_id.in_(chunk), LedgerEntry.course_id.is_not(None))
            .group_by(
                LedgerEntry.official_id, LedgerEntry.course_id, Cycle.starts_on, Cycle.ends_on
            )
            .having(func.sum(LedgerEntry.credits) > 0)
        )
        for official_id, course_id, starts_on, ends_on in rows:
            found.setdefault((official_id, course_id), []).append((starts_on, ends_on))
    return found


def _cycle_of(day: date, cycles: list[Span]) -> Span:
    """The cycle containing `day`: a stored one, else the calendar year (as `ledger.cycle_for`
    would create it)."""
    for starts_on, ends_on in cycles:
        if starts_on <= day <= ends_on:
            return starts_on, ends_on
    return date(day.year, 1, 1), date(day.year, 12, 31)


def plan(
    table: Table, scope: list[str] | None, progress=None, own_official_id: int | None = None
) -> ImportPlan:
    """Check every row against the database without writing anything.

    `scope` limits the officials the importer may record for (None = everyone; an official
    with no current post is outside every limited scope); `own_official_id`, the importer's
    own record, is refused on every row (separation of duties: another officer imports it);
    `progress(n)` is called as rows are checked.
    """
    parsed, file_errors = parse_rows(table)
    if file_errors:
        return ImportPlan(file_errors, [])
    officials = officials_by_code([str(r.values.get("employee_code")) for r in parsed])
    courses = _courses([str(r.values.get("course_code")) for r in parsed])
    imported = _imported([r.values["source_ref"] for r in parsed if "source_ref" in r.values])
    credited = _credited([official_id for official_id, _path in officials.values()])
    cycles = [tuple(c) for c in db.session.execute(select(Cycle.starts_on, Cycle.ends_on))]
    plans = []
    for row in parsed:
        plans.append(
            _plan_row(row, officials, courses, imported, (credited, cycles), scope, own_official_id)
        )
        if progress is not None:
            progress(1)
    return ImportPlan([], plans)


def _plan_row(
    row: ParsedRow, officials, courses, imported, credited, scope, own_official_id=None
) -> RowPlan:
    values = row.values
    plan = RowPlan(row.line, values["employee_code"], values, list(row.errors))
    found = officials.get(values["employee_code"])
    if values["employee_code"] and found is None:
        plan.errors.append(
            ("employee_code", _("Unknown employee code %(code)s.", code=values["employee_code"]))
        )
    elif found is not None and not Scope.from_paths(scope).covers_unit(found[1]):
        plan.errors.append(("employee_code", _("This official is outside your scope.")))
    elif found is not None and own_official_id is not None and found[0] == own_official_id:
        plan.errors.append(
            (
                "employee_code",
                _("This is your own record: another officer must import your completions."),
            )
        )
    course = courses.get(values["course_code"])
    if values["course_code"] and course is None:
        plan.errors.append(
            ("course_code", _("Unknown course %(code)s.", code=values["course_code"]))
        )
    if plan.errors:
        return plan
    plan.official_id, plan.course_id = found[0], course.id
    if values["source_ref"] in imported:
        plan.imported = True
        return plan
    credits = course.credits if values.get("credits") is None else values["credits"]
    if credits:
        _note_credits(plan, course, values["completed_on"], *credited)
    return plan


def _note_credits(plan: RowPlan, course: Course, day: date, credited, cycles) -> None:
    """Say when the row will be recorded without credits, by the rule `record_completion`
    applies (rules.earns_credits); a row that earns them counts for the rows after it."""
    held = credited.setdefault((plan.official_id, course.id), [])
    if earns_credits(course.repeatable, day, held):
        held.append(_cycle_of(day, cycles))
    elif course.repeatable:
        plan.notes.append(
            _(
                "Recorded without credits: %(course)s was already credited in %(year)d.",
                course=course.code,
                year=_cycle_of(day, cycles)[1].year,
            )
        )
    else:
        plan.notes.append(
            _(
                "Recorded without credits: %(course)s earns its credits once, and they were "
                "already earned.",
                course=course.code,
            )
        )


def apply(
    plan: ImportPlan, actor, valid_only: bool = False, override: str | None = None
) -> dict[str, int]:
    """Record every new row (flushes; the caller commits once). Refuses a plan with errors
    unless `valid_only`, which skips the rows in error. `override` (an administrator's reason,
    from the shell only) lets rows about the actor's own record through, each one audited.
    Returns the counts written."""
    if plan.file_errors or (plan.has_errors and not valid_only):
        raise ValueError("the plan has errors")
    created, credits = 0, Decimal(0)
    for row in plan.rows:
        if row.status != NEW:
            continue
        values = row.values
        recorded = record_completion(
            CompletionData(
                official_id=row.official_id,
                course_id=row.course_id,
                completed_on=values["completed_on"],
                source=HISTORICAL,
                source_ref=values["source_ref"],
                score=values.get("score"),
                credits=values.get("credits"),
                original_certificate_number=values.get("certificate_number"),
            ),
            actor,
            override,
        )
        created += recorded.created
        credits += recorded.credited
    skipped = sum(1 for row in plan.rows if row.errors)
    if created:
        audit.record(
            actor,
            "completions.imported",
            "completions",
            "import",
            after={"created": created, "credits": credits, "skipped": skipped},
        )
    db.session.flush()
    return {"created": created, "credits": credits, "skipped": skipped}


def report_rows(plan: ImportPlan) -> list[list]:
    """The per-row report (in the current language): line, employee code, column, message;
    file-level errors first (line 1 = the header). A row in error has a column (or line 1)."""

    def describe(row: RowPlan) -> str:
        if row.imported:
            return _("already imported: no change")
        text = _(
            "new: %(course)s on %(day)s",
            course=row.values["course_code"],
            day=row.values["completed_on"].strftime("%d/%m/%Y"),
        )
        return "; ".join([text, *row.notes])

    return import_flow.report_lines(plan, COLUMN_LABELS, describe)


def template_rows() -> tuple[list[str], list[list]]:
    """The import template: Vietnamese headers and one example row."""
    example = {
        "employee_code": "DN000001",
        "course_code": "VHCV01",
        "completed_on": "15/11/2019",
        "score": Decimal("8.5"),
        "certificate_number": "GCN-2019/0153",
    }
    return template(COLUMNS, example)


# --- the web import: lms.common.import_flow.ImportFlow, kind "completions" in the IMPORTS store
# Small files are checked and recorded inside the request; larger ones by the job
# `curricula.completions_import` (lms/curricula/completions/jobs.py).


def _plan_upload(table: Table, step: uploads.Step) -> ImportPlan:
    """The dry run of an uploaded file; the uploader's own record is refused on every row."""
    own = official_id_of_user(step.meta.get("user_id"))
    return plan(table, step.params.get("scope"), progress=step.count_row, own_official_id=own)


def _apply_upload(result: ImportPlan, step: uploads.Step) -> dict:
    counts = apply(result, step.actor, bool(step.params.get("valid_only")))
    return {"result": {**counts, "credits": str(counts["credits"])}}


FLOW = import_flow.ImportFlow(
    KIND,
    JOB,
    enqueue=enqueue,
    plan=_plan_upload,
    report_rows=report_rows,
    apply=_apply_upload,
    header_problem=header_problem,
)


def queue_step(folder: Path, step: str, scope, *, background: bool, actor, valid_only=False):
    """Run the step ("check" or "apply") of a stored upload now, or queue it (FLOW.start); an
    apply of a checked upload marks it "importing" first, as the confirm button does."""
    params = {"scope": scope}
    if step == "apply":
        params["valid_only"] = bool(valid_only)
        if uploads.read_meta(folder)["state"] == "ready":
            uploads.update_meta(folder, state="importing")
    FLOW.start(folder, step, background=background, actor=actor, **params)


def check_job(folder: Path, scope, report=None) -> None:
    """The dry run of a stored upload, whatever its state (scripts, tests)."""
    FLOW.check_now(folder, {"scope": scope}, report)
