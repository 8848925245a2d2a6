"""Every table the application hands out as a file (compliance and registry exports, import
reports and templates, activation links, the audit log) goes through here, so that all of them
open the same way in Excel.

- **XLSX**: one named sheet; row 1 the title (what, which unit, exported when), row 2 the
  header (bold, with a filter), frozen below the header; column widths fitted to the content;
  numbers as numbers, dates as dates, every text cell escaped against formula injection.
- **CSV**: UTF-8 with a BOM (Excel then shows Vietnamese). Its form follows the language the file
  is made in: in Vietnamese the list separator is `;` and numbers have the decimal comma
  (`12,5`), which is what Excel on Windows set to Vietnamese reads as columns and numbers; in
  English `,` and the decimal point. Text cells are escaped against formula injection; a
  negative number stays a number. The importers read both forms (and XLSX with its title row).
- **File names**: `<stem>-<unit code>-<YYYYMMDD>.<fmt>` when the export is about a unit (or the
  whole scope the user has, named by its top unit), letters, digits, `-` and `_` only.

Domain-free: callers give the header, the rows and the words; lms.common.tabular reads.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import Response, abort, current_app, has_request_context, stream_with_context
from flask_babel import get_locale

from lms.common import clock, files
from lms.common.tabular import BOM, escape_cell
from lms.i18n import _, format_day

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(MIMETYPES)
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 5000  # rows looked at to fit the column widths
CSV_BATCH = 500


@dataclass(frozen=True)
class CsvForm:
    """How a CSV writes its columns and numbers."""

    delimiter: str
    decimal: str


CSV_VI = CsvForm(delimiter=";", decimal=",")
CSV_EN = CsvForm(delimiter=",", decimal=".")


def csv_form(locale: str | None = None) -> CsvForm:
    """The CSV form of a language: Vietnamese (`;`, decimal comma) or the others (`,`, point).
    Without a language, the current one (the request's, else the site's default)."""
    if locale is None:
        locale = str(get_locale() or "") if has_request_context() else ""
        locale = locale or current_app.config.get("LMS_DEFAULT_LOCALE", "vi")
    return CSV_VI if str(locale).split("_")[0] == "vi" else CSV_EN


@dataclass
class Export:
    """A table to hand out: the file name's stem (ASCII, e.g. "officials"), the sheet's name and
    title (translated words), the unit it is about (its code goes into the file name and the
    title), the header and the rows (any iterable; read once)."""

    stem: str
    sheet: str
    title: str
    header: list[str]
    rows: Iterable[list]
    unit_code: str = ""
    unit_name: str = ""

    def filename(self, fmt: str) -> str:
        """e.g. officials-SNV-20261205.xlsx."""
        parts = [self.stem, self.unit_code, clock.today().strftime("%Y%m%d")]
        safe = [_ascii_name(p) for p in parts]
        return "-".join(p for p in safe if p) + f".{fmt}"

    def title_line(self) -> str:
        """The title row: what, which unit, the day it was exported."""
        what = self.title
        if self.unit_name or self.unit_code:
            unit = f"{self.unit_name} ({self.unit_code})" if self.unit_name else self.unit_code
            what = _("%(title)s — %(unit)s", title=what, unit=unit)
        return _("%(title)s — exported on %(day)s", title=what, day=format_day(clock.today()))


def _ascii_name(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and (ch.isalnum() or ch in "-_"))


# ---------------------------------------------------------------------------------------- CSV


def _csv_cell(value, form: CsvForm):
    """Numbers in the form's decimal notation (never escaped: -1,5 is a number), dates as
    dd/mm/yyyy in Vietnamese and ISO otherwise, everything else escaped text."""
    if isinstance(value, bool):
        return escape_cell(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", form.decimal)
    if isinstance(value, datetime):
        return escape_cell(value.isoformat(sep=" ", timespec="seconds"))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if form is CSV_VI else value.isoformat()
    return escape_cell(value)


def csv_chunks(export: Export, form: CsvForm | None = None) -> Iterator[bytes]:
    """The CSV of `export`, a few hundred rows at a time (a whole city streams)."""
    form = form or csv_form()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=form.delimiter)
    writer.writerow([escape_cell(h) for h in export.header])
    yield BOM + buffer.getvalue().encode("utf-8")
    for chunk in _batched(export.rows, CSV_BATCH):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([[_csv_cell(c, form) for c in row] for row in chunk])
        yield buffer.getvalue().encode("utf-8")


def csv_bytes(export: Export, form: CsvForm | None = None) -> bytes:
    return b"".join(csv_chunks(export, form))


def csv_table(header: list[str], rows: Iterable[list], form: CsvForm | None = None) -> bytes:
    """A bare table as CSV (no title, no file name): for files other programs read."""
    return csv_bytes(Export("", "", "", header, rows), form)


def _batched(rows: Iterable[list], size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------------------- XLSX


def sheet_name(text: str) -> str:
    """A name Excel accepts: no [ ] : * ? / \\, at most 31 characters, not empty."""
    name = SHEET_FORBIDDEN.sub(" ", text or "").strip().strip("'")[:31].strip()
    return name or "Sheet1"


def _xlsx_value(value):
    """(value, number format) of a cell: numbers as numbers (Excel's General format shows them
    with the reader's decimal mark), dates as dates, text escaped."""
    if isinstance(value, bool):
        return escape_cell(value), None
    if isinstance(value, int):
        return value, None
    if isinstance(value, Decimal | float):
        return float(value), None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), "DD/MM/YYYY HH:MM"
    if isinstance(value, date):
        return value, "DD/MM/YYYY"
    return escape_cell(value), None


def _shown_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float | Decimal):
        return len(f"{float(value):g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(header: list[str], rows: list[list]) -> list[int]:
    """Each column as wide as its longest header or value (of the first rows), within bounds."""
    widths = [_shown_length(h) for h in header]
    for row in rows[:WIDTH_SAMPLE]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _shown_length(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def xlsx_bytes(export: Export) -> bytes:
    """The workbook of `export` (see the module's docstring)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = list(export.rows)
    header = [escape_cell(h) for h in export.header]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name(export.sheet))
    for index, width in enumerate(column_widths(header, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    if header and rows:
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A2:{last}{len(rows) + 2}"

    title = WriteOnlyCell(sheet, value=escape_cell(export.title_line()))
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(vertical="top", wrap_text=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        out = []
        for raw in row:
            value, number_format = _xlsx_value(raw)
            if number_format is None:
                out.append(value)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                out.append(cell)
        sheet.append(out)
    workbook.properties.title = export.title_line()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------- hand out


def render(export: Export, fmt: str, form: CsvForm | None = None) -> bytes:
    """The whole file in `fmt` (csv or xlsx)."""
    if fmt == "csv":
        return csv_bytes(export, form)
    if fmt == "xlsx":
        return xlsx_bytes(export)
    raise ValueError(f"unknown export format {fmt!r}")


def attachment(filename: str) -> dict[str, str]:
    """The Content-Disposition header of a download called `filename`."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def download(export: Export, fmt: str) -> Response:
    """`export` as a CSV (streamed, row batch by batch, in the request's context) or an XLSX
    download; 404 for any other format."""
    if fmt not in FORMATS:
        abort(404)
    if fmt == "csv":
        body = stream_with_context(csv_chunks(export, csv_form()))
    else:
        body = xlsx_bytes(export)
    return Response(body, mimetype=MIMETYPES[fmt], headers=attachment(export.filename(fmt)))


def write_file(export: Export, path: Path, form: CsvForm | None = None) -> Path:
    """Write `export` to `path`, as XLSX when its name ends in .xlsx, else CSV: personal data,
    so readable by its owner only (0600) and renamed into place whole."""
    fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    return files.write_atomic(path, render(export, fmt, form))
