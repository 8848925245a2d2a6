"""Separation of duties (issue 18): nobody records, approves, posts or imports credits for
their own official record — on the web, through the API, in an import or from the shell —
except an administrator's explicit, audited override on the command line. The `hr` test user
(scope: the whole city) has their own record T-HR in SNV-CCVC, inside that scope: the
reviewer's scenario."""

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.common.exporter import csv_table as write_csv
from lms.common.tabular import read_table
from lms.curricula.classes import services as classes
from lms.curricula.classes.results import ResultInput, record_results
from lms.curricula.completions import importer as completions_import
from lms.curricula.completions.cli import completions_cli
from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import HISTORICAL, MANUAL, ONLINE, LedgerEntry
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.factories import PDF, make_in_person_course, make_official
from tests.web.routes.api import bearer

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def scene(world, app, tmp_path, monkeypatch, freeze):
    freeze(date(2026, 6, 15))
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    make_in_person_course("VHCV01", credits="2")
    db.session.commit()
    return world


def official_id(code: str) -> int:
    return db.session.scalar(select(Official.id).where(Official.employee_code == code))


def credits_of(code: str) -> Decimal:
    total = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.credits), 0)).where(
            LedgerEntry.official_id == official_id(code)
        )
    )
    return Decimal(total)


# --- the web: manual entries and reversals on one's own ledger ----------------------------------


def test_hr_cannot_add_a_manual_entry_to_their_own_ledger(scene, login_as):
    hr = login_as("hr")
    page = hr.get("/officials/T-HR/ledger")
    assert page.status_code == 200  # they may read it
    html = page.get_data(as_text=True)
    assert "/ledger/manual" not in html and "This is your own record" in html
    token = csrf_token(hr, "/officials/T-HR/ledger")
    answer = hr.post(
        "/officials/T-HR/ledger/manual",
        data={
            "csrf_token": token,
            "title": "Tự cộng",
            "credits": "99,99",
            "earned_on": "01/06/2026",
            "reason": "—",
        },
    )
    assert answer.status_code == 403
    assert credits_of("T-HR") == 0
    # Another official in the same scope: still theirs to credit.
    assert "/ledger/manual" in hr.get("/officials/T-MAN/ledger").get_data(as_text=True)


def test_hr_cannot_reverse_an_entry_of_their_own_ledger(scene, login_as):
    entry = ledger.append(
        ledger.NewEntry(official_id("T-HR"), date(2026, 3, 2), Decimal(1), MANUAL, "Hội thảo"),
        scene["admin"],
    )
    db.session.commit()
    hr = login_as("hr")
    token = csrf_token(hr, "/officials/T-HR/ledger")
    answer = hr.post(
        f"/officials/T-HR/ledger/{entry.id}/reverse", data={"csrf_token": token, "reason": "x"}
    )
    assert answer.status_code == 403
    assert credits_of("T-HR") == 1


# --- the web: one's own external training request -----------------------------------------------


def submit_own_request(client) -> int:
    token = csrf_token(client, "/me/external/new")
    answer = client.post(
        "/me/external/new",
        data={
            "csrf_token": token,
            "title": "Khóa bồi dưỡng tự đăng ký",
            "organiser": "Học viện Hành chính Quốc gia",
            "starts_on": "2026-06-01",
            "ends_on": "2026-06-05",
            "periods": "1500",
            "evidence": (io.BytesIO(PDF), "gcn.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    return db.session.scalar(select(ExternalRecord.id))


def test_hr_cannot_approve_or_reject_their_own_external_request(scene, login_as):
    hr = login_as("hr")
    record_id = submit_own_request(hr)
    detail = hr.get(f"/external/{record_id}").get_data(as_text=True)
    assert "This is your own request" in detail
    assert f"/external/{record_id}/approve" not in detail
    token = csrf_token(hr, f"/external/{record_id}")
    approve = hr.post(
        f"/external/{record_id}/approve", data={"csrf_token": token, "credits": "100"}
    )
    reject = hr.post(f"/external/{record_id}/reject", data={"csrf_token": token, "reason": "x"})
    assert (approve.status_code, reject.status_code) == (403, 403)
    db.session.expire_all()
    assert db.session.get(ExternalRecord, record_id).status == "submitted"
    assert credits_of("T-HR") == 0
    # A different person (the administrator) approves it.
    admin = login_as("admin")
    token = csrf_token(admin, f"/external/{record_id}")
    done = admin.post(f"/external/{record_id}/approve", data={"csrf_token": token, "credits": "2"})
    assert done.status_code == 302
    assert credits_of("T-HR") == 2


def test_the_service_refuses_approving_ones_own_external_request(scene, login_as):
    from lms.curricula.external import services as external

    record_id = submit_own_request(login_as("hr"))
    record = db.session.get(ExternalRecord, record_id)
    with pytest.raises(RuleViolation) as error:
        external.approve(record, Decimal(2), scene["hr"])
    assert error.value.code == "own_record"


# --- the API ------------------------------------------------------------------------------------


def test_the_api_refuses_credits_posted_on_the_callers_own_record(scene, app):
    client, headers = app.test_client(), bearer(scene["hr"])
    body = {"title": "Tự bồi dưỡng", "credits": 99.99, "periods": 10, "earned_on": "2026-06-01"}
    answers = [
        client.post("/api/v1/officials/T-HR/ledger", headers=headers, json=body) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert answers[0].get_json()["error"]["code"] == "own_record"
    assert credits_of("T-HR") == 0
    other = client.post("/api/v1/officials/T-MAN/ledger", headers=headers, json=body)
    assert other.status_code == 201  # someone else in scope


# --- the completions import ---------------------------------------------------------------------

ROWS = [["T-HR", "VHCV01", "01/02/2026", "", "", ""], ["T-MAN", "VHCV01", "01/02/2026", "", "", ""]]


def csv_file() -> bytes:
    return write_csv(
        ["employee_code", "course_code", "completed_on", "score", "credits", "n"], ROWS
    )


def test_an_import_refuses_the_rows_about_the_importer_themselves(scene):
    from lms.organisation import import_jobs

    folder = import_jobs.job_dir(import_jobs.create(scene["hr"].id, "f.csv", csv_file(), 2, False))
    import_jobs.update_meta(folder, kind=completions_import.KIND)
    completions_import.queue_step(folder, "check", None, background=False, actor=scene["hr"])
    meta = import_jobs.read_meta(folder)
    assert meta["summary"]["error"] == 1 and meta["summary"]["new"] == 1
    report = (folder / "report.json").read_text(encoding="utf-8")
    assert "T-HR" in report and "your own record" in report
    import_jobs.update_meta(folder, state="importing")
    completions_import.queue_step(
        folder, "apply", None, background=False, actor=scene["hr"], valid_only=True
    )
    assert credits_of("T-HR") == 0 and credits_of("T-MAN") == 2


def test_the_import_service_refuses_ones_own_record_even_without_the_plan(scene):
    plan = completions_import.plan(read_table("f.csv", csv_file(), 10**7), None)
    with pytest.raises(RuleViolation):
        completions_import.apply(plan, actor=scene["hr"])


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def csv_path(scene, tmp_path):
    path = tmp_path / "hoan-thanh.csv"
    path.write_bytes(csv_file())
    return path


def test_the_command_line_names_its_actor_and_refuses_their_own_rows(scene, runner, csv_path):
    anonymous = runner.invoke(completions_cli, ["import", str(csv_path)])
    assert anonymous.exit_code != 0 and "--actor" in anonymous.output
    refused = runner.invoke(completions_cli, ["import", str(csv_path), "--actor", "hr"])
    assert refused.exit_code != 0
    assert "T-HR" in refused.output and "your own record" in refused.output
    assert credits_of("T-HR") == 0
    override = runner.invoke(
        completions_cli,
        ["import", str(csv_path), "--actor", "hr", "--override-own-record", "Giấy tờ gốc"],
    )
    assert override.exit_code != 0 and "Only an administrator" in override.output
    assert credits_of("T-HR") == 0
    partial = runner.invoke(
        completions_cli, ["import", str(csv_path), "--actor", "hr", "--valid-only"]
    )
    assert partial.exit_code == 1 and "Imported: 1 completions" in partial.output
    assert credits_of("T-HR") == 0 and credits_of("T-MAN") == 2
    entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.source == HISTORICAL))
    assert entry.actor_id == scene["hr"].id


def test_an_administrator_overrides_on_the_command_line_with_a_reason_and_it_is_audited(
    scene, runner, csv_path
):
    admin = scene["admin"]
    admin.official_id = make_official("T-ADM", "Quản Trị Viên").id
    db.session.commit()
    ROWS.append(["T-ADM", "VHCV01", "02/02/2026", "", "", ""])
    try:
        csv_path.write_bytes(csv_file())
    finally:
        ROWS.pop()
    without = runner.invoke(completions_cli, ["import", str(csv_path), "--actor", "admin"])
    assert without.exit_code != 0 and "T-ADM" in without.output
    assert credits_of("T-ADM") == 0
    done = runner.invoke(
        completions_cli,
        [
            "import",
            str(csv_path),
            "--actor",
            "admin",
            "--override-own-record",
            "Hồ sơ giấy năm 2026, Giám đốc Sở duyệt",
        ],
    )
    assert done.exit_code == 0, done.output
    assert credits_of("T-ADM") == 2
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "ledger.own_override")
    ).all()
    assert [(a.object_id, a.actor_id) for a in audited] == [("T-ADM", admin.id)]
    assert audited[0].after["reason"] == "Hồ sơ giấy năm 2026, Giám đốc Sở duyệt"


# --- the ledger itself, and class results -------------------------------------------------------


def test_the_ledger_refuses_own_credits_but_not_an_online_pass(scene):
    hr, own = scene["hr"], official_id("T-HR")
    with pytest.raises(RuleViolation) as error:
        ledger.append(ledger.NewEntry(own, date(2026, 6, 1), Decimal(5), MANUAL, "x"), hr)
    assert error.value.code == "own_record"
    passed = ledger.append(ledger.NewEntry(own, date(2026, 6, 1), Decimal(2), ONLINE, "Khóa"), hr)
    assert passed.actor_id == hr.id  # the system graded the test the official passed


def test_a_training_manager_cannot_record_their_own_class_result(scene):
    from tests.factories import make_class

    klass = make_class(make_in_person_course("QLNN02"))
    classes.add_members(klass, [(1, "T-MAN"), (2, "T-HR")], None, actor=None)
    db.session.commit()
    rows = {m.official.employee_code: m for m in klass.members}
    mine = ResultInput(rows["T-MAN"].id, 5, None, "passed")
    with pytest.raises(ValidationFailed) as error:
        record_results(klass, [mine], "", actor=scene["manager"])
    assert "your own result" in str(error.value)
    other = ResultInput(rows["T-HR"].id, 5, None, "passed")
    assert record_results(klass, [other], "", actor=scene["manager"])["passed"] == 1
    assert credits_of("T-MAN") == 0 and credits_of("T-HR") == 2


def test_a_user_linked_later_to_their_record_is_still_refused(scene):
    """The link is read from the account at the moment of writing (a job's stand-in actor)."""
    from types import SimpleNamespace

    learner = scene["learner"]
    stand_in = SimpleNamespace(id=learner.id)  # as a queued job passes its actor
    with pytest.raises(RuleViolation):
        ledger.append(
            ledger.NewEntry(learner.official_id, date(2026, 6, 1), Decimal(1), MANUAL, "x"),
            stand_in,
        )
