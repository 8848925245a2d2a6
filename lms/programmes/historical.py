"""Historical programme certificates (paper chứng chỉ) from a CSV or XLSX file: one row per
certificate — employee_code, programme (code), number, date (dd/mm/yyyy or yyyy-mm-dd). Every
row is checked first (unknown official or programme, official outside the actor's scope, bad
or future date, a number already given to someone else, a number twice in the file, a cell
that starts like a spreadsheet formula) and nothing is written when any row is wrong; importing
the same file again adds nothing (a number is kept once per programme). `check` is the dry run
with its per-row report (the web flow, lms.programmes.historical_import); `plan` and `apply`
serve `flask --app lms programmes import-certificates`."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import select

from lms.auth.scope import Scope
from lms.common import clock, import_flow
from lms.common.tabular import FORMULA_START, Table, header_key, unescape_cell
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official
from lms.organisation.queries import CurrentUnit, join_current_post
from lms.programmes import services
from lms.programmes.models import Programme, ProgrammeCertificate

COLUMNS = ("employee_code", "programme", "number", "date")
NEW, UNCHANGED, ERROR = "new", "unchanged", "error"


def _day(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def missing_columns(header: list[str]) -> list[str]:
    keys = {header_key(h) for h in header}
    return [c for c in COLUMNS if header_key(c) not in keys]


def header_problem(header: list[str]) -> str | None:
    """Why a file's header cannot be imported (the columns it lacks), or None."""
    missing = missing_columns(header)
    return _("Missing columns: %(names)s.", names=", ".join(missing)) if missing else None


@dataclass
class RowPlan(import_flow.RowPlan):
    """One data row checked: its values, its errors (column, message) and, when valid, the
    official and programme it names and whether it was imported before."""

    programme_id: int | None = None
    known: bool = False

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        return UNCHANGED if self.known else NEW


class CertificatesPlan(import_flow.TablePlan):
    """The dry run: file-level errors and one RowPlan per data row (new, unchanged, error)."""

    STATUSES: ClassVar[tuple[str, ...]] = (NEW, UNCHANGED, ERROR)


def check(table: Table, scope: Scope | list[str] | None, progress=None) -> CertificatesPlan:
    """Check every row of the file (nothing is written)."""
    problem = header_problem(table.header)
    if problem:
        return CertificatesPlan([problem], [])
    keys = [header_key(h) for h in table.header]
    position = {c: keys.index(header_key(c)) for c in COLUMNS}
    condition = Scope.from_paths(scope).officials_filter(CurrentUnit.path, Official.id)
    seen: dict[tuple[int, str], int] = {}
    rows = []
    for line, cells in table.rows:
        raw = {c: cells[i].strip() if i < len(cells) else "" for c, i in position.items()}
        values = {c: unescape_cell(v) for c, v in raw.items()}
        row = RowPlan(line, values["employee_code"][:32], values)
        rows.append(row)
        if progress is not None:
            progress(1)
        formulas = [c for c, v in values.items() if v.startswith(FORMULA_START)]
        for column in formulas:
            message = _("This cell starts like a spreadsheet formula (=, +, -, @): remove it.")
            row.errors.append((column, message))
        if formulas:
            continue
        stmt = join_current_post(select(Official)).where(
            Official.employee_code == values["employee_code"]
        )
        official = db.session.scalar(stmt if condition is None else stmt.where(condition))
        programme = db.session.scalar(
            select(Programme).where(Programme.code == values["programme"])
        )
        number, day = values["number"][:64], _day(values["date"])
        if official is None:
            row.errors.append(("employee_code", _("Unknown official, or outside your scope.")))
        if programme is None:
            row.errors.append(("programme", _("Unknown programme.")))
        if not number:
            row.errors.append(("number", _("The certificate number is required.")))
        if day is None or day > clock.today():
            row.errors.append(("date", _("Enter a past date as dd/mm/yyyy.")))
        if row.errors:
            continue
        row.values.update(number=number, date=day)
        key = (programme.id, number)
        if key in seen:
            message = _("This number appears twice in the file (line %(line)d).", line=seen[key])
            row.errors.append(("number", message))
            continue
        seen[key] = line
        holder = db.session.scalar(
            select(ProgrammeCertificate.official_id).where(
                ProgrammeCertificate.programme_id == programme.id,
                ProgrammeCertificate.original_number == number,
            )
        )
        if holder is not None and holder != official.id:
            message = _("This number belongs to another official's certificate.")
            row.errors.append(("number", message))
            continue
        row.official_id, row.programme_id, row.known = official.id, programme.id, holder is not None
    return CertificatesPlan([], rows)


def write(result: CertificatesPlan, actor) -> int:
    """Write the new rows of a plan without errors (flushed, audited), oldest first; how many.
    Refuses a plan with errors (nothing half-written)."""
    if result.has_errors:
        raise ValueError("the plan has errors")
    new = sorted((r for r in result.rows if r.status == NEW), key=lambda r: r.values["date"])
    for row in new:
        official = db.session.get(Official, row.official_id)
        programme = db.session.get(Programme, row.programme_id)
        services.import_historical(
            official, programme, row.values["number"], row.values["date"], actor
        )
    return len(new)


# --- the command's interface -------------------------------------------------------------


@dataclass
class Plan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    checked: CertificatesPlan | None = None


def plan(table: Table, scope: Scope | list[str] | None) -> Plan:
    """The command's dry run: (line, message) of every problem (line 1: the header)."""
    checked = check(table, scope)
    errors = [(1, message) for message in checked.file_errors]
    errors += [(row.line, message) for row in checked.rows for _column, message in row.errors]
    return Plan(
        [r for r in checked.rows if r.status == NEW],
        errors,
        sum(1 for r in checked.rows if r.status == UNCHANGED),
        checked,
    )


def apply(result: Plan, actor) -> int:
    """Write the planned rows (flushed, audited); how many."""
    return write(result.checked, actor)
