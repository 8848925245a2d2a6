"""Historical programme certificates (paper chứng chỉ) from a CSV or XLSX file: one row per
certificate — employee_code, programme (code), number, date (dd/mm/yyyy or yyyy-mm-dd). Every
row is checked first (unknown official or programme, official outside the actor's scope, bad
or future date, a number already given to someone else) and nothing is written when any row is
wrong; importing the same file again adds nothing (a number is kept once per programme)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from lms.auth.scope import Scope
from lms.common import clock
from lms.common.tabular import Table, header_key, unescape_cell
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official
from lms.organisation.queries import CurrentUnit, join_current_post
from lms.programmes import services
from lms.programmes.models import Programme, ProgrammeCertificate

COLUMNS = ("employee_code", "programme", "number", "date")


@dataclass
class Plan:
    rows: list[tuple[int, Official, Programme, str, date]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0


def _day(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def plan(table: Table, scope: Scope | list[str] | None) -> Plan:
    """Check every row of the file (nothing is written)."""
    result = Plan()
    keys = [header_key(h) for h in table.header]
    wanted = {header_key(c): c for c in COLUMNS}
    missing = [c for key, c in wanted.items() if key not in keys]
    if missing:
        result.errors.append((1, _("Missing columns: %(names)s.", names=", ".join(missing))))
        return result
    position = {wanted[key]: keys.index(key) for key in wanted}
    condition = Scope.from_paths(scope).officials_filter(CurrentUnit.path, Official.id)
    seen: set[tuple[int, str]] = set()
    for line, cells in table.rows:

        def cell(name: str, cells=cells) -> str:
            index = position[name]
            return unescape_cell(cells[index].strip()) if index < len(cells) else ""

        stmt = join_current_post(select(Official)).where(
            Official.employee_code == cell("employee_code")
        )
        official = db.session.scalar(stmt if condition is None else stmt.where(condition))
        programme = db.session.scalar(select(Programme).where(Programme.code == cell("programme")))
        number, day = cell("number")[:64], _day(cell("date"))
        problems = []
        if official is None:
            problems.append(_("Unknown official, or outside your scope."))
        if programme is None:
            problems.append(_("Unknown programme."))
        if not number:
            problems.append(_("The certificate number is required."))
        if day is None or day > clock.today():
            problems.append(_("Enter a past date as dd/mm/yyyy."))
        if problems:
            result.errors += [(line, problem) for problem in problems]
            continue
        if (programme.id, number) in seen:
            result.errors.append((line, _("This number appears twice in the file.")))
            continue
        seen.add((programme.id, number))
        holder = db.session.scalar(
            select(ProgrammeCertificate.official_id).where(
                ProgrammeCertificate.programme_id == programme.id,
                ProgrammeCertificate.original_number == number,
            )
        )
        if holder is not None and holder != official.id:
            message = _("This number belongs to another official's certificate.")
            result.errors.append((line, message))
        elif holder is not None:
            result.unchanged += 1
        else:
            result.rows.append((line, official, programme, number, day))
    return result


def apply(checked: Plan, actor) -> int:
    """Write the planned rows (flushed, audited); how many."""
    for _line, official, programme, number, day in sorted(checked.rows, key=lambda r: r[4]):
        services.import_historical(official, programme, number, day, actor)
    return len(checked.rows)
