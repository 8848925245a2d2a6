"""Hostile import files and how fast they are refused: a 430 KB XLSX holding 3 million rows
(with and without the <dimension> that declares them), a CSV of 3 million short lines, a sheet
of 16,384 columns. Each must be refused within a second or two, far inside gunicorn's 60 s.

    .venv/bin/python -m bench.bad_files

The generators are also used by the tests (tests/unit/test_common_tabular.py, the import pages).
"""

import io
import time
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx_with_rows(
    rows: int,
    *,
    dimension: str | None = None,
    columns: int = 1,
    text: str = "x",
    header: list[str] | None = None,
) -> bytes:
    """An .xlsx of `header` (if any) then `rows` rows of `columns` cells holding `text`, written
    straight into the archive (no workbook in memory): 3 million rows make about 430 KB.
    `dimension` ("A1:A3000001") is the size the sheet declares; None declares none."""
    cell = f'<c t="inlineStr"><is><t>{_escape(text)}</t></is></c>'
    row = ("<row>" + cell * columns + "</row>").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            declared = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    f'openxmlformats.org/spreadsheetml/2006/main">{declared}<sheetData>'
                ).encode()
            )
            if header:
                cells = "".join(
                    f'<c t="inlineStr"><is><t>{_escape(h)}</t></is></c>' for h in header
                )
                sheet.write(f"<row>{cells}</row>".encode())
            block = 10_000
            for _ in range(rows // block):
                sheet.write(row * block)
            sheet.write(row * (rows % block))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def csv_with_rows(rows: int) -> bytes:
    """A CSV of a header and `rows` short lines (3 million make about 12 MB)."""
    return b"employee_code,full_name\n" + b"DN1,x\n" * rows


def measure() -> list[tuple[str, int, float, float, str]]:
    """(case, file size, CPU seconds and wall seconds to refusal, message) for each hostile
    file, with the app's default limits."""
    from lms import create_app
    from lms.common.tabular import TableError, read_table

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    cases = [
        ("xlsx, 3,000,000 rows, no dimension", "a.xlsx", xlsx_with_rows(3_000_000)),
        (
            "xlsx, 3,000,000 rows, declared",
            "a.xlsx",
            xlsx_with_rows(3_000_000, dimension="A1:A3000000"),
        ),
        ("xlsx, 200 rows x 16,384 columns", "a.xlsx", xlsx_with_rows(200, columns=16_384)),
        ("csv, 3,000,000 lines", "a.csv", csv_with_rows(3_000_000)),
    ]
    results = []
    with app.app_context():
        for name, filename, data in cases:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                read_table(filename, data, app.config["LMS_IMPORT_MAX_BYTES"])
                message = "ACCEPTED"
            except TableError as error:
                message = str(error)
            results.append(
                (
                    name,
                    len(data),
                    time.process_time() - cpu,
                    time.perf_counter() - started,
                    message,
                )
            )
    return results


def main() -> None:
    print(f"{'file':40} {'size':>9}    {'CPU':>6}   {'wall':>6}  refusal")
    for name, size, cpu, wall, message in measure():
        print(f"{name:40} {size / 1024:6.0f} KB {cpu:6.2f} s {wall:6.2f} s  {message[:60]}")


if __name__ == "__main__":
    main()
