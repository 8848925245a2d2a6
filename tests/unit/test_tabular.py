"""Reading uploads safely: encodings named and refused, XLSX traps refused, formulas escaped."""

import io
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from lms.common.tabular import (
    TableError,
    escape_cell,
    read_table,
    unescape_cell,
    write_csv,
    write_xlsx,
)

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
def test_formula_like_cells_are_escaped_and_come_back_unchanged(value):
    assert escape_cell(value).startswith("'")
    assert unescape_cell(escape_cell(value)) == value
    csv_bytes = write_csv(["a"], [[value]])
    assert read_table("a.csv", csv_bytes, LIMIT).rows[0][1] == [escape_cell(value)]
    xlsx_bytes = write_xlsx(["a"], [[value]])
    assert read_table("a.xlsx", xlsx_bytes, LIMIT).rows[0][1] == [escape_cell(value)]


def test_plain_text_is_not_escaped():
    assert escape_cell("Nguyễn Văn An") == "Nguyễn Văn An" and unescape_cell("'abc") == "'abc"
