"""Compliance pages as HR and reviewers use them: counts, drill-down, the list of what people
owe, the export with its audit entry, closing a cycle, the review statement and its PDF."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.compliance.models import Statement
from lms.curricula.ledger import services as ledger
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.factories import make_course, make_cycle, make_official, make_target

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cycle(world):
    cycle = make_cycle(2026)
    people = [
        make_official("C-001", "Trần Thị Ánh", "SNV-CCVC"),
        make_official("C-002", "Lê Văn Bình", "P-HAICHAU", gender="male"),
        make_official("C-003", "Đặng Hữu Phước", "P-HAICHAU", gender="male"),
    ]
    for official, earned in zip(people, (3, 1, 0), strict=True):
        make_target(official, cycle, 3)
        if earned:
            ledger.append(
                ledger.NewEntry(official.id, date(2026, 2, 1), Decimal(earned), "manual", "Lớp")
            )
    db.session.commit()
    return cycle


def test_dashboard_counts_and_drills_down(login_as, cycle, freeze):
    freeze(date(2026, 11, 26))
    client = login_as("hr")
    page = client.get("/compliance/?cycle=2026").get_data(as_text=True)
    # 3 test officials + the 4 role users (no target → met).
    assert "7 officials" in page or "7 cán bộ" in page
    assert "Ủy ban nhân dân phường Hải Châu" in page
    drill = client.get("/compliance/?cycle=2026&unit=P-HAICHAU").get_data(as_text=True)
    assert "Ủy ban nhân dân phường Hải Châu" in drill
    listed = client.get("/compliance/officials?cycle=2026&unit=P-HAICHAU&status=at_risk")
    text = listed.get_data(as_text=True)
    assert "Đặng Hữu Phước" in text and "Lê Văn Bình" in text and "Trần Thị Ánh" not in text


def test_reviewer_sees_only_their_scope(login_as, cycle, freeze):
    freeze(date(2026, 11, 26))
    client = login_as("reviewer")  # over SNV
    text = client.get("/compliance/officials?cycle=2026").get_data(as_text=True)
    assert "Trần Thị Ánh" in text and "Đặng Hữu Phước" not in text
    assert client.get("/compliance/?cycle=2026&unit=P-HAICHAU").status_code == 404
    assert client.get("/reviews/C-003?cycle=2026").status_code == 404
    detail = client.get("/reviews/C-001?cycle=2026").get_data(as_text=True)
    assert "Trần Thị Ánh" in detail and "Lớp" in detail


def test_export_is_streamed_with_numbers_and_audited(login_as, cycle, freeze):
    freeze(date(2026, 11, 26))
    client = login_as("hr")
    token = csrf_token(client, "/compliance/export?cycle=2026")
    response = client.post(
        "/compliance/export?cycle=2026&unit=P-HAICHAU",
        data={"csrf_token": token, "reason": "Báo cáo quý IV", "fmt": "csv"},
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))  # in English: `,` and the decimal point
    assert rows[0][:2] == ["Employee code", "Full name"]
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) >= {"C-002", "C-003", "T-LEARN"}
    assert by_code["C-002"][9] == "1" and by_code["C-002"][10] == "2"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "compliance.exported"))
    assert entry.after["reason"] == "Báo cáo quý IV" and entry.after["count"] == len(by_code)


def test_before_the_cycle_ends_the_close_page_offers_no_button_that_is_refused(
    login_as, cycle, freeze
):
    """On 31/12 the close page says when closing becomes possible and shows no "Close" button
    (a click could only be refused); on 01/01 the button is there. Both lead back."""
    client = login_as("hr")
    freeze(date(2026, 12, 31))
    early = client.get("/compliance/cycles/2026/close").get_data(as_text=True)
    assert "it can be closed after that day" in early and "Close for this unit" not in early
    assert "Back to the dashboard" in early
    freeze(date(2027, 1, 1))
    ended = client.get("/compliance/cycles/2026/close").get_data(as_text=True)
    assert "it can be closed after that day" not in ended and "Close for this unit" in ended


def test_close_from_the_web_after_the_cycle_ends(login_as, cycle, freeze):
    client = login_as("hr")
    freeze(date(2026, 12, 15))
    token = csrf_token(client, "/compliance/cycles/2026/close")
    early = client.post(
        "/compliance/cycles/2026/close",
        data={"csrf_token": token, "unit": "P-HAICHAU", "action": "close"},
    )
    assert early.status_code == 200 and "after its last day" in early.get_data(as_text=True)
    freeze(date(2027, 1, 10))
    done = client.post(
        "/compliance/cycles/2026/close",
        data={"csrf_token": token, "unit": "P-HAICHAU", "action": "close"},
    )
    assert done.status_code == 302
    frozen = {s.employee_code: s.status for s in db.session.scalars(select(Statement))}
    assert frozen == {"C-002": "not_met", "C-003": "not_met", "T-LEARN": "met"}
    # HR cannot re-open; the administrator can, with a reason.
    refused = client.post(
        "/compliance/cycles/2026/close",
        data={"csrf_token": token, "unit": "P-HAICHAU", "action": "reopen", "reason": "x"},
    )
    assert refused.status_code == 403
    admin = login_as("admin")
    token = csrf_token(admin, "/compliance/cycles/2026/close")
    reopened = admin.post(
        "/compliance/cycles/2026/close",
        data={"csrf_token": token, "unit": "P-HAICHAU", "action": "reopen", "reason": "Sai"},
    )
    assert reopened.status_code == 302
    assert (
        db.session.scalar(
            select(db.func.count()).select_from(Statement).where(Statement.superseded_at.is_(None))
        )
        == 0
    )


def test_unit_statements_print_as_pdf(login_as, cycle, freeze):
    freeze(date(2026, 11, 26))
    response = login_as("reviewer").get("/reviews/units/SNV.pdf?cycle=2026")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_cli_closes_a_cycle(app, cycle, freeze):
    freeze(date(2027, 1, 5))
    result = app.test_cli_runner().invoke(args=["cycle", "close", "2026", "--unit", "SNV"])
    assert result.exit_code == 0, result.output
    assert "statements frozen" in result.output
    again = app.test_cli_runner().invoke(args=["cycle", "close", "2026", "--unit", "SNV"])
    assert again.exit_code != 0 and "already closed" in again.output
    unknown = app.test_cli_runner().invoke(args=["cycle", "close", "1999"])
    assert unknown.exit_code != 0 and "no 1999 cycle" in unknown.output
    assert db.session.scalar(select(db.func.count()).select_from(Official)) >= 3


def test_the_owed_list_query_count_does_not_grow_with_courses_owed(login_as, cycle, freeze):
    from lms.curricula.obligations.models import Obligation
    from tests.conftest import count_queries

    freeze(date(2026, 11, 26))
    client = login_as("hr")
    people = db.session.scalars(select(Official).where(Official.employee_code.like("C-%"))).all()

    def owe(code: str) -> None:
        course = make_course(code, title=f"Khóa {code}", audited=False)
        for official in people:
            db.session.add(
                Obligation(
                    official_id=official.id,
                    cycle_id=cycle.id,
                    course_id=course.id,
                    due_on=date(2026, 12, 31),
                )
            )
        db.session.commit()

    def queries() -> int:
        with count_queries() as counter:
            page = client.get("/compliance/officials?cycle=2026").get_data(as_text=True)
        assert "OWE0" in page
        return counter[0]

    owe("OWE0")
    one = queries()
    for number in range(1, 6):
        owe(f"OWE{number}")
    assert queries() == one
