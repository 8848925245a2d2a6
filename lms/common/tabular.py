"""Reading and writing spreadsheets safely: CSV (UTF-8 only, legacy Vietnamese encodings named
and refused) and XLSX (no macros, no external links, bounded size); exports escape formulas.

Domain-free: callers map headers to their own columns.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lms.common import vntext
from lms.i18n import _

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


def read_csv(data: bytes) -> Table:
    """Parse UTF-8 CSV (with or without BOM; comma or semicolon separated)."""
    text = _decode(data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(number, row) for number, row in enumerate(reader, start=1)]
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


def read_xlsx(data: bytes) -> Table:
    """Read the first sheet of an .xlsx workbook (values, not formulas)."""
    from openpyxl import load_workbook

    _check_xlsx_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise TableError(_("The workbook cannot be read: %(reason)s", reason=str(error))) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell_text(v) for v in values]))
    finally:
        workbook.close()
    table = _table(rows)
    _refuse_legacy("".join("".join(row) for _number, row in table.rows))
    return table


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


def _table(rows: list[tuple[int, list[str]]]) -> Table:
    rows = [(n, [c.strip() for c in r]) for n, r in rows]
    rows = [(n, r) for n, r in rows if any(r)]
    if not rows:
        raise TableError(_("The file is empty."))
    (_first, header), data = rows[0], rows[1:]
    return Table(header=header, rows=data)


def read_table(filename: str, data: bytes, max_bytes: int) -> Table:
    """Read a .csv or .xlsx upload; TableError on a wrong type, size or encoding."""
    if len(data) > max_bytes:
        raise TableError(_("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        return read_csv(data)
    if suffix == ".xlsx":
        return read_xlsx(data)
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


def _typed(value):
    """Numbers stay numbers (a negative one is no formula); everything else is escaped text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value) if isinstance(value, Decimal) else value
    return escape_cell(value)


def write_csv(header: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel shows Vietnamese), every text cell escaped."""
    return b"".join(stream_csv(header, rows))


def stream_csv(header: list[str], rows: Iterable[list], batch: int = 500) -> Iterator[bytes]:
    """The same CSV as write_csv, yielded a few hundred rows at a time (for a whole city)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_cell(h) for h in header])
    yield BOM + buffer.getvalue().encode("utf-8")
    for chunk in _batched(rows, batch):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([[_typed(c) for c in row] for row in chunk])
        yield buffer.getvalue().encode("utf-8")


def _batched(rows: Iterable[list], size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_xlsx(header: list[str], rows: Iterable[list], title: str = "Sheet1") -> bytes:
    """An .xlsx workbook (one sheet): numbers as numbers, every other cell as escaped text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([escape_cell(h) for h in header])
    for row in rows:
        sheet.append([_typed(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def iter_chunks(items: list, size: int) -> Iterator[list]:
    """Successive slices of `items` of at most `size` elements."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
