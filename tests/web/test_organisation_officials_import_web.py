"""The import pages as HR uses them: upload, checked preview, confirm; templates and export;
and the CLI with its exit codes."""

import io
import time

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.services.test_organisation_officials_import import person, to_xlsx
from tests.unit.test_common_tabular import to_cp1258

HEADER = "Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Loại,Mã đơn vị,Mã VTVL,Mã ngạch,Ngày bổ nhiệm"


def _upload(client, data: bytes, name: str, **fields):
    token = csrf_token(client, "/officials/import")
    return client.post(
        "/officials/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Official))


def test_upload_check_and_confirm(login_as, world, db):
    client = login_as("hr")
    before = _count(db)
    response = _upload(client, to_xlsx([person(n) for n in range(12)]), "danh-sach.xlsx")
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert "danh-sach.xlsx" in preview and ">12<" in preview
    assert _count(db) == before  # nothing written by the check
    token = csrf_token(client, response.location)
    done = client.post(response.location, data={"csrf_token": token}, follow_redirects=True)
    assert "Đã nhập xong: 12 người mới" in done.get_data(as_text=True)
    assert _count(db) == before + 12


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(login_as, world, db):
    client = login_as("hr")
    rows = [person(1), person(2, unit="NO-UNIT"), person(3, born="31/02/2025")]
    response = _upload(client, to_xlsx(rows), "f.xlsx")
    page = client.get(response.location).get_data(as_text=True)
    assert "NO-UNIT" in page and "31/02/2025" in page
    token = csrf_token(client, response.location)
    client.post(response.location, data={"csrf_token": token})
    assert _count(db) == 4  # the world's officials only
    report = client.get(response.location.rstrip("/") + "/report.xlsx")
    sheet = load_workbook(io.BytesIO(report.data)).active
    lines = [row for row in sheet.iter_rows(values_only=True)][2:]  # title, header
    assert {str(line[0]) for line in lines if line[2]} == {"3", "4"}
    client.post(response.location, data={"csrf_token": token, "valid_only": "y"})
    assert _count(db) == 5


def test_a_windows_1258_file_is_refused_with_a_clear_message(login_as, world, db):
    client = login_as("hr")
    data = to_cp1258(HEADER + "\nX1,Nguyễn Văn Đức,Nam,,công chức,SNV,LD-TP,,\n")
    response = _upload(client, data, "cu.csv")
    assert response.status_code == 200
    assert "Windows-1258" in response.get_data(as_text=True) and _count(db) == 4


def test_only_the_uploader_sees_an_import(login_as, world, db, app):
    response = _upload(login_as("hr"), to_xlsx([person(1)]), "f.xlsx")
    other = login_as("admin")
    assert other.get(response.location).status_code == 404
    assert other.get("/officials/import/..%2F..%2Fetc").status_code == 404


def test_large_files_are_checked_and_imported_in_the_background(login_as, world, db, app):
    app.config["LMS_IMPORT_INLINE_ROWS"] = 5
    try:
        client = login_as("hr")
        response = _upload(client, to_xlsx([person(n) for n in range(40)]), "big.xlsx")
        _wait(client, response.location, "Đang kiểm tra tệp")
        token = csrf_token(client, response.location)
        client.post(response.location, data={"csrf_token": token})
        _wait(client, response.location, "Đang nhập dữ liệu")
        assert _count(db) == 44
    finally:
        app.config["LMS_IMPORT_INLINE_ROWS"] = 2000


def _wait(client, url: str, busy_text: str) -> None:
    for _ in range(100):
        page = client.get(url).get_data(as_text=True)
        if busy_text not in page and 'http-equiv="refresh"' not in page:
            return
        time.sleep(0.1)
    pytest.fail("the background import did not finish")


def test_templates_and_export_use_the_import_columns(login_as, world):
    client = login_as("hr")
    template = client.get("/officials/import/template.csv")
    assert template.data.decode("utf-8-sig").startswith("Mã cán bộ;Họ và tên")
    export = client.post(
        "/officials/export?unit_code=P-HAICHAU",
        data={
            "csrf_token": csrf_token(client, "/officials/export"),
            "reason": "kiểm tra",
            "fmt": "xlsx",
        },
    )
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Mã cán bộ" and [r[0] for r in rows[2:]] == ["T-LEARN"]  # under the title


def test_the_reviewer_cannot_export_or_import(login_as):
    client = login_as("reviewer")
    assert client.get("/officials/export").status_code == 403
    assert client.get("/officials/import").status_code == 403


def test_cli_dry_run_reports_and_exits_non_zero_on_errors(runner, world, db, tmp_path):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(to_xlsx([person(1), person(2)]))
    bad.write_bytes(to_xlsx([person(3), person(4, unit="NO-UNIT")]))
    result = runner.invoke(args=["officials", "import", str(bad), "--dry-run"])
    assert result.exit_code != 0 and "NO-UNIT" in result.output
    assert runner.invoke(args=["officials", "import", str(good), "--dry-run"]).exit_code == 0
    assert _count(db) == 4
    first = runner.invoke(args=["officials", "import", str(good)])
    assert first.exit_code == 0 and "2" in first.output
    again = runner.invoke(args=["officials", "import", str(good)])
    assert again.exit_code == 0 and "No change" in again.output


def test_cli_units_and_positions_import_are_idempotent(runner, db, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text(
        "org_code,org_name,org_type,level,parent_code\n"
        "X-B,Phòng B,phong,tinh,X-A\nX-A,Sở A,so,tinh,\n",
        encoding="utf-8",
    )
    first = runner.invoke(args=["units", "import", str(units)])
    assert first.exit_code == 0 and "2 new" in first.output
    assert "2 unchanged" in runner.invoke(args=["units", "import", str(units)]).output
    loop = tmp_path / "loop.csv"
    loop.write_text(
        "org_code,org_name,org_type,parent_code\nL1,A,so,L2\nL2,B,so,L1\n", encoding="utf-8"
    )
    assert runner.invoke(args=["units", "import", str(loop)]).exit_code != 0
    positions = tmp_path / "positions.csv"
    positions.write_text(
        "pos_code,pos_name,group_decree62\nP1,Chuyên viên,chuyen_mon\n", encoding="utf-8"
    )
    assert "1 new" in runner.invoke(args=["positions", "import", str(positions)]).output


def test_a_background_check_writes_the_report_in_the_uploaders_language(login_as, world, app):
    app.config["LMS_IMPORT_INLINE_ROWS"] = 1
    try:
        client = login_as("hr")
        token = csrf_token(client, "/auth/password")
        client.post("/locale/en", data={"csrf_token": token})
        response = _upload(client, to_xlsx([person(1), person(2, unit="NO-UNIT")]), "f.xlsx")
        _wait(client, response.location, "Checking the file")
        assert "Unknown unit NO-UNIT." in client.get(response.location).get_data(as_text=True)
    finally:
        app.config["LMS_IMPORT_INLINE_ROWS"] = 2000


def test_an_export_of_100_officials_writes_one_audit_entry_with_reason_and_count(
    login_as, world, db
):
    from lms.audit.models import AuditEntry
    from tests.factories import make_official

    for number in range(96):
        make_official(f"E{number:03d}", f"Phan Thị Thu{number}")
    db.session.commit()
    client = login_as("hr")
    token = csrf_token(client, "/officials/export")
    refused = client.post("/officials/export", data={"csrf_token": token, "fmt": "csv"})
    assert refused.status_code == 200 and refused.mimetype == "text/html"
    response = client.post(
        "/officials/export",
        data={"csrf_token": token, "reason": "Rà soát đánh giá năm 2026", "fmt": "csv"},
    )
    assert response.data.decode("utf-8-sig").count("\n") == 101  # header + 100 officials
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "officials.exported")
    ).all()
    assert len(entries) == 1
    assert entries[0].actor_id == world["hr"].id
    assert entries[0].after["reason"] == "Rà soát đánh giá năm 2026"
    assert entries[0].after["count"] == 100


def test_opening_a_profile_is_logged(login_as, world, db):
    from lms.audit.models import AuditEntry

    login_as("hr").get("/officials/T-LEARN")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "official.viewed"))
    assert (entry.actor_id, entry.object_id) == (world["hr"].id, "T-LEARN")


def test_an_official_downloads_their_own_data(login_as, world):
    import json

    client = login_as("learner")
    login_as("hr").get("/officials/T-LEARN")
    data = json.loads(client.get("/me/data.json").data)
    assert data["official"]["employee_code"] == "T-LEARN"
    assert data["official"]["assignments"][0]["unit_code"] == "P-HAICHAU"
    assert {"by": "hr", "action": "official.viewed"}.items() <= data["processing_log"][-1].items()
    pdf = client.get("/me/data.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
