"""Exports open well in Vietnamese Excel: each file is read back as Excel would show it. XLSX:
the named sheet, the title row (what, which unit, which day), the header frozen under it, the
column widths, numbers as numbers, text cells guarded against formulas, the unit in the file
name. CSV: `;` between columns and the decimal comma in Vietnamese, `,` and the point in
English; the formula guard kept; the importers read the files back."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lms.common import exporter
from lms.common.tabular import read_table
from lms.curricula.completions.importer import parse_number
from lms.curricula.ledger import services as ledger
from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_cycle, make_official, make_target

DAY = date(2026, 11, 26)


@pytest.fixture
def cycle(world, freeze):
    freeze(DAY)
    cycle = make_cycle(2026)
    people = [
        make_official("C-001", "Trần Thị Ánh", "SNV-CCVC"),
        make_official("C-002", "Lê Văn Bình", "P-HAICHAU", gender="male"),
        make_official("C-003", '=HYPERLINK("http://x") Phước', "P-HAICHAU", gender="male"),
    ]
    for official, earned in zip(people, ("3", "1.5", "0"), strict=True):
        make_target(official, cycle, "3.5")
        if Decimal(earned):
            entry = ledger.NewEntry(official.id, date(2026, 2, 1), Decimal(earned), "manual", "Lớp")
            ledger.append(entry)
    db.session.commit()
    return cycle


def _compliance(client, fmt: str, unit: str = "P-HAICHAU"):
    token = csrf_token(client, "/compliance/export?cycle=2026")
    response = client.post(
        f"/compliance/export?cycle=2026&unit={unit}",
        data={"csrf_token": token, "reason": "Báo cáo quý IV", "fmt": fmt},
    )
    assert response.status_code == 200
    return response


def _filename(response) -> str:
    found = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"])
    return found.group(1)


def test_the_compliance_workbook_reads_well_in_excel(login_as, cycle):
    response = _compliance(login_as("hr"), "xlsx")
    assert _filename(response) == "tuan-thu-2026-P-HAICHAU-20261126.xlsx"
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Tuân thủ 2026"]
    sheet = workbook.active
    title = sheet["A1"].value
    assert title.startswith("Báo cáo tuân thủ chu kỳ 2026, tính đến ngày 26/11/2026")
    assert "Ủy ban nhân dân phường Hải Châu (P-HAICHAU)" in title
    assert title.endswith("xuất ngày 26/11/2026") and sheet["A1"].font.b
    header = [cell.value for cell in sheet[2]]
    assert header[:3] == ["Mã cán bộ", "Họ và tên", "Giới tính"]
    assert header[8:11] == ["Chỉ tiêu (TC)", "Đã đạt (TC)", "Còn thiếu (TC)"]
    assert sheet.freeze_panes == "A3"  # title and header stay in view while scrolling
    assert sheet.auto_filter.ref.startswith("A2:")
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"C-002", "C-003", "T-LEARN"}
    assert rows["C-002"][8:11] == (3.5, 1.5, 2.0)  # numbers Excel can add up
    assert sheet.cell(row=3, column=9).data_type == "n"
    assert rows["C-003"][1] == '\'=HYPERLINK("http://x") Phước'  # shown as text, never run
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert len(widths) == len(header) and all(8 <= w <= 60 for w in widths.values())
    assert widths["B"] >= len('=HYPERLINK("http://x") Phước')  # the name column fits names
    assert widths["E"] >= len("Ủy ban nhân dân phường Hải Châu")


def test_the_compliance_csv_uses_the_vietnamese_list_separator_and_decimal_comma(login_as, cycle):
    response = _compliance(login_as("hr"), "csv")
    assert _filename(response) == "tuan-thu-2026-P-HAICHAU-20261126.csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8
    text = response.get_data(as_text=True).lstrip("\ufeff")
    assert text.splitlines()[0].startswith("Mã cán bộ;Họ và tên;Giới tính;")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows["C-002"][8:11] == ["3,5", "1,5", "2"]
    assert rows["C-003"][1] == '\'=HYPERLINK("http://x") Phước'
    # fourteen columns, then the programmes required and held (issue 25)
    assert all(len(row) == 16 for row in rows.values())


def test_in_english_the_csv_uses_commas_and_the_decimal_point(login_as, cycle, english):
    response = _compliance(login_as("hr"), "csv")
    text = response.get_data(as_text=True).lstrip("\ufeff")
    assert text.splitlines()[0].startswith("Employee code,Full name,Gender,")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["C-002"][8:11] == ["3.5", "1.5", "2"]
    sheet = load_workbook(io.BytesIO(_compliance(login_as("hr"), "xlsx").data)).active
    assert sheet.title == "Compliance 2026" and sheet["A1"].value.startswith("Compliance, cycle")


def test_the_whole_scope_is_named_by_its_top_unit(login_as, cycle):
    response = _compliance(login_as("hr"), "xlsx", unit="")
    assert _filename(response) == "tuan-thu-2026-DN-20261126.xlsx"
    reviewer = _compliance(login_as("reviewer"), "csv", unit="")  # over SNV
    assert _filename(reviewer) == "tuan-thu-2026-SNV-20261126.csv"


def test_the_registry_export_is_titled_named_and_imports_again(login_as, cycle):
    client = login_as("hr")
    token = csrf_token(client, "/officials/export")
    response = client.post(
        "/officials/export?unit_code=p-haichau",
        data={"csrf_token": token, "reason": "Rà soát", "fmt": "xlsx"},
    )
    assert _filename(response) == "officials-P-HAICHAU-20261126.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Cán bộ, công chức" and sheet.freeze_panes == "A3"
    assert sheet["A1"].value.startswith("Danh sách cán bộ — Ủy ban nhân dân phường Hải Châu")
    assert sheet["A2"].value == "Mã cán bộ"
    table = read_table("officials.xlsx", response.data, 10**7)  # the title row is skipped
    assert table.header[0] == "Mã cán bộ"
    assert sorted(row[0] for _line, row in table.rows) == ["C-002", "C-003", "T-LEARN"]

    csv_response = client.post(
        "/officials/export?unit_code=P-HAICHAU",
        data={"csrf_token": token, "reason": "Rà soát", "fmt": "csv"},
    )
    assert _filename(csv_response) == "officials-P-HAICHAU-20261126.csv"
    again = read_table("officials.csv", csv_response.data, 10**7)
    assert again.header == table.header and len(again.rows) == 3


def test_the_audit_csv_and_import_templates_follow_the_same_form(login_as, cycle):
    admin = login_as("admin")
    audit = admin.get("/manage/audit/export.csv")
    assert _filename(audit) == "nhat-ky-20261126.csv"
    assert audit.get_data(as_text=True).lstrip("\ufeff").startswith("Thời gian;Tên đăng nhập;")
    template = login_as("hr").get("/completions/import/template.csv")
    assert _filename(template) == "completions-template-20261126.csv"
    table = read_table("mau.csv", template.data, 10**6)
    score = table.header.index("Điểm")
    assert table.rows[0][1][score] == "8,5"
    assert parse_number("8,5", "score", Decimal(100)) == Decimal("8.5")
    workbook = load_workbook(io.BytesIO(login_as("hr").get("/officials/import/template.xlsx").data))
    assert workbook.active["A1"].value.startswith("Mẫu nhập danh sách cán bộ")
    assert workbook.active.freeze_panes == "A3"


def test_sheet_names_and_file_names_are_what_excel_and_browsers_accept(app):
    assert exporter.sheet_name("Tuân thủ: 2026/2027 [SNV]?") == "Tuân thủ  2026 2027  SNV"
    assert exporter.sheet_name("x" * 40) == "x" * 31 and exporter.sheet_name("") == "Sheet1"
    export = exporter.Export("tuan-thu", "a", "b", ["x"], [], unit_code='P-HẢI"CHÂU/..')
    with app.test_request_context():
        assert re.fullmatch(r"tuan-thu-P-HICHU-\d{8}\.csv", export.filename("csv"))


def test_the_cli_export_writes_the_same_workbook(app, cycle, tmp_path):
    out = tmp_path / "ds.xlsx"
    result = app.test_cli_runner().invoke(args=["officials", "export", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet.title == "Cán bộ, công chức" and sheet.freeze_panes == "A3"
    assert sheet["A1"].value.startswith("Danh sách cán bộ — Ủy ban nhân dân thành phố Đà Nẵng (DN)")
    assert sheet["A2"].value == "Mã cán bộ"
    out_csv = tmp_path / "ds.csv"
    app.test_cli_runner().invoke(args=["officials", "export", str(out_csv)])
    assert out_csv.read_text(encoding="utf-8-sig").startswith("Mã cán bộ;Họ và tên;")


def test_an_officials_ledger_downloads_for_excel_and_the_read_is_audited(login_as, cycle):
    from sqlalchemy import select

    from lms.audit.models import AuditEntry

    hr = login_as("hr")
    page = hr.get("/officials/C-002/ledger").get_data(as_text=True)
    assert "/officials/C-002/ledger.xlsx" in page and "/officials/C-002/ledger.csv" in page
    response = hr.get("/officials/C-002/ledger.xlsx")
    assert _filename(response) == "ledger-C-002-P-HAICHAU-20261126.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Sổ tín chỉ" and sheet.freeze_panes == "A3"
    assert sheet["A1"].value.startswith("Sổ tín chỉ: Lê Văn Bình (C-002) — Ủy ban nhân dân")
    assert [c.value for c in sheet[2]][:6] == ["Chu kỳ", "#", "Ngày", "Mã khóa học"] + [
        sheet["E2"].value,
        "Số tín chỉ",
    ]
    row = [c.value for c in sheet[3]]
    assert row[0] == 2026 and row[1] == 1 and row[5] == 1.5 and row[4] == "Lớp"
    assert sheet["C3"].is_date and sheet["C3"].number_format == "DD/MM/YYYY"
    assert row[2].date() == date(2026, 2, 1)

    text = hr.get("/officials/C-002/ledger.csv").get_data(as_text=True).lstrip("\ufeff")
    line = next(csv.reader(io.StringIO(text.splitlines()[1]), delimiter=";"))
    assert line[:3] == ["2026", "1", "01/02/2026"] and line[5] == "1,5"

    formats = db.session.scalars(
        select(AuditEntry.after).where(AuditEntry.action == "ledger.viewed").order_by(AuditEntry.id)
    ).all()
    assert [f.get("format") for f in formats] == [None, "xlsx", "csv"]
    assert login_as("reviewer").get("/officials/C-002/ledger.xlsx").status_code == 404  # SNV
    assert hr.get("/officials/C-002/ledger.pdf").status_code == 404
