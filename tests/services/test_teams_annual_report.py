"""The annual report (lms.teams.report, `flask report annual`): its totals equal the credit
ledger's and the compliance dashboard's for the same scope and year; grouped by unit,
category, content area, delivery and gender; the XLSX written by the command."""

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.compliance import queries as compliance
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.teams import report
from tests.factories import make_course, make_cycle, make_official, make_units

CREDITS, CERTIFICATES = 10, 11  # the report's columns (report.HEADER)


@pytest.fixture
def year(db):
    make_units()
    cycle = make_cycle(2026)
    online = make_course("BB01", "2", content_area="ND1")
    people = [
        make_official("R-1", "Trần Thị Ánh", "SNV-CCVC"),
        make_official("R-2", "Lê Văn Bình", "P-HAICHAU", position="XA-MC", gender="male"),
        make_official("R-3", "Võ Thị Cúc", "P-HAICHAU", position="XA-MC"),
    ]
    for official, credits, course in (
        (people[0], "2", online),
        (people[1], "2", online),
        (people[1], "1.5", None),
        (people[2], "0.5", None),
    ):
        ledger.append(
            ledger.NewEntry(
                official.id,
                date(2026, 5, 1),
                Decimal(credits),
                "manual",
                "Lớp",
                course_id=course.id if course else None,
                periods=15,
            ),
            None,
        )
    db.session.commit()
    return cycle


def _ledger_total(cycle, scope):
    from lms.organisation.models import PositionAssignment
    from lms.organisation.queries import is_current_post, scope_condition

    stmt = (
        select(func.coalesce(func.sum(LedgerEntry.credits), 0))
        .join(
            PositionAssignment,
            (PositionAssignment.official_id == LedgerEntry.official_id) & is_current_post(),
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(LedgerEntry.cycle_id == cycle.id)
    )
    condition = scope_condition(OrgUnit.path, scope)
    return Decimal(db.session.scalar(stmt if condition is None else stmt.where(condition)))


def _dashboard_total(cycle, scope):
    sub = compliance.standing_select(cycle, date(2026, 12, 31), scope).subquery()
    return Decimal(db.session.scalar(select(func.coalesce(func.sum(sub.c.earned), 0))))


@pytest.mark.parametrize("unit", [None, "P-HAICHAU", "SNV"])
def test_the_totals_are_the_ledger_s_and_the_dashboard_s(year, unit):
    scope = None
    if unit:
        scope = [db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == unit))]
    rows, totals = report.report_rows(year, scope)
    assert totals["credits"] == _ledger_total(year, scope) == _dashboard_total(year, scope)
    assert sum(row[CREDITS] for row in rows) == totals["credits"]
    expected = {None: ("6", 3), "P-HAICHAU": ("4", 2), "SNV": ("2", 1)}[unit]
    assert totals["credits"] == Decimal(expected[0]) and totals["officials"] == expected[1]


def test_the_command_writes_the_xlsx(year, app, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    result = app.test_cli_runner().invoke(
        args=["report", "annual", "2026", "--unit", "P-HAICHAU", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    last = values[-1]
    assert last[CREDITS] == 4 and last[7] == 2  # credits, officials trained
    assert any("ND1" in str(v) or "Nội dung 1" in str(v) for row in values for v in row if v)


def test_the_command_writes_the_pdf_in_the_administrative_layout(year, app, tmp_path):
    import shutil
    import subprocess

    out = tmp_path / "bao-cao.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", "annual", "2026", "--unit", "P-HAICHAU", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text


def test_the_certificates_column_counts_the_year_s_certificates_not_revoked(year, freeze):
    """R-1 (SNV-CCVC) and R-3 (P-HAICHAU) complete a course that gives a certificate and no
    credit; R-3's certificate is revoked: the 2026 report counts 1 for SNV-CCVC and 0 for
    P-HAICHAU, and the group with a certificate and no credit of the year has its row."""
    from lms.certificates import services as certificates
    from lms.certificates.models import Certificate
    from lms.organisation.models import Official
    from tests.factories import make_completion

    freeze(date(2026, 6, 1))
    course = make_course("KN09", "0", content_area="ND5", certificate="giay_chung_nhan")
    r1 = db.session.scalar(select(Official).where(Official.employee_code == "R-1"))
    r3 = db.session.scalar(select(Official).where(Official.employee_code == "R-3"))
    make_completion(r1, course, date(2026, 6, 1), commit=True)
    make_completion(r3, course, date(2026, 6, 1), commit=True)
    issued = {c.official_id: c for c in db.session.scalars(select(Certificate))}
    assert set(issued) == {r1.id, r3.id}
    certificates.revoke(issued[r3.id], "issuer_error", "Cấp nhầm", None)
    db.session.commit()
    rows, totals = report.report_rows(year, None)
    by_unit = {}
    for row in rows:
        by_unit[row[0]] = by_unit.get(row[0], 0) + row[CERTIFICATES]
    assert by_unit == {"SNV-CCVC": 1, "P-HAICHAU": 0}
    assert totals["certificates"] == 1
    nd5 = [row for row in rows if row[0] == "SNV-CCVC" and "ND5" in str(row[4])]
    assert len(nd5) == 1 and nd5[0][CERTIFICATES] == 1 and nd5[0][CREDITS] == 0
