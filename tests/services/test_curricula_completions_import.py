"""Historical completions import: Vietnamese or English headers, CSV or XLSX, a per-row report,
nothing written while rows are wrong, one transaction, and idempotent re-imports."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.common.exporter import csv_table as write_csv
from lms.common.tabular import TableError, read_table
from lms.curricula.completions import importer as completions_import
from lms.curricula.completions.cli import completions_cli
from lms.curricula.completions.models import CERT_NONE, CERT_REQUESTED, Completion
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import HISTORICAL, LedgerEntry
from tests.factories import make_in_person_course, make_official, make_units, make_user
from tests.past_cycles import assert_2025_stays_past, open_obligations
from tests.services.test_organisation_officials_import import to_xlsx

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


VI = ["Mã cán bộ", "Mã khóa học", "Ngày hoàn thành", "Điểm", "Số tín chỉ", "Số giấy chứng nhận"]
EN = ["employee_code", "course_code", "completed_on", "score", "credits", "certificate_number"]


@pytest.fixture
def registry(db, freeze):
    freeze(date(2026, 6, 15))
    make_units()
    make_official("DN000001", "Nguyễn Thị Hoa")
    make_official("DN000002", "Trần Văn Bình", unit="P-HAICHAU")
    make_in_person_course("VHCV01", credits="2")
    make_in_person_course("QLNN02", credits="1.5", certificate="none")
    make_user("admin")  # the account the command line's imports act for (--actor admin)
    db.session.commit()


def csv_bytes(rows, header=VI) -> bytes:
    return write_csv(header, rows)


def plan_of(data: bytes, name: str = "f.csv", scope=None):
    return completions_import.plan(read_table(name, data, 10**7), scope)


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def errors(plan) -> list[tuple[int, str, str]]:
    return [
        (line, column, message)
        for line, _code, column, message in completions_import.report_rows(plan)
        if column or line == 1
    ]


# Windows-1258/1252 bytes ("Hà Nội" as Excel's plain "CSV" saves it): not UTF-8.
LEGACY = b"employee_code,course_code,completed_on,note\nDN000001,VHCV01,01/02/2020,H\xe0 N\xf4i\n"
AS_ADMIN = ("--actor", "admin")
GOOD = [
    ["DN000001", "VHCV01", "15/11/2019", "8,5", "", "GCN-2019/0153"],
    ["DN000002", "qlnn02", "2024-03-02", "", "1", ""],
]


def test_a_file_with_vietnamese_headers_records_completions_and_credits(registry, db):
    plan = plan_of(csv_bytes(GOOD))
    assert plan.summary() == {"new": 2, "unchanged": 0, "error": 0, "total": 2}
    counts = completions_import.apply(plan, actor=None)
    db.session.commit()
    assert counts == {"created": 2, "credits": Decimal(3), "skipped": 0}
    first, second = db.session.scalars(select(Completion).order_by(Completion.id)).all()
    assert (first.source, first.source_ref) == (HISTORICAL, "import:DN000001:VHCV01:2019-11-15")
    assert (first.score, first.original_certificate_number) == (Decimal("8.5"), "GCN-2019/0153")
    assert first.certificate_state == CERT_NONE  # the paper certificate keeps its number
    assert first.expires_on == date(2022, 11, 15)
    assert second.certificate_state == CERT_NONE  # the course issues none
    credits = {e.source_ref: e.credits for e in db.session.scalars(select(LedgerEntry))}
    assert credits == {
        "import:DN000001:VHCV01:2019-11-15": Decimal(2),  # the course's credits
        "import:DN000002:QLNN02:2024-03-02": Decimal(1),  # the file's credits
    }
    entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.credits == 2))
    assert ledger.balance(entry.official_id, ledger.cycle_for(date(2019, 1, 1)).id) == 2


def test_an_xlsx_with_english_headers_and_date_cells_is_read(registry, db):
    data = to_xlsx([["DN000001", "VHCV01", date(2025, 4, 1), 9, None, None]], header=EN)
    plan = plan_of(data, "f.xlsx")
    assert errors(plan) == []
    completions_import.apply(plan, actor=None)
    completion = db.session.scalar(select(Completion))
    assert completion.completed_on == date(2025, 4, 1)
    assert completion.certificate_state == CERT_REQUESTED  # no paper number: a new certificate


def test_importing_the_same_file_twice_adds_nothing_the_second_time(registry, db):
    data = csv_bytes(GOOD)
    completions_import.apply(plan_of(data), actor=None)
    db.session.commit()
    again = plan_of(data)
    assert again.summary() == {"new": 0, "unchanged": 2, "error": 0, "total": 2}
    assert completions_import.apply(again, actor=None)["created"] == 0
    db.session.commit()
    assert count(db, Completion) == 2
    assert count(db, LedgerEntry) == 2


def test_missing_required_columns_are_named(registry):
    plan = plan_of(csv_bytes([["DN000001", "15/11/2019"]], header=["Mã cán bộ", "Ngày"]))
    assert plan.rows == []
    assert "Mã khóa học (course_code)" in plan.file_errors[0]
    assert "Ngày hoàn thành (completed_on)" in plan.file_errors[0]


def test_a_legacy_encoded_file_is_refused_with_a_way_out(registry):
    data = LEGACY
    with pytest.raises(TableError, match="UTF-8"):
        read_table("f.csv", data, 10**7)


def test_every_bad_row_is_reported_on_its_line(registry):
    rows = [
        ["DN000001", "VHCV01", "31/02/2020", "", "", ""],  # 2: not a real date
        ["DN000001", "VHCV01", "hôm qua", "", "", ""],  # 3: not a date
        ["DN000001", "VHCV01", "16/06/2026", "", "", ""],  # 4: future (today is 15/06/2026)
        ["DN999999", "VHCV01", "01/02/2020", "", "", ""],  # 5: unknown official
        ["DN000001", "XXXX", "01/02/2020", "", "", ""],  # 6: unknown course
        ["DN000001", "VHCV01", "01/02/2020", "mười", "", ""],  # 7: score not a number
        ["DN000001", "VHCV01", "02/02/2020", "101", "-1", ""],  # 8: score, credits
        ["", "VHCV01", "", "", "", ""],  # 9: two required cells empty
        ["DN000001", "VHCV01", "03/02/2020", "", "", ""],  # 10: fine
        ["dn000001", "vhcv01", "2020-02-03", "", "", ""],  # 11: the same as line 10
    ]
    plan = plan_of(csv_bytes(rows))
    found = errors(plan)
    lines = sorted({line for line, _column, _message in found})
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9, 11]
    messages = {line: message for line, _column, message in found}
    assert "31/02/2020" in messages[2] and "dd/mm/yyyy" in messages[3]
    assert "future" in messages[4] and "DN999999" in messages[5] and "XXXX" in messages[6]
    assert "line 10" in messages[11]
    line_8 = sorted(message for line, _column, message in found if line == 8)
    assert len(line_8) == 2 and "-1" in line_8[0] and "101" in line_8[1]
    assert plan.summary()["new"] == 1
    with pytest.raises(ValueError):
        completions_import.apply(plan, actor=None)


def test_an_hr_officer_may_import_only_for_officials_in_scope(registry):
    plan = plan_of(csv_bytes(GOOD), scope=["/1/2/"])  # SNV's subtree: DN000002 is in a ward
    assert [line for line, _c, _m in errors(plan)] == [3]
    assert "outside your scope" in errors(plan)[0][2]


def test_the_preview_says_which_rows_earn_no_credits_by_the_rule_the_import_applies(registry, db):
    """A course earns its credits once (a later year's row earns nothing); a repeatable one
    once in each cycle. The preview's notes are the rows the import then writes no credit for,
    counting what the ledger already holds."""
    make_in_person_course("ATLD01", credits="1", repeatable=True)
    db.session.commit()
    before = plan_of(csv_bytes([["DN000001", "ATLD01", "01/03/2025", "", "", ""]]))
    completions_import.apply(before, actor=None)  # 2025 already credited in the ledger
    db.session.commit()
    rows = [
        ["DN000001", "VHCV01", "01/02/2024", "", "", ""],
        ["DN000001", "VHCV01", "01/09/2024", "", "", "GCN-2"],  # same course, same year
        ["DN000001", "VHCV01", "01/02/2025", "", "", ""],  # next year: still once
        ["DN000001", "ATLD01", "31/12/2024", "", "", ""],  # repeatable: 2024 earns
        ["DN000001", "ATLD01", "31/12/2025", "", "", ""],  # 2025 was credited before
        ["DN000001", "ATLD01", "01/01/2026", "", "", ""],  # the next cycle earns again
        ["DN000001", "ATLD01", "02/01/2026", "", "", ""],  # not twice in 2026
    ]
    plan = plan_of(csv_bytes(rows))
    report = {line: message for line, _code, _col, message in completions_import.report_rows(plan)}
    noted = sorted(line for line, message in report.items() if "without credits" in message)
    assert noted == [3, 4, 6, 8]
    assert "VHCV01 earns its credits once" in report[4]
    assert "ATLD01 was already credited in 2025" in report[6]
    assert "ATLD01 was already credited in 2026" in report[8]
    counts = completions_import.apply(plan, actor=None)
    db.session.commit()
    assert (counts["created"], counts["credits"]) == (7, Decimal(4))
    credited = {
        entry.source_ref.split(":", 2)[2]
        for entry in db.session.scalars(select(LedgerEntry).where(LedgerEntry.credits > 0))
    }
    assert credited == {
        "VHCV01:2024-02-01",
        "ATLD01:2025-03-01",
        "ATLD01:2024-12-31",
        "ATLD01:2026-01-01",
    }


def test_the_command_line_dry_run_writes_nothing_and_the_import_is_idempotent(
    registry, db, runner, tmp_path
):
    path = tmp_path / "hoan-thanh.csv"
    path.write_bytes(csv_bytes(GOOD))
    dry = runner.invoke(completions_cli, ["import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 rows: 2 new" in dry.output and "Dry run: nothing written." in dry.output
    assert count(db, Completion) == 0
    first = runner.invoke(completions_cli, ["import", str(path), *AS_ADMIN])
    assert first.exit_code == 0, first.output
    assert "Imported: 2 completions, 3.00 credits written" in first.output
    second = runner.invoke(completions_cli, ["import", str(path), *AS_ADMIN])
    assert "0 new, 2 already imported" in second.output
    assert "No change" in second.output
    assert count(db, Completion) == 2 and count(db, LedgerEntry) == 2


def test_the_command_line_refuses_a_file_with_errors_unless_valid_only(
    registry, db, runner, tmp_path
):
    path = tmp_path / "f.csv"
    path.write_bytes(csv_bytes([*GOOD, ["DN999999", "VHCV01", "01/02/2020", "", "", ""]]))
    refused = runner.invoke(completions_cli, ["import", str(path), *AS_ADMIN])
    assert refused.exit_code != 0
    assert "line 4: DN999999" in refused.output and "Nothing was imported" in refused.output
    assert count(db, Completion) == 0
    partial = runner.invoke(completions_cli, ["import", str(path), "--valid-only", *AS_ADMIN])
    assert partial.exit_code == 1  # done, but some rows were skipped
    assert "Imported: 2 completions" in partial.output and "1 rows skipped" in partial.output
    assert count(db, Completion) == 2


def test_the_command_line_explains_a_wrong_encoding(registry, runner, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(LEGACY)
    result = runner.invoke(completions_cli, ["import", str(path), *AS_ADMIN])
    assert result.exit_code != 0 and "UTF-8" in result.output


def test_a_failure_half_way_leaves_nothing_written(registry, db, runner, tmp_path, monkeypatch):
    calls = []
    real = completions_import.record_completion

    def failing(data, actor=None, override=None):
        calls.append(data)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(data, actor, override)

    monkeypatch.setattr(completions_import, "record_completion", failing)
    path = tmp_path / "f.csv"
    path.write_bytes(csv_bytes(GOOD))
    result = runner.invoke(completions_cli, ["import", str(path), *AS_ADMIN])
    assert result.exit_code != 0
    db.session.rollback()
    assert count(db, Completion) == 0 and count(db, LedgerEntry) == 0


# --- the web import's steps (inline, or the queued job `curricula.completions_import`) ----------


@pytest.fixture
def stored(registry, app, tmp_path, monkeypatch):
    """An HR user and a function storing an upload as the web import does (kind completions)."""
    from lms.organisation import import_jobs
    from tests.factories import make_user

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    hr = make_user("hr")

    def store(data: bytes, kind=completions_import.KIND):
        token = import_jobs.create(hr.id, "f.csv", data, 2, False)
        folder = import_jobs.job_dir(token)
        import_jobs.update_meta(folder, kind=kind)
        return folder

    return hr, store


def test_an_inline_web_import_that_fails_is_marked_failed_and_writes_nothing(
    stored, db, monkeypatch
):
    from lms.organisation import import_jobs

    hr, store = stored
    folder = store(csv_bytes(GOOD))
    completions_import.queue_step(folder, "check", None, background=False, actor=hr)
    assert import_jobs.read_meta(folder)["state"] == "ready"

    def failing(data, actor=None, override=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(completions_import, "record_completion", failing)
    completions_import.queue_step(folder, "apply", None, background=False, actor=hr)
    meta = import_jobs.read_meta(folder)
    assert (meta["state"], meta["error"]) == ("failed", "disk full")
    assert count(db, Completion) == 0 and count(db, LedgerEntry) == 0


def test_the_queued_job_refuses_an_upload_that_is_not_a_completions_import(stored, db):
    from lms.jobs import enqueue
    from lms.jobs.models import FAILED, JobRun
    from lms.organisation import import_jobs

    hr, store = stored
    folder = store(csv_bytes(GOOD), kind=None)  # an officials import of the same user
    run = enqueue(completions_import.JOB, actor=hr, token=folder.name, step="apply", scope=None)
    db.session.commit()  # the immediate queue of the tests runs it now
    db.session.expire_all()
    assert db.session.get(JobRun, run.id).status == FAILED
    assert import_jobs.read_meta(folder)["state"] == "checking"  # left as it was
    assert count(db, Completion) == 0


def test_an_import_of_a_2026_completion_leaves_the_2025_obligation_open(registry, db):
    """Past cycles stay past: the historical import path (issue 20, survivor 5)."""
    from lms.catalog.models import Course
    from lms.organisation.models import Official

    hoa = db.session.scalar(select(Official).where(Official.employee_code == "DN000001"))
    course = db.session.scalar(select(Course).where(Course.code == "VHCV01"))
    ids = open_obligations(hoa.id, course.id)
    plan = plan_of(csv_bytes([["DN000001", "VHCV01", "02/01/2026", "", "", ""]]))
    completions_import.apply(plan, actor=None)
    db.session.commit()
    assert_2025_stays_past(ids, hoa.id, met_in_2026=True)
