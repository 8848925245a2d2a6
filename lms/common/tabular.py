"""Reading spreadsheets safely: CSV (UTF-8 only, legacy Vietnamese encodings named and refused;
`,` or `;` separated) and XLSX (no macros, no external links, bounded size; a title row above
the header, as lms.common.exporter writes, is skipped); rows, cells and cell lengths limited
while streaming, NUL characters refused with their row and column; the formula guard exports
put on cells.

Domain-free: callers map headers to their own columns.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from lms.common import vntext
from lms.i18n import _, format_number

BOM = b"\xef\xbb\xbf"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Letters a TCVN3 (ABC) or VNI file shows once its bytes are read as Latin-1/UTF-8; none of them
# occurs in Vietnamese written in Unicode (Ð, the look-alike of Đ, is handled by vntext).
TCVN3_MARKS = set("¸µ¶·¹¨©ª«¬®¯°±²³´º½¾¼")
VNI_MARKS = set("ÆÇËÎÏÑ×ØÞßäåæçëîïñö÷øûüþÿ")
# VNI writes a vowel then its mark ("Vaên" for Văn): pairs that never occur in Unicode Vietnamese.
VNI_PAIRS = re.compile(r"a[âêàáãõùøûï]|e[âãõùøûï]|oâ", re.IGNORECASE)
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
# What a file field for a table offers to choose (the `accept` of its input).
TABLE_TYPES = (
    ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class TableError(Exception):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True)
class TableLimits:
    """How much of a file is read before it is refused (settings LMS_IMPORT_MAX_ROWS,
    LMS_IMPORT_MAX_CELLS, LMS_IMPORT_MAX_CELL_CHARS; docs/imports.md). Rows count every line
    read, empty ones included, header included; cells count every value read."""

    max_rows: int = 100_000
    max_cells: int = 2_000_000
    max_cell_chars: int = 1_000

    @classmethod
    def from_config(cls, config) -> "TableLimits":
        """The limits an app's configuration sets (defaults for the ones it does not)."""
        names = {f.name: f"LMS_IMPORT_{f.name.upper()}" for f in fields(cls)}
        return cls(**{name: int(config[key]) for name, key in names.items() if config.get(key)})


def _configured_limits() -> TableLimits:
    from flask import current_app, has_app_context

    return TableLimits.from_config(current_app.config) if has_app_context() else TableLimits()


def column_letter(index: int) -> str:
    """The spreadsheet name of the 1-based column `index` (1 → A, 27 → AA)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Reader:
    """Counts rows and cells while a file is streamed and checks each cell, raising TableError
    the moment a limit is passed, so a huge or broken file costs no more than the limits."""

    def __init__(self, limits: TableLimits):
        self.limits, self.rows, self.cells = limits, 0, 0
        self.header: list[str] | None = None

    def _too_many_rows(self) -> TableError:
        return TableError(
            _(
                "The file has more than %(max)s rows (the header and empty rows count too). "
                "Split the file, or delete the empty rows below your data.",
                max=format_number(self.limits.max_rows),
            )
        )

    def _too_many_cells(self) -> TableError:
        return TableError(
            _(
                "The file has more than %(max)s cells. Delete the empty columns and rows around "
                "your data, or split the file.",
                max=format_number(self.limits.max_cells),
            )
        )

    def check_size(self, rows: int | None, columns: int | None) -> None:
        """Refuse a sheet whose declared size already passes the limits."""
        if rows and rows > self.limits.max_rows:
            raise self._too_many_rows()
        if rows and columns and rows * columns > self.limits.max_cells:
            raise self._too_many_cells()

    def _where(self, line: int, column: int) -> str:
        name = ""
        if self.header is not None and column <= len(self.header):
            name = self.header[column - 1].strip()
        if name:
            return _(
                "Line %(line)d, column %(column)s (%(name)s)",
                line=line,
                column=column_letter(column),
                name=name[:60],
            )
        return _("Line %(line)d, column %(column)s", line=line, column=column_letter(column))

    def row(self, line: int, values: list[str]) -> list[str]:
        """Count one row and check its cells; returns them."""
        self.rows += 1
        self.cells += len(values)
        if self.rows > self.limits.max_rows:
            raise self._too_many_rows()
        if self.cells > self.limits.max_cells:
            raise self._too_many_cells()
        for column, value in enumerate(values, start=1):
            if "\x00" in value:
                raise TableError(
                    _(
                        "%(where)s: the cell holds a NUL character, which no text may contain. "
                        "Retype the cell, or save the file again from Excel or LibreOffice.",
                        where=self._where(line, column),
                    )
                )
            if len(value) > self.limits.max_cell_chars:
                raise TableError(
                    _(
                        "%(where)s: the cell has %(length)s characters; at most %(max)s are "
                        "accepted.",
                        where=self._where(line, column),
                        length=format_number(len(value)),
                        max=format_number(self.limits.max_cell_chars),
                    )
                )
        if self.header is None and any(v.strip() for v in values):
            self.header = values
        return values


@dataclass(frozen=True)
class Table:
    """Rows of a sheet: the header as written and each data row with its 1-based line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def _refuse_legacy(text: str) -> None:
    chars = set(text)
    legacy = "TCVN3 (ABC)" if chars & TCVN3_MARKS else None
    if legacy is None and (chars & VNI_MARKS or VNI_PAIRS.search(text)):
        legacy = "VNI"
    if legacy:
        message = _(
            "The text is in the legacy %(encoding)s font encoding, not Unicode. Convert it to "
            "Unicode (e.g. with Unikey's converter), save it again and upload it again.",
            encoding=legacy,
        )
        raise TableError(message)


def _decode(data: bytes) -> str:
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        cp1258 = data.decode("cp1258", errors="replace")
        tone_marks = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
        name = "Windows-1258" if set(cp1258) & tone_marks else "Windows-1252"
        raise TableError(
            _(
                "The file is not UTF-8: it looks like %(encoding)s. Open it in Excel or "
                'LibreOffice, save it again as "CSV UTF-8" and upload it again.',
                encoding=name,
            )
        ) from None
    _refuse_legacy(text)
    return text


def read_csv(data: bytes, limits: TableLimits | None = None) -> Table:
    """Parse UTF-8 CSV (with or without BOM; comma or semicolon separated, as the header row
    shows: data rows may hold decimal commas), row by row within `limits` (TableError at the
    first row or cell past them)."""
    text = _decode(data)
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    checker = _Reader(limits or _configured_limits())
    rows = []
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, checker.row(number, row)))
    except csv.Error:  # a field past csv's own limit (128 KB), or a stray quote at the end
        raise TableError(
            _(
                "Line %(line)d cannot be read: a cell is longer than %(max)s characters, or a "
                "quotation mark is not closed.",
                line=number + 1,
                max=format_number(checker.limits.max_cell_chars),
            )
        ) from None
    return _table(rows)


def _check_xlsx_container(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TableError(_("The file is not a valid XLSX workbook.")) from None
    with archive:
        names = archive.namelist()
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise TableError(_("Workbooks with macros are refused. Save the file as .xlsx."))
        if any(name.startswith("xl/externalLinks/") for name in names):
            raise TableError(
                _(
                    "Workbooks linked to other files are refused. Copy the values "
                    "into the sheet and remove the links."
                )
            )
        if sum(info.file_size for info in archive.infolist()) > XLSX_MAX_UNCOMPRESSED:
            raise TableError(_("The workbook is too large once unpacked."))


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")
_CHUNK = 1 << 20


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The archive path of the workbook's first sheet (the one read), or None."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        sheet = next(e for e in workbook.iter() if e.tag.endswith("}sheet"))
        rid = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(e.get("Target") for e in rels.iter() if e.get("Id") == rid)
    except (KeyError, StopIteration, ParseError, DefusedXmlException):
        return (
            "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in archive.namelist() else None
        )
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _count_tags(archive: zipfile.ZipFile, name: str, pattern: re.Pattern, stop: int) -> int:
    """How many elements `pattern` finds in member `name`, read 1 MB at a time; stops counting
    past `stop` (so a sheet of millions of rows costs what `stop` rows cost)."""
    count, tail = 0, b""
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            block = tail + chunk
            cut = max(0, len(block) - 16)  # a tag split across two reads is counted once
            count += len(pattern.findall(block, 0, cut))
            tail = block[cut:]
            if count > stop:
                return count
    return count + len(pattern.findall(tail))


def _prescan_xlsx(data: bytes, checker: "_Reader") -> None:
    """Count the first sheet's rows and cells, and the shared strings, in the raw XML before
    openpyxl sees the file: openpyxl reads a whole sheet that declares no size just to measure
    it (a 430 KB file of 3 million rows took a minute), and loads every shared string."""
    limits = checker.limits
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "xl/sharedStrings.xml" in names:
            strings = _count_tags(archive, "xl/sharedStrings.xml", _STRING_TAG, limits.max_cells)
            if strings > limits.max_cells:
                raise checker._too_many_cells()
        sheet = _first_sheet(archive)
        if sheet is None or sheet not in names:
            return
        if _count_tags(archive, sheet, _ROW_TAG, limits.max_rows) > limits.max_rows:
            raise checker._too_many_rows()
        if _count_tags(archive, sheet, _CELL_TAG, limits.max_cells) > limits.max_cells:
            raise checker._too_many_cells()


def read_xlsx(data: bytes, limits: TableLimits | None = None) -> Table:
    """Read the first sheet of an .xlsx workbook (values, not formulas) within `limits`: its
    rows, cells and shared strings are counted in the raw XML first (stopping at the limits),
    then the declared size is checked, then every row and cell as it is read."""
    from openpyxl import load_workbook

    _check_xlsx_container(data)
    checker = _Reader(limits or _configured_limits())
    _prescan_xlsx(data, checker)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise TableError(_("The workbook cannot be read: %(reason)s", reason=str(error))) from None
    try:
        if not workbook.worksheets:
            raise TableError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        checker.check_size(_declared(sheet, "max_row"), _declared(sheet, "max_column"))
        title = workbook.properties.title if workbook.properties else None
        rows = []
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, checker.row(number, [_cell_text(v) for v in values])))
        except TableError:
            raise
        except Exception as error:  # damaged sheet XML
            raise TableError(
                _("The workbook cannot be read: %(reason)s", reason=str(error)[:200])
            ) from None
    finally:
        workbook.close()
    table = _table(rows, title)
    _refuse_legacy("".join("".join(row) for _number, row in table.rows))
    return table


def _declared(sheet, attribute: str) -> int | None:
    """The sheet's size as its <dimension> element declares it (None when it has none)."""
    try:
        value = getattr(sheet, attribute)
    except Exception:  # a damaged dimension: the rows are counted as they are read
        return None
    return value if isinstance(value, int) else None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime from a date cell
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_title(row: list[str], following: list[str], title: str | None) -> bool:
    """A title above the header: one filled cell, either the workbook's title (our exports) or
    followed by a row of several filled cells."""
    filled = [c for c in row if c]
    if len(filled) != 1 or not row[0]:
        return False
    return row[0] == (title or "").strip() or sum(1 for c in following if c) >= 2


def _table(rows: list[tuple[int, list[str]]], title: str | None = None) -> Table:
    rows = [(n, [c.strip() for c in r]) for n, r in rows]
    rows = [(n, r) for n, r in rows if any(r)]
    if len(rows) >= 2 and _is_title(rows[0][1], rows[1][1], title):
        rows = rows[1:]
    if not rows:
        raise TableError(_("The file is empty."))
    (_first, header), data = rows[0], rows[1:]
    return Table(header=header, rows=data)


def read_table(
    filename: str, data: bytes, max_bytes: int, limits: TableLimits | None = None
) -> Table:
    """Read a .csv or .xlsx upload; TableError on a wrong type, size or encoding, on more rows,
    cells or characters in a cell than `limits` (default: the app's settings), or a NUL."""
    if len(data) > max_bytes:
        raise TableError(_("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        return read_csv(data, limits)
    if suffix == ".xlsx":
        return read_xlsx(data, limits)
    if suffix in {".xlsm", ".xls", ".xlsb"}:
        raise TableError(_("Only .csv and .xlsx files are accepted (save the workbook as .xlsx)."))
    raise TableError(_("Only .csv and .xlsx files are accepted."))


def header_key(text: str) -> str:
    """A header without case, diacritics, spaces or underscores ("Mã cán bộ" → "macanbo")."""
    return "".join(ch for ch in vntext.search_key(text) if ch.isalnum())


def unescape_cell(value: str) -> str:
    """Undo the formula guard of `escape_cell`, so that export → import changes nothing."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def escape_cell(value) -> str:
    """Text safe to open in a spreadsheet: a leading = + - @ is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def iter_chunks(items: list, size: int) -> Iterator[list]:
    """Successive slices of `items` of at most `size` elements."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
