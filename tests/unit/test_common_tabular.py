"""Reading uploads safely: encodings named and refused, XLSX traps refused, formulas escaped."""

import io
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from lms.common.exporter import CSV_EN, CSV_VI, Export, csv_bytes, xlsx_bytes
from lms.common.tabular import TableError, escape_cell, read_table, unescape_cell

ROWS = "Mã cán bộ,Họ và tên\nDN1,Nguyễn Văn Đức\n"
LIMIT = 1024 * 1024


def to_cp1258(text: str) -> bytes:
    """Vietnamese the way Windows-1258 stores it: base letters precomposed, tones combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


def test_utf8_with_and_without_bom_reads_the_same():
    plain = read_table("a.csv", ROWS.encode(), LIMIT)
    bom = read_table("a.csv", b"\xef\xbb\xbf" + ROWS.encode(), LIMIT)
    assert plain == bom
    assert plain.header == ["Mã cán bộ", "Họ và tên"] and plain.rows == [
        (2, ["DN1", "Nguyễn Văn Đức"])
    ]


def test_semicolon_separated_csv_is_understood():
    table = read_table("a.csv", ROWS.replace(",", ";").encode(), LIMIT)
    assert table.rows[0][1] == ["DN1", "Nguyễn Văn Đức"]


def test_windows_1258_is_refused_by_name():
    with pytest.raises(TableError, match="Windows-1258"):
        read_table("a.csv", to_cp1258(ROWS), LIMIT)


def test_windows_1252_is_refused_by_name():
    with pytest.raises(TableError, match="Windows-1252"):
        read_table("a.csv", "Mã,Tên\n1,Aö Ü\n".encode("cp1252"), LIMIT)


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Mã cán bộ,Họ và tên\nDN1,NguyÔn V¨n §øc\n", "TCVN3"),
        ("Mã cán bộ,Họ và tên\nDN1,Nguyeãn Vaên An\n", "VNI"),
        ("Mã cán bộ,Họ và tên\nDN1,Traàn Thò Ñöùc\n", "VNI"),
    ],
)
def test_legacy_font_encodings_saved_as_utf8_are_refused(text, encoding):
    with pytest.raises(TableError, match=encoding):
        read_table("a.csv", text.encode(), LIMIT)


def test_oversize_and_wrong_types_are_refused():
    with pytest.raises(TableError, match="MB"):
        read_table("a.csv", b"x" * (LIMIT + 1), LIMIT)
    with pytest.raises(TableError, match=".xlsx"):
        read_table("a.xlsm", b"PK", LIMIT)
    with pytest.raises(TableError):
        read_table("a.pdf", b"%PDF", LIMIT)
    with pytest.raises(TableError):
        read_table("a.xlsx", b"not a zip", LIMIT)
    with pytest.raises(TableError):
        read_table("a.csv", b"\n\n", LIMIT)


def _xlsx(rows, extra: dict | None = None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def test_xlsx_values_are_read_as_text():
    import datetime

    data = _xlsx([["Mã cán bộ", "Ngày sinh", "Số"], ["DN1", datetime.datetime(1990, 2, 3), 42.0]])
    table = read_table("a.xlsx", data, LIMIT)
    assert table.rows == [(2, ["DN1", "1990-02-03", "42"])]


def test_macro_and_linked_workbooks_are_refused():
    with pytest.raises(TableError, match="macro"):
        read_table("a.xlsx", _xlsx([["a"]], {"xl/vbaProject.bin": b"x"}), LIMIT)
    with pytest.raises(TableError, match="liên kết"):
        read_table("a.xlsx", _xlsx([["a"]], {"xl/externalLinks/externalLink1.xml": "<x/>"}), LIMIT)


@pytest.mark.parametrize("value", ["=1+1", "+84905", "-2", "@SUM(A1)", '=HYPERLINK("x")'])
@pytest.mark.parametrize("form", [CSV_VI, CSV_EN])
def test_formula_like_cells_are_escaped_and_come_back_unchanged(app, value, form):
    assert escape_cell(value).startswith("'")
    assert unescape_cell(escape_cell(value)) == value
    export = Export("x", "Sheet", "Title", ["a", "b"], [[value, "x"]])
    assert read_table("a.csv", csv_bytes(export, form), LIMIT).rows[0][1] == [
        escape_cell(value),
        "x",
    ]
    export = Export("x", "Sheet", "Title", ["a"], [[value]])  # one column: the title is known
    assert read_table("a.xlsx", xlsx_bytes(export), LIMIT).rows[0][1] == [escape_cell(value)]


def test_plain_text_is_not_escaped():
    assert escape_cell("Nguyễn Văn An") == "Nguyễn Văn An" and unescape_cell("'abc") == "'abc"


# --- Bad files fail fast (issue 18): limits checked while streaming ------------------------


def _refusal(filename: str, data: bytes, **limits) -> str:
    from lms.common.tabular import TableLimits

    with pytest.raises(TableError) as refused:
        read_table(filename, data, 64 * LIMIT, TableLimits(**limits) if limits else None)
    return str(refused.value)


def test_a_430_kb_xlsx_holding_three_million_rows_is_refused_at_the_row_limit(monkeypatch):
    """No <dimension>: openpyxl alone would read all 3 million rows to measure the sheet
    (a minute of a worker); the raw count stops at the limit. bench/bad_files.py times it."""
    from bench.bad_files import xlsx_with_rows

    data = xlsx_with_rows(3_000_000)
    assert len(data) < 450 * 1024
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened a file past the limits")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    message = _refusal("roster.xlsx", data)  # the app's limits: 100.000 rows
    assert "100.000" in message and "tách tệp" in message


def test_a_sheet_declaring_too_many_rows_or_cells_is_refused_before_its_rows_are_read():
    from bench.bad_files import xlsx_with_rows

    declared = xlsx_with_rows(10, dimension="A1:A3000000")
    assert "100.000" in _refusal("a.xlsx", declared)
    wide = xlsx_with_rows(10, dimension="A1:XFD200")  # 16.384 columns × 200 rows
    assert "2.000" in _refusal("a.xlsx", wide, max_cells=2_000)


def test_rows_and_cells_past_the_limits_are_refused_in_csv_and_xlsx():
    from bench.bad_files import csv_with_rows, xlsx_with_rows

    assert "50" in _refusal("a.csv", csv_with_rows(60), max_rows=50)
    read_table("a.csv", csv_with_rows(49), LIMIT)  # within: read as usual
    assert "50" in _refusal("a.xlsx", xlsx_with_rows(60, header=["a"]), max_rows=50)
    wide = xlsx_with_rows(10, columns=30)
    assert "200" in _refusal("a.xlsx", wide, max_cells=200)
    assert "200" in _refusal("a.csv", (("a," * 29 + "a\n") * 10).encode(), max_cells=200)


def test_a_nul_character_is_refused_naming_its_line_and_column():
    data = "Mã cán bộ,Họ và tên\nDN1,Nguyễn Văn Đức\nDN2,Lê\x00Thị\n".encode()
    message = _refusal("a.csv", data)
    assert message.startswith("Dòng 3, cột B (Họ và tên)") and "NUL" in message


def test_an_over_long_cell_is_refused_naming_its_line_column_and_length():
    data = f"Mã cán bộ,Họ và tên\nDN1,{'a' * 1001}\n".encode()
    message = _refusal("a.csv", data)
    assert message.startswith("Dòng 2, cột B (Họ và tên)") and "1.001" in message
    assert "1.000" in message
    from bench.bad_files import xlsx_with_rows

    sheet = xlsx_with_rows(3, text="b" * 50, header=["Mã cán bộ"])
    assert _refusal("a.xlsx", sheet, max_cell_chars=40).startswith("Dòng 2, cột A (Mã cán bộ)")
    # past csv's own field limit (128 KB): a message, not a crash
    huge = b"a,b\n1," + b"x" * 200_000 + b"\n"
    assert "dòng 2" in _refusal("a.csv", huge)
