"""The compliance dashboard (by unit and by position) and its exports count a required
programme not held as a mandatory course not done; the export lists the programmes required and
held, its text cells still escaped against formula injection; the dashboard's query count does
not grow with the officials, programmes and chứng chỉ."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from lms.extensions import db
from lms.i18n import _
from lms.programmes import services
from lms.programmes.models import ProgrammeRequirement
from tests.conftest import count_queries, csrf_token
from tests.factories import cycle_of, make_official, make_programme_scene


@pytest.fixture
def scene(world, assets_dir, freeze):
    freeze(date(2026, 3, 20))  # LDQL required of LD-TP from today: due 16/09/2026
    cycle_of(2026)
    programme, official, _courses = make_programme_scene()
    freeze(date(2026, 10, 1))
    return programme, official


def _export(client, fmt: str):
    token = csrf_token(client, "/compliance/export?cycle=2026")
    return client.post(
        "/compliance/export?cycle=2026&position=LD-TP",
        data={"csrf_token": token, "reason": "Báo cáo chứng chỉ", "fmt": fmt},
    )


def test_the_export_counts_the_programme_and_escapes_formulas(scene, login_as):
    programme, _official = scene
    other = make_official("CB-0101", "=HYPERLINK(1)", "SNV-CCVC", "LD-TP")
    services.import_historical(other, programme, "9/CC-2025", date(2025, 9, 1), None)
    db.session.commit()
    client = login_as("hr")
    text = _export(client, "csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # in Vietnamese: `;`
    header = rows[0]
    assert header[-3:] == [_("Programmes required"), _("Programmes held"), _("Status")]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["CB-0100"][-3:] == ["1", "0", _("Overdue")]
    assert by_code["CB-0101"][-3:] == ["1", "1", _("Met")]
    assert by_code["CB-0101"][1] == "'=HYPERLINK(1)"
    book = load_workbook(io.BytesIO(_export(client, "xlsx").data))
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    found = {row[0]: row for row in values if row and row[0] in ("CB-0100", "CB-0101")}
    assert found["CB-0100"][-3] == 1 and found["CB-0100"][-2] == 0
    assert found["CB-0101"][1] == "'=HYPERLINK(1)"


def test_the_dashboard_by_position_shows_the_overdue_programme(scene, login_as):
    client = login_as("hr")
    page = client.get("/compliance/?cycle=2026&position=LD-TP").get_data(as_text=True)
    by_unit = 'unit=SNV&amp;position=LD-TP&amp;rank=&amp;gender=&amp;status=overdue">1</a>'
    assert by_unit in page  # by unit
    position = page[page.index('id="position-h"') : page.index('id="rank-h"')]
    assert 'position=LD-TP&amp;rank=&amp;gender=&amp;status=overdue">1</a>' in position
    listed = client.get("/compliance/officials?cycle=2026&position=LD-TP&status=overdue")
    assert "CB-0100" in listed.get_data(as_text=True)


def _dashboard(client) -> int:
    with count_queries() as counter:
        page = client.get("/compliance/?cycle=2026").get_data(as_text=True)
    assert re.search(r'<h2 id="totals-h">', page)
    return counter[0]


def test_the_dashboard_query_count_does_not_grow_with_programmes(scene, login_as):
    programme, _official = scene
    client = login_as("hr")
    few = _dashboard(client)
    for number in range(12):
        person = make_official(f"CB-02{number:02}", f"Nguyễn Văn Số {number}", "SNV-CCVC", "LD-TP")
        if number % 2:
            services.import_historical(person, programme, f"{number}/CC", date(2025, 1, 5), None)
    db.session.commit()
    assert _dashboard(client) == few


def _owed(page: str, employee_code: str) -> str:
    """The "still owes" cell of the official's row on the officials list."""
    row = page[page.index(f"<td>{employee_code}</td>") :]
    return row[: row.index("</tr>")]


def test_the_officials_list_shows_the_programmes_still_owed_with_their_due_date(scene, login_as):
    programme, _official = scene  # CB-0100 (LD-TP): LDQL due 16/09/2026, overdue on 01/10
    holder = make_official("CB-0101", "Đỗ Thị Có", "SNV-CCVC", "LD-TP")
    services.import_historical(holder, programme, "9/CC-2025", date(2025, 9, 1), None)
    make_official("CB-0102", "Hà Thị Ngạch", "SNV-CCVC", "CM-CCVC")  # a chuyên viên (01.003)
    db.session.add(
        ProgrammeRequirement(
            programme_id=programme.id, kind="rank", code="01.003", arose_on=date(2026, 9, 1)
        )
    )
    db.session.commit()
    client = login_as("hr")
    client.get("/locale/vi")
    page = client.get("/compliance/officials?cycle=2026&unit=SNV-CCVC").get_data(as_text=True)
    owed = _owed(page, "CB-0100")
    assert 'data-owed-programme="LDQL"' in owed and programme.title in owed
    assert _("due %(day)s", day="16/09/2026") in owed and _("overdue") in owed
    assert "data-owed-programme" not in _owed(page, "CB-0101")  # holds the chứng chỉ
    owed = _owed(page, "CB-0102")  # required of the rank on 01/09: 180 days, at most 31/12
    assert _("due %(day)s", day="31/12/2026") in owed and _("overdue") not in owed
    assert "Programme" not in owed and "Chương trình" in owed  # the Vietnamese page


def _officials_list(client) -> int:
    with count_queries() as counter:
        page = client.get("/compliance/officials?cycle=2026").get_data(as_text=True)
    assert 'data-owed-programme="LDQL"' in page
    return counter[0]


def test_the_officials_list_query_count_does_not_grow_with_programmes_owed(scene, login_as):
    programme, _official = scene
    client = login_as("hr")
    few = _officials_list(client)
    db.session.add(ProgrammeRequirement(programme_id=programme.id, kind="rank", code="01.003"))
    for number in range(12):
        person = make_official(f"CB-02{number:02}", f"Nguyễn Văn Số {number}", "SNV-CCVC", "LD-TP")
        if number % 2:
            services.import_historical(person, programme, f"{number}/CC", date(2025, 1, 5), None)
    db.session.commit()
    assert _officials_list(client) == few
