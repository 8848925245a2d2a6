"""Officials import: dry run first, one transaction, idempotent, moves become dated history."""

import io
import unicodedata
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.common.exporter import csv_table as write_csv
from lms.common.tabular import read_table
from lms.organisation import exports, imports
from lms.organisation.models import Official, PositionAssignment
from tests.factories import make_units

HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Loại",
    "Mã đơn vị",
    "Mã VTVL",
    "Mã ngạch",
    "Ngày bổ nhiệm",
    "Email",
    "Điện thoại",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đạt", "Hà", "Hương", "Minh"]


def person(number: int, unit: str = "SNV-CCVC", position: str = "CM-CCVC", **changes) -> list:
    row = {
        "code": f"HR{number:05d}",
        "name": f"{FAMILY[number % 5]} Văn {GIVEN[number % 8]}",
        "gender": "Nam" if number % 2 else "Nữ",
        "born": "15/03/1988",
        "category": "công chức",
        "unit": unit,
        "position": position,
        "rank": "01.003",
        "started": "01/02/2021",
        "email": f"hr{number}@danang.gov.vn",
        "phone": f"0905{number:06d}",
        **changes,
    }
    return list(row.values())


def to_xlsx(rows: list[list], header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan(data: bytes, name: str = "f.xlsx", scope=None, **options):
    return imports.plan_officials(read_table(name, data, 50 * 1024 * 1024), scope, **options)


def run(data: bytes, name: str = "f.xlsx", db=None, **options):
    result = plan(data, name, **options)
    counts = imports.apply_plan(result, actor=None)
    db.session.commit()
    return result, counts


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def units(db):
    make_units()
    db.session.commit()


def test_a_clean_500_row_workbook_imports_then_reimports_as_no_change(units, db):
    data = to_xlsx([person(n, unit="P-HAICHAU" if n % 3 else "SNV-CCVC") for n in range(500)])
    first, counts = run(data, db=db)
    assert first.summary()["create"] == 500 and counts["created"] == 500
    assert count(db, Official) == 500 and count(db, PositionAssignment) == 500
    audit_before = count(db, AuditEntry)
    second, counts = run(data, db=db)
    assert second.summary()["unchanged"] == 500
    assert counts == {
        "created": 0,
        "updated": 0,
        "moved": 0,
        "left": 0,
        "accounts_disabled": 0,
        "skipped": 0,
    }
    assert count(db, AuditEntry) == audit_before and count(db, PositionAssignment) == 500


def test_csv_with_bom_and_english_headers_imports(units, db):
    header = [
        "employee_code",
        "full_name",
        "gender",
        "date_of_birth",
        "category",
        "unit_code",
        "position_code",
        "rank_code",
        "started_on",
        "email",
        "phone",
    ]
    data = write_csv(header, [person(1, gender="Male", category="cong chuc", born="1988-03-15")])
    assert data.startswith(b"\xef\xbb\xbf")
    _result, counts = run(data, "f.csv", db=db)
    official = db.session.scalar(select(Official))
    assert counts["created"] == 1
    assert (official.gender, official.category, official.date_of_birth) == (
        "male",
        "cong_chuc",
        date(1988, 3, 15),
    )


def test_nfd_and_look_alike_names_are_stored_nfc(units, db):
    name = unicodedata.normalize("NFD", "Nguyễn Văn ") + "\u00d0ức"
    run(to_xlsx([person(1, name=name)]), db=db)
    assert db.session.scalar(select(Official.full_name)) == "Nguyễn Văn Đức"


@pytest.mark.parametrize(
    "change, column, text",
    [
        ({"unit": "NO-UNIT"}, "unit_code", "NO-UNIT"),
        ({"position": "NO-POS"}, "position_code", "NO-POS"),
        ({"rank": "99.999"}, "rank_code", "99.999"),
        ({"born": "31/02/2025"}, "date_of_birth", "31/02/2025"),
        ({"gender": "X"}, "gender", "Nam"),
        ({"name": ""}, "full_name", ""),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(units, db, change, column, text):
    result = plan(to_xlsx([person(1), person(2, **change), person(3)]))
    bad = [row for row in result.rows if row.errors]
    assert [row.line for row in bad] == [3]
    assert bad[0].errors[0][0] == column and text in bad[0].errors[0][1]
    with pytest.raises(ValueError):
        imports.apply_plan(result, actor=None)
    assert count(db, Official) == 0


def test_valid_rows_only_imports_the_rest(units, db):
    result = plan(to_xlsx([person(1), person(2, unit="NO-UNIT"), person(3)]))
    counts = imports.apply_plan(result, actor=None, valid_only=True)
    db.session.commit()
    assert counts["created"] == 2 and counts["skipped"] == 1 and count(db, Official) == 2


def test_duplicate_codes_inside_a_file_are_refused(units, db):
    result = plan(to_xlsx([person(1), person(2), person(1, name="Trần Thị Khác")]))
    assert [row.line for row in result.rows if row.errors] == [4]
    assert "2" in result.rows[2].errors[0][1]  # names the first line


def test_missing_required_columns_refuse_the_file(units, db):
    result = plan(to_xlsx([["DN1", "Nguyễn Văn An"]], header=["Mã cán bộ", "Họ và tên"]))
    assert result.file_errors and "Giới tính" in result.file_errors[0]


def test_a_file_that_moves_ten_officials_records_ten_dated_position_changes(units, db):
    run(to_xlsx([person(n) for n in range(30)]), db=db)
    moved = [
        person(n, unit="P-HAICHAU", position="XA-MC", started="01/07/2025") if n < 10 else person(n)
        for n in range(30)
    ]
    result, counts = run(to_xlsx(moved), db=db)
    assert result.summary()["move"] == 10 and counts["moved"] == 10
    history = db.session.scalars(
        select(PositionAssignment)
        .join(Official)
        .where(Official.employee_code == "HR00003")
        .order_by(PositionAssignment.started_on)
    ).all()
    assert [(a.unit.code, a.started_on, a.ended_on) for a in history] == [
        ("SNV-CCVC", date(2021, 2, 1), date(2025, 6, 30)),
        ("P-HAICHAU", date(2025, 7, 1), None),
    ]
    assert count(db, AuditEntry, AuditEntry.action == "official.position_changed") == 10


def test_a_move_dated_before_the_current_post_is_an_error(units, db):
    run(to_xlsx([person(1)]), db=db)
    result = plan(to_xlsx([person(1, unit="P-HAICHAU", started="01/01/2020")]))
    assert result.rows[0].errors[0][0] == "started_on"


def test_changed_details_update_and_are_audited(units, db):
    run(to_xlsx([person(1)]), db=db)
    _result, counts = run(to_xlsx([person(1, phone="0911222333", name="Trần Văn Mới")]), db=db)
    assert counts["updated"] == 1
    official = db.session.scalar(select(Official))
    assert official.phone == "0911222333" and official.search_name == "tran van moi"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "official.updated"))
    assert entry.before["phone"] == "0905000001" and entry.after["phone"] == "0911222333"


def test_a_full_roster_marks_the_missing_as_left(units, db):
    run(to_xlsx([person(n) for n in range(5)]), db=db)
    result, counts = run(to_xlsx([person(n) for n in range(3)]), db=db, full_roster=True)
    assert counts["left"] == 2
    assert set(
        db.session.scalars(select(Official.employee_code).where(Official.status == "left"))
    ) == {"HR00003", "HR00004"}


def test_the_scope_limits_units_and_officials(units, db):
    run(to_xlsx([person(1, unit="P-HAICHAU")]), db=db)
    from lms.organisation.models import OrgUnit

    snv = db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == "SNV"))
    result = plan(
        to_xlsx(
            [
                person(1, unit="SNV-CCVC", started="01/01/2025"),
                person(2, unit="P-HAICHAU"),
                person(3),
            ]
        ),
        scope=[snv],
    )
    assert [row.status for row in result.rows] == ["error", "error", "create"]


def test_export_then_import_changes_nothing(units, db):
    run(to_xlsx([person(n, phone=f"+84905000{n:03d}") for n in range(20)]), db=db)
    header, rows = exports.official_rows(None)
    data = write_csv(header, list(rows))
    assert b"'+84905" in data  # formula guard on the way out
    result = plan(data, "export.csv")
    assert result.summary()["unchanged"] == 20, imports.report_rows(result)[:3]
