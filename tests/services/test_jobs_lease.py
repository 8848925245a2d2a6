"""The lease of a running job (issue 18): the heartbeat is committed on a connection of its own
whatever the job's session does, a worker keeps it while the job is busy, and a run taken over
by another worker stops without publishing its result or its file."""

import time
import zipfile
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from lms.certificates import bulk, documents, services
from lms.certificates.models import Certificate
from lms.common import clock
from lms.curricula.completions.models import CERT_REQUESTED, Completion
from lms.extensions import db as _db
from lms.jobs import job
from lms.jobs.models import DONE, RUNNING, JobRun
from lms.jobs.queue import enqueue, recover
from tests.factories import import_course, make_official

CLAIMED = datetime(2026, 3, 20, 3, 0)
LATER = CLAIMED + timedelta(minutes=4)
SEEN: dict = {}


@job("test.lease.expunge")
def _expunge_then_progress(ctx) -> dict:
    """What the bulk .zip does between two reports: drops every object of its session."""
    _db.session.expunge_all()
    SEEN["freeze"](LATER)
    ctx.progress(1, 2, "half way")
    _db.session.rollback()
    return {"value": 1}


@job("test.lease.quiet")
def _quiet(ctx) -> dict:
    """A long step that reports no progress."""
    time.sleep(0.8)
    with _db.engine.connect() as connection:
        SEEN["heartbeat"] = connection.scalar(
            select(JobRun.heartbeat_at).where(JobRun.id == ctx.run_id)
        )
    return {"value": 1}


def _run(run_id: int) -> JobRun:
    _db.session.expire_all()
    return _db.session.get(JobRun, run_id)


def test_the_heartbeat_is_committed_even_when_the_job_drops_its_session_objects(db, freeze):
    freeze(CLAIMED)
    SEEN["freeze"] = freeze
    run_id = enqueue("test.lease.expunge").id
    db.session.commit()  # immediate mode: runs now
    run = _run(run_id)
    assert run.status == DONE, run.error
    assert run.started_at == CLAIMED
    assert run.heartbeat_at == LATER  # the report four minutes in is on the run's page
    assert (run.done, run.total, run.message) == (2, 2, "half way")


def test_a_worker_keeps_the_heartbeat_of_a_job_that_reports_no_progress(app, db, monkeypatch):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("on SQLite (one writer at a time) the job's progress reports renew it")
    monkeypatch.setitem(app.config, "LMS_JOB_STALE_SECONDS", 1)  # a heartbeat every 0.2 s
    run_id = enqueue("test.lease.quiet").id
    db.session.commit()
    run = _run(run_id)
    assert run.status == DONE, run.error
    assert SEEN["heartbeat"] > run.started_at + timedelta(seconds=0.3)


@pytest.fixture
def issued(app, db, assets_dir, freeze, world, tmp_path, monkeypatch):
    """23 issued certificates of one course and a bulk download of them by the HR officer."""
    freeze(CLAIMED)
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    course = import_course()
    for number in range(23):
        official = make_official(f"LS{number:03d}", f"Cán bộ {number}", "P-HAICHAU")
        _db.session.add(
            Completion(
                official_id=official.id,
                course_id=course.id,
                completed_on=date(2026, 3, 10),
                source="in_person",
                source_ref=f"lease:{number}",
                certificate_state=CERT_REQUESTED,
            )
        )
    _db.session.commit()
    services.issue_requested()
    _db.session.commit()
    ids = list(_db.session.scalars(select(Certificate.id).order_by(Certificate.id)))
    token = bulk.create(world["hr"].id, "course", "BB01", "BB01", ids)
    return bulk.job_dir(token), world["hr"]


def _take_over(run_id: int) -> None:
    """What another worker's claim writes after a stale heartbeat (committed on its own)."""
    with _db.engine.begin() as connection:
        connection.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(lease_token="f" * 32, heartbeat_at=clock.now(), attempts=JobRun.attempts + 1)
        )


def test_a_run_taken_over_mid_build_publishes_neither_its_zip_nor_its_result(
    app, issued, db, monkeypatch
):
    folder, hr = issued
    original = documents.certificate_pdf
    rendered = []

    def render_then_lose_the_lease(certificate, base_url):
        rendered.append(certificate.id)
        if len(rendered) == 5:
            _take_over(bulk.read_meta(folder)["run_id"])
        return original(certificate, base_url)

    monkeypatch.setattr(documents, "certificate_pdf", render_then_lose_the_lease)
    with app.test_request_context():
        bulk.run(folder, "https://tinchi.example", background=True, actor=hr)
    run_id = bulk.read_meta(folder)["run_id"]

    run = _run(run_id)
    assert len(rendered) == 10  # it stopped at its next report
    assert (run.status, run.result, run.finished_at, run.error) == (RUNNING, None, None, None)
    assert run.lease_token == "f" * 32  # the run belongs to the worker that took it
    meta = bulk.read_meta(folder)
    assert meta["state"] == "building" and "error" not in meta  # not "failed", not "ready"
    assert not (folder / bulk.ZIP_NAME).exists()
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json"]  # no temporary left

    # the other worker dies too; the run is recovered and built whole
    monkeypatch.setattr(documents, "certificate_pdf", original)
    run.heartbeat_at = clock.now() - timedelta(minutes=10)
    db.session.commit()
    assert recover() == 1  # queued again with a new lease, and run (immediate mode)
    run = _run(run_id)
    assert (run.status, run.attempts, run.done, run.lease_token) == (DONE, 3, 23, None)
    assert bulk.read_meta(folder)["state"] == "ready"
    with zipfile.ZipFile(bulk.zip_path(folder)) as archive:
        assert archive.testzip() is None and len(archive.namelist()) == 23


def test_an_import_taken_over_before_its_commit_writes_nothing(
    app, db, world, monkeypatch, tmp_path
):
    from sqlalchemy import func

    from lms.organisation import import_jobs, imports
    from lms.organisation.models import Official
    from tests.services.test_organisation_officials_import import person, to_xlsx

    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    hr = world["hr"]
    before = db.session.scalar(select(func.count()).select_from(Official))
    data = to_xlsx([person(n) for n in range(5)])
    folder = import_jobs.job_dir(import_jobs.create(hr.id, "danh-sach.xlsx", data, 5, False))
    import_jobs.check(folder, None)
    assert import_jobs.read_meta(folder)["state"] == "ready"
    original = imports.plan_officials

    def plan_then_lose_the_lease(*args, **kwargs):
        plan = original(*args, **kwargs)
        _take_over(import_jobs.read_meta(folder)["run_id"])  # before the rows are written
        return plan

    monkeypatch.setattr(imports, "plan_officials", plan_then_lose_the_lease)
    import_jobs.update_meta(folder, state="importing")
    with app.test_request_context():
        import_jobs.run_officials(folder, "apply", None, background=True, actor=hr)

    run = _run(import_jobs.read_meta(folder)["run_id"])
    assert (run.status, run.result, run.lease_token) == (RUNNING, None, "f" * 32)
    assert db.session.scalar(select(func.count()).select_from(Official)) == before
    assert import_jobs.read_meta(folder)["state"] == "importing"  # the run that took it decides
