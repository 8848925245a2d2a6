"""The leave import (CSV/XLSX: employee_code, kind, from, to, decision_number): the dry run's
per-row report, nothing written while a row is in error, the same file twice changing nothing,
a row with a stored period's first day correcting it, Vietnamese headers and kind names; and
`flask --app lms leave import FILE [--dry-run]`."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.common.tabular import read_table
from lms.extensions import db as _db
from lms.organisation import leave_import
from lms.organisation.models import LeavePeriod
from tests.factories import make_leave, make_official, make_units
from tests.services.test_organisation_officials_import import to_xlsx

pytestmark = pytest.mark.usefixtures("english")
HEADER = "employee_code,kind,from,to,decision_number"


@pytest.fixture
def people(db, freeze):
    freeze(date(2026, 6, 1))
    make_units()
    found = {
        "hoa": make_official("A1", "Nguyễn Thị Hoa"),
        "an": make_official("A2", "Trần Văn An"),
        "out": make_official("X1", "Lê Ngoài Phạm Vi", unit="P-HAICHAU"),
    }
    _db.session.commit()
    return found


def plan_of(text: str, scope=None, name="f.csv"):
    data = text.encode() if isinstance(text, str) else text
    return leave_import.plan(read_table(name, data, 10**7), scope)


def periods() -> list[tuple]:
    rows = _db.session.execute(
        select(
            LeavePeriod.official_id, LeavePeriod.kind, LeavePeriod.starts_on, LeavePeriod.ends_on
        ).order_by(LeavePeriod.official_id, LeavePeriod.starts_on)
    )
    return [tuple(row) for row in rows]


def errors(result) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for line, _code, column, message in leave_import.report_rows(result):
        if column:
            found.setdefault(line, []).append(f"{column}: {message}")
    return found


FILE = f"""{HEADER}
A1,maternity,01/03/2026,31/08/2026,125/QĐ-SNV
A2,Nghỉ ốm dài ngày,01/02/2026,30/04/2026,
A2,biệt phái,01/09/2026,31/12/2026,77/QĐ
"""


def test_a_good_file_imports_and_the_same_file_again_changes_nothing(people):
    result = plan_of(FILE)
    assert result.summary() == {"new": 3, "updated": 0, "unchanged": 0, "error": 0, "total": 3}
    assert leave_import.apply(result, None) == {"created": 3, "updated": 0, "unchanged": 0}
    _db.session.commit()
    stored = periods()
    assert [kind for _o, kind, _s, _e in stored] == ["maternity", "sick", "secondment"]
    again = plan_of(FILE)
    assert again.summary()["unchanged"] == 3 and not again.has_errors
    assert leave_import.apply(again, None) == {"created": 0, "updated": 0, "unchanged": 3}
    _db.session.commit()
    assert periods() == stored
    audited = _db.session.scalar(select(func.count()).where(AuditEntry.action == "leave.imported"))
    assert audited == 3


def test_a_row_with_a_stored_first_day_corrects_that_period(people):
    make_leave(people["hoa"], date(2026, 3, 1), date(2026, 6, 30))
    _db.session.commit()
    result = plan_of(f"{HEADER}\nA1,maternity,01/03/2026,31/08/2026,125/QĐ\n")
    assert result.summary()["updated"] == 1 and not result.has_errors
    leave_import.apply(result, None)
    _db.session.commit()
    assert periods() == [(people["hoa"].id, "maternity", date(2026, 3, 1), date(2026, 8, 31))]


def test_every_bad_row_is_reported_and_nothing_is_written(people):
    make_leave(people["an"], date(2026, 10, 1), date(2026, 10, 31), "sick")
    _db.session.commit()
    text = f"""{HEADER}
A1,maternity,31/02/2026,31/08/2026,
A1,sick,01/09/2026,15/08/2026,
ZZ9,sick,01/01/2026,31/01/2026,
A1,holiday,01/01/2026,31/01/2026,
A1,study,01/03/2026,31/05/2026,
A1,unpaid,15/05/2026,30/06/2026,
A2,unpaid,20/10/2026,20/11/2026,
X1,sick,01/01/2026,31/01/2026,
A1,sick,2026/13/01,,
"""
    result = plan_of(text, scope=["/1/2/"])  # DN → SNV: not P-HAICHAU
    found = errors(result)
    assert "31/02/2026 is not a real date" in found[2][0]
    assert found[3] == ["To: The last day is before the first day."]
    assert found[4] == ["Employee code: Unknown employee code ZZ9."]
    assert found[5][0].startswith("Kind of leave: Unknown kind of leave holiday")
    assert 6 not in found  # fine on its own
    assert found[7] == ["From: It overlaps the leave on line 6."]
    assert found[8] == ["From: It overlaps the leave from 01/10/2026 to 31/10/2026."]
    assert found[9] == ["Employee code: This official is outside your scope."]
    assert any("dd/mm/yyyy" in message for message in found[10])
    assert any("required" in message for message in found[10])
    assert result.has_errors
    with pytest.raises(ValueError):
        leave_import.apply(result, None)
    assert len(periods()) == 1  # only the stored one


def test_xlsx_with_vietnamese_headers(people):
    data = to_xlsx(
        [["A1", "Thai sản", "01/03/2026", "31/08/2026", "125/QĐ"]],
        header=["Mã cán bộ", "Loại nghỉ", "Từ ngày", "Đến ngày", "Số quyết định"],
    )
    result = plan_of(data, name="nghi.xlsx")
    assert result.summary()["new"] == 1, errors(result)


def test_a_file_without_the_required_columns_is_refused_whole(people):
    result = plan_of("employee_code,from\nA1,01/01/2026\n")
    assert result.file_errors and "kind" in result.file_errors[0] and "to" in result.file_errors[0]


def test_the_cli_dry_run_writes_nothing_and_the_import_writes(people, app, tmp_path):
    path = tmp_path / "nghi.csv"
    path.write_text(FILE, encoding="utf-8")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["leave", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 new" in dry.output and "Dry run: nothing written." in dry.output
    assert periods() == []
    done = runner.invoke(args=["leave", "import", str(path)])
    assert done.exit_code == 0 and "Imported: 3 new, 0 corrected." in done.output
    again = runner.invoke(args=["leave", "import", str(path)])
    assert "No change" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nA1,sick,01/09/2026,15/08/2026,\n", encoding="utf-8")
    refused = runner.invoke(args=["leave", "import", str(bad)])
    assert refused.exit_code != 0 and "line 2" in refused.output
    assert len(periods()) == 3
