"""A real worker process building a bulk certificate .zip (issue 18): while it builds, its lease
holds (a second run does not start, however long the build); killed with SIGKILL mid-build, the
run is taken over once its heartbeat is stale, and the .zip finally served is whole and valid,
with nothing of the dead run left beside it."""

import os
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lms.certificates import bulk, services
from lms.certificates.models import Certificate
from lms.curricula.completions.models import CERT_REQUESTED, Completion
from lms.extensions import db as _db
from lms.jobs.models import DONE, RUNNING, JobRun
from lms.jobs.queue import execute, get_queue, recover
from tests.factories import import_course, make_official
from tests.services.test_jobs_worker_kill import _stop, _wait

ROOT = Path(__file__).resolve().parents[2]
CERTIFICATES = 50
STALE = 5  # seconds without a heartbeat before a run counts as abandoned

# The worker, with each certificate taking 0.2 s to render: the build lasts over 10 s, twice the
# stale delay, and reports progress every 10 certificates (2 s).
SLOW_WORKER = """
import sys, time
import lms.models  # every model, so the mappers configure
from lms.certificates import documents
original = documents.certificate_pdf
def slow(*args, **kwargs):
    time.sleep(0.2)
    return original(*args, **kwargs)
documents.certificate_pdf = slow
from flask.cli import main
sys.argv = ["flask", "--app", "lms", "jobs", "worker", "--workers", "1", "--no-schedule"]
main()
"""


def _run(run_id: int) -> JobRun:
    _db.session.expire_all()
    run = _db.session.get(JobRun, run_id)
    _db.session.commit()  # no read transaction stays open while the worker writes
    return run


def test_a_bulk_zip_keeps_its_lease_while_building_and_survives_a_killed_worker(
    app, db, world, tmp_path, monkeypatch, assets_dir
):
    url = f"sqlite:///{tmp_path}/jobs.sqlite3"
    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", url)
    monkeypatch.setitem(app.config, "LMS_JOB_STALE_SECONDS", STALE)
    queue = get_queue(app)
    course = import_course()
    for number in range(CERTIFICATES):
        official = make_official(f"ZK{number:03d}", f"Cán bộ {number}", "P-HAICHAU")
        _db.session.add(
            Completion(
                official_id=official.id,
                course_id=course.id,
                completed_on=date(2026, 3, 10),
                source="in_person",
                source_ref=f"zipkill:{number}",
                certificate_state=CERT_REQUESTED,
            )
        )
    _db.session.commit()
    services.issue_requested()
    _db.session.commit()
    ids = list(_db.session.scalars(select(Certificate.id).order_by(Certificate.id)))
    folder = bulk.job_dir(bulk.create(world["hr"].id, "course", "BB01", "BB01", ids))
    with app.test_request_context():
        bulk.run(folder, "https://tinchi.example", background=True, actor=world["hr"])
    run_id = bulk.read_meta(folder)["run_id"]

    env = {
        **os.environ,
        "LMS_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LMS_QUEUE_URL": url,
        "LMS_COURSE_ASSETS_DIR": str(assets_dir),
        "LMS_JOB_STALE_SECONDS": str(STALE),
    }
    log = tmp_path / "worker.log"
    worker = None
    try:
        with log.open("ab") as out:
            worker = subprocess.Popen(
                [sys.executable, "-c", SLOW_WORKER],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait(lambda: _run(run_id).status == RUNNING, 30, "the worker to claim the run", log)
        time.sleep(STALE + 1.5)  # longer than the stale delay

        # the worker is still building: its heartbeat is fresh, so nothing takes the run over
        assert recover() == 0
        execute(run_id)  # a second message for the same run
        run = _run(run_id)
        assert (run.status, run.attempts) == (RUNNING, 1)
        assert bulk.read_meta(folder)["state"] == "building"

        _wait(lambda: bulk.read_meta(folder)["done"] >= 30, 30, "30 certificates", log)
        _stop(worker)  # SIGKILL in the middle of the build
        assert not (folder / bulk.ZIP_NAME).exists(), "the build ended before the kill"
        assert [p.name for p in folder.glob(".certificates.zip.*.part")], "no half-built file"
    finally:
        if worker is not None:
            _stop(worker)

    time.sleep(STALE + 0.5)  # the dead worker's heartbeat goes stale
    assert recover() == 1
    while (task := queue.huey.dequeue()) is not None:  # what the next worker does
        queue.huey.execute(task)
    queue.huey.flush()
    app.extensions.pop("lms_queue", None)

    run = _run(run_id)
    assert (run.status, run.attempts) == (DONE, 2), run.error
    assert run.done == run.total == CERTIFICATES
    meta = bulk.read_meta(folder)
    assert meta["state"] == "ready"
    assert sorted(p.name for p in folder.iterdir()) == ["certificates.zip", "meta.json"]
    with zipfile.ZipFile(bulk.zip_path(folder)) as archive:
        assert archive.testzip() is None  # every member's CRC
        names = archive.namelist()
        assert len(names) == len(set(names)) == CERTIFICATES
        for name in names:
            pdf = archive.read(name)
            assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF"), name
    assert meta["size"] == bulk.zip_path(folder).stat().st_size
