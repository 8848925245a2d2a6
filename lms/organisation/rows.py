"""Pure parsing of HR spreadsheet rows: header mapping and cell values (gender, category,
dates). No database and no Flask beyond translated messages, so the rules are tested densely."""

import re
from dataclasses import dataclass, field
from datetime import date

from lms.common import vntext
from lms.common.tabular import Table, header_key, unescape_cell
from lms.i18n import _, _l

# field → (Vietnamese header, English header); the first two columns of the template.
OFFICIAL_COLUMNS = {
    "employee_code": ("Mã cán bộ", "employee_code"),
    "full_name": ("Họ và tên", "full_name"),
    "gender": ("Giới tính", "gender"),
    "date_of_birth": ("Ngày sinh", "date_of_birth"),
    "category": ("Loại", "category"),
    "unit_code": ("Mã đơn vị", "unit_code"),
    "position_code": ("Mã VTVL", "position_code"),
    "rank_code": ("Mã ngạch", "rank_code"),
    "started_on": ("Ngày bổ nhiệm", "started_on"),
    "email": ("Email", "email"),
    "phone": ("Điện thoại", "phone"),
}
OFFICIAL_REQUIRED = (
    "employee_code",
    "full_name",
    "gender",
    "category",
    "unit_code",
    "position_code",
)
GENDER_WORDS = {
    "nam": "male",
    "male": "male",
    "m": "male",
    "nu": "female",
    "female": "female",
    "f": "female",
}
CATEGORY_WORDS = {
    "canbo": "can_bo",
    "congchuc": "cong_chuc",
    "vienchuc": "vien_chuc",
    "cb": "can_bo",
    "cc": "cong_chuc",
    "vc": "vien_chuc",
}
DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T00:00:00)?$"),
)
COLUMN_LABELS = {
    "employee_code": _l("Employee code"),
    "full_name": _l("Full name"),
    "gender": _l("Gender"),
    "date_of_birth": _l("Date of birth"),
    "category": _l("Category"),
    "unit_code": _l("Unit"),
    "position_code": _l("Job position"),
    "rank_code": _l("Rank"),
    "started_on": _l("Starting on"),
    "email": _l("Email"),
    "phone": _l("Phone"),
}


class CellError(ValueError):
    """A cell's value is invalid; the message is shown to the user."""


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (also with . or -) or ISO yyyy-mm-dd; '' → None; CellError otherwise."""
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text.strip())
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                raise CellError(_("%(value)s is not a real date.", value=text)) from None
    raise CellError(_("Write dates as dd/mm/yyyy (got %(value)s).", value=text))


def parse_gender(text: str) -> str:
    """Nam/Nữ/Male/Female (any case, with or without accents) → male/female."""
    value = GENDER_WORDS.get(vntext.search_key(text).replace(" ", ""))
    if value is None:
        raise CellError(_("Gender must be Nam or Nữ (got %(value)s).", value=text))
    return value


def parse_category(text: str) -> str:
    """cán bộ / công chức / viên chức (or can_bo…) → the stored code."""
    value = CATEGORY_WORDS.get("".join(c for c in vntext.search_key(text) if c.isalpha()))
    if value is None:
        raise CellError(
            _("Category must be cán bộ, công chức or viên chức (got %(value)s).", value=text)
        )
    return value


@dataclass
class ParsedRow:
    """One data row: its line in the file, the cleaned values, and the errors found so far."""

    line: int
    values: dict[str, object] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


def parse_cells(line: int, cells: list[str], index: dict[str, int], required, cell) -> ParsedRow:
    """One data row of an import read through `index` (field → column): each cell stripped and
    unescaped; a `required` field left empty is an error, else `cell(key, raw)` gives its value
    (a CellError raised there is that field's error)."""
    row = ParsedRow(line)
    for key, position in index.items():
        raw = unescape_cell(cells[position].strip()) if position < len(cells) else ""
        if key in required and not raw:
            row.error(key, _("This field is required."))
            continue
        try:
            row.values[key] = cell(key, raw)
        except CellError as error:
            row.error(key, str(error))
    return row


def map_header(header: list[str], columns: dict) -> tuple[dict[str, int], list[str]]:
    """Column index per known field, and the names of required-but-missing columns' labels.

    Headers match in Vietnamese or English, ignoring case, diacritics, spaces and underscores.
    """
    wanted = {header_key(name): key for key, names in columns.items() for name in names}
    index = {}
    for position, title in enumerate(header):
        key = wanted.get(header_key(title))
        if key and key not in index:
            index[key] = position
    return index, [key for key in columns if key not in index]


def missing_columns(header: list[str], columns: dict, required) -> str | None:
    """Why a file's header row cannot be imported: the `required` columns it lacks, each named
    as the template names it in Vietnamese and English ("Mã cán bộ (employee_code)"), or None."""
    _index, missing = map_header(header, columns)
    absent = [key for key in required if key in missing]
    if not absent:
        return None
    names = ", ".join(f"{columns[k][0]} ({columns[k][1]})" for k in absent)
    return _("Missing columns: %(names)s.", names=names)


def parse_table(table, columns: dict, required, cell) -> tuple[list[ParsedRow], list[str]]:
    """Every data row of an import file through `parse_cells`, its employee code a string; a
    required column missing from the header is a file-level error that comes back alone."""
    problem = missing_columns(table.header, columns, required)
    if problem:
        return [], [problem]
    index, _missing = map_header(table.header, columns)
    rows = []
    for line, cells in table.rows:
        row = parse_cells(line, cells, index, required, cell)
        row.values["employee_code"] = str(row.values.get("employee_code") or "")
        rows.append(row)
    return rows, []


def template(columns: dict, example: dict) -> tuple[list[str], list[list]]:
    """An import's template: the Vietnamese header of `columns` (field → names) and one example
    row holding `example`'s value of each field (empty where it gives none)."""
    return [names[0] for names in columns.values()], [[example.get(key, "") for key in columns]]


PARSERS = {
    "gender": parse_gender,
    "category": parse_category,
    "date_of_birth": parse_date,
    "started_on": parse_date,
}


def _official_cell(key: str, raw: str):
    return PARSERS[key](raw) if key in PARSERS and raw else raw


def official_header_problem(header: list[str]) -> str | None:
    """Why an officials file's header row cannot be imported (the required columns it lacks,
    named as the template names them), or None."""
    _index, missing = map_header(header, OFFICIAL_COLUMNS)
    missing_required = [k for k in OFFICIAL_REQUIRED if k in missing]
    if not missing_required:
        return None
    names = ", ".join(OFFICIAL_COLUMNS[k][0] for k in missing_required)
    return _("Missing columns: %(names)s.", names=names)


def parse_official_rows(table: Table) -> tuple[list[ParsedRow], list[str]]:
    """Parse every row of an officials file. Returns the rows and the file-level errors
    (missing required columns); duplicates inside the file are marked on the later rows."""
    problem = official_header_problem(table.header)
    if problem:
        return [], [problem]
    index, _missing = map_header(table.header, OFFICIAL_COLUMNS)
    rows, seen = [], {}
    for line, cells in table.rows:
        row = parse_cells(line, cells, index, OFFICIAL_REQUIRED, _official_cell)
        code = str(row.values.get("employee_code") or "").upper()
        row.values["employee_code"] = code
        if code in seen:
            row.error(
                "employee_code",
                _(
                    "Employee code %(code)s already appears on line %(line)d.",
                    code=code,
                    line=seen[code],
                ),
            )
        elif code:
            seen[code] = line
        rows.append(row)
    return rows, []
