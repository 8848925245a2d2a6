"""The candidates import (CSV/XLSX) of one recruitment: parse, check every row against the
recruitment (the dry run, a per-row report), then register every row in one transaction
(lms.common.import_flow.ImportFlow, as the ratings import). Per-row errors: unknown position, bad
name (a formula or digits are refused), bad date of birth, bad identity number, an identity
number twice in the file or already registered, unknown priority category; while any row has
one, nothing is written."""

import re
from dataclasses import dataclass, field

from lms.audit.services import record
from lms.common import import_flow, uploads, vntext
from lms.common.tabular import Table
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import enqueue
from lms.organisation.rows import (
    CellError,
    ParsedRow,
    map_header,
    missing_columns,
    parse_cells,
    parse_date,
    template,
)
from lms.recruitment import rules, services
from lms.recruitment.models import CandidateSource, Recruitment

COLUMNS = {
    "position": ("Vị trí dự tuyển", "position", "Mã vị trí"),
    "full_name": ("Họ và tên", "full_name"),
    "born_on": ("Ngày sinh", "born_on", "date_of_birth"),
    "id_number": ("Số CCCD", "id_number", "Số định danh cá nhân"),
    "email": ("Thư điện tử", "email"),
    "phone": ("Điện thoại", "phone"),
    "priority": ("Đối tượng ưu tiên", "priority"),
}
REQUIRED = ("position", "full_name", "born_on", "id_number")
COLUMN_LABELS = {
    "position": _l("Position applied for"),
    "full_name": _l("Full name"),
    "born_on": _l("Date of birth"),
    "id_number": _l("Identity number"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "priority": _l("Priority"),
}
KIND = "candidates"
JOB = "recruitment.candidates_import"
PHONE = re.compile(r"\+?[0-9 .]{8,20}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def header_problem(header: list[str]) -> str | None:
    """Why a candidates file's header cannot be imported (the required columns missing)."""
    return missing_columns(header, COLUMNS, REQUIRED)


def _cell(key: str, raw: str):
    if key == "born_on":
        return parse_date(raw)
    if key == "full_name":
        name = vntext.normalize(" ".join(raw.split()))
        if not rules.is_person_name(name):
            raise CellError(_("A name has letters only."))
        return name
    if key == "id_number":
        if not rules.is_id_number(raw):
            raise CellError(_("The identity number (CCCD) has 12 digits."))
        return raw
    if key == "priority":
        code = raw.upper()
        if code not in {p.value for p in rules.Priority}:
            raise CellError(_("Unknown priority category %(code)s.", code=raw))
        return code
    if key == "email" and raw and not EMAIL.fullmatch(raw):
        raise CellError(_("Not an email address."))
    if key == "phone" and raw and not PHONE.fullmatch(raw):
        raise CellError(_("Not a phone number."))
    return raw.upper() if key == "position" else raw


def parse_rows(table: Table) -> tuple[list[ParsedRow], list[str]]:
    """Parse every row (a header problem comes back alone)."""
    problem = header_problem(table.header)
    if problem:
        return [], [problem]
    index, _missing = map_header(table.header, COLUMNS)
    rows = []
    for line, cells in table.rows:
        row = parse_cells(line, cells, index, REQUIRED, _cell)
        for key in ("email", "phone", "priority"):  # optional columns: empty when left out
            row.values.setdefault(key, "")
        rows.append(row)
    return rows, []


@dataclass
class RowPlan:
    """One candidate row checked: registered as new, or nothing because of its errors."""

    line: int
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "error" if self.errors else "new"


class CandidatesPlan(import_flow.TablePlan):
    """The dry run: file-level errors and one RowPlan per data row (new, error)."""

    STATUSES = ("new", "error")


def _data(values: dict) -> services.NewCandidate:
    return services.NewCandidate(
        position_code=values.get("position", ""),
        full_name=values.get("full_name", ""),
        born_on=values.get("born_on"),
        id_number=values.get("id_number", ""),
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        priority_code=values.get("priority", ""),
        source=CandidateSource.IMPORT,
    )


def plan(table: Table, recruitment: Recruitment, progress=None) -> CandidatesPlan:
    """Check every row against the recruitment without writing anything."""
    parsed, file_errors = parse_rows(table)
    if file_errors:
        return CandidatesPlan(file_errors, [])
    seen: dict[str, int] = {}
    rows = []
    for row in parsed:
        result = RowPlan(row.line, row.values, list(row.errors))
        failed = {column for column, _message in result.errors}
        if not failed:
            result.errors += services.check_candidate(recruitment, _data(row.values))
        number = row.values.get("id_number")
        if number and number in seen:
            message = _("This identity number is already on line %(line)d.", line=seen[number])
            result.errors.append(("id_number", message))
        elif number:
            seen[number] = row.line
        rows.append(result)
        if progress is not None:
            progress(1)
    return CandidatesPlan([], rows)


def apply(result: CandidatesPlan, recruitment: Recruitment, actor) -> dict[str, int]:
    """Register every row (each with its number and account); refuses a plan with errors."""
    if result.has_errors:
        raise ValueError("the plan has errors")
    for row in result.rows:
        services.register_candidate(recruitment, _data(row.values), actor)
    return {"created": len(result.rows)}


def report_rows(result: CandidatesPlan) -> list[list]:
    """The per-row report: line, name, column, message (file-level errors first)."""
    lines = [[1, "", "", message] for message in result.file_errors]
    for row in result.rows:
        name = str(row.values.get("full_name") or "")
        if row.errors:
            lines += [
                [row.line, name, str(COLUMN_LABELS.get(col, col)), message]
                for col, message in row.errors
            ]
        else:
            position = row.values.get("position", "")
            lines.append([row.line, name, "", _("new candidate for %(code)s", code=position)])
    return lines


def template_rows() -> tuple[list[str], list[list]]:
    """The import template: the Vietnamese header and one example row."""
    example = {
        "position": "VT01",
        "full_name": "Nguyễn Văn An",
        "born_on": "17/05/1998",
        "id_number": "048098000123",
        "email": "an@example.vn",
        "phone": "0905123456",
    }
    return template(COLUMNS, example)


def _recruitment(step: uploads.Step) -> Recruitment:
    return db.session.get(Recruitment, step.meta["recruitment_id"])


def _plan_upload(table: Table, step: uploads.Step) -> CandidatesPlan:
    return plan(table, _recruitment(step), progress=step.count_row)


def _apply_upload(result: CandidatesPlan, step: uploads.Step) -> dict:
    recruitment = _recruitment(step)
    counts = apply(result, recruitment, step.actor)
    record(
        step.actor, "recruitment.candidates_imported", "recruitment", recruitment.code, after=counts
    )
    return {"result": counts}


FLOW = import_flow.ImportFlow(
    KIND,
    JOB,
    enqueue=enqueue,
    plan=_plan_upload,
    report_rows=report_rows,
    apply=_apply_upload,
    header_problem=header_problem,
)
