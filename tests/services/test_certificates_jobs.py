"""Certificates on the job queue: the bulk issue of requested certificates with progress (both
back ends, drained as a worker would), the bulk .zip built by a job, and a SAVEPOINT inside a
transaction that must not start the transaction's jobs early."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.certificates import bulk
from lms.certificates.models import Certificate
from lms.curricula.completions.models import CERT_REQUESTED, Completion
from lms.extensions import db as _db
from lms.jobs import enqueue
from lms.jobs.models import DONE, JobRun, Notification
from tests.factories import import_course, make_official
from tests.services.test_jobs_queue import drain, queue  # noqa: F401 (fixture)


def requested_completions(course, officials) -> list[int]:
    """Completions waiting for their certificate, written as a credit source leaves them
    when no worker has run yet (committed)."""
    ids = []
    for number, official in enumerate(officials):
        completion = Completion(
            official_id=official.id,
            course_id=course.id,
            completed_on=date(2026, 3, 10),
            source="in_person",
            source_ref=f"backlog:{number}",
            certificate_state=CERT_REQUESTED,
        )
        _db.session.add(completion)
        _db.session.flush()
        ids.append(completion.id)
    _db.session.commit()
    return ids


@pytest.fixture
def backlog(db, assets_dir, freeze):
    from tests.factories import make_units

    freeze(date(2026, 3, 20))
    make_units()
    course = import_course()
    officials = [make_official(f"BL{n:03d}", f"Cán bộ {n}", "P-HAICHAU") for n in range(23)]
    _db.session.commit()
    return course, requested_completions(course, officials)


def test_the_bulk_issue_job_reports_progress_and_a_second_run_issues_nothing(
    queue,  # noqa: F811
    backlog,
    db,
):
    _course, ids = backlog
    run = enqueue("certificates.issue_requested")
    db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(Certificate)) == 0  # queued
    drain(queue)
    _db.session.expire_all()
    done = _db.session.get(JobRun, run.id)
    assert (done.status, done.done, done.total) == (DONE, 23, 23), done.error
    assert done.result == {"issued": 23, "skipped": []}
    serials = sorted(_db.session.scalars(select(Certificate.number)))
    assert serials == list(range(1, 24))

    again = enqueue("certificates.issue_requested")
    db.session.commit()
    drain(queue)
    _db.session.expire_all()
    assert _db.session.get(JobRun, again.id).result == {"issued": 0, "skipped": []}
    assert _db.session.scalar(select(func.count()).select_from(Certificate)) == 23


def test_a_savepoint_released_inside_a_transaction_starts_no_job_before_the_commit(backlog, db):
    """issue_for takes a SAVEPOINT; the job queued before it must wait for the real commit."""
    from lms.certificates import services
    from lms.curricula.completions.services import request_certificate

    _course, ids = backlog
    first, second = (_db.session.get(Completion, i) for i in ids[:2])
    request_certificate(second)  # a job for the second completion, queued in this transaction
    services.issue_for(first)  # its SAVEPOINT is released here
    assert _db.session.get(JobRun, 1).status == "queued"  # not run yet
    assert second.certificate_state == CERT_REQUESTED
    db.session.commit()
    _db.session.expire_all()
    assert _db.session.get(Completion, second.id).certificate_state == "issued"


def test_a_bulk_zip_runs_as_a_job_of_its_owner_with_progress(app, backlog, db, world):
    from lms.certificates import services

    services.issue_requested()
    db.session.commit()
    ids = list(_db.session.scalars(select(Certificate.id).order_by(Certificate.id)))
    token = bulk.create(world["hr"].id, "course", "BB01", "BB01", ids)
    with app.test_request_context():
        bulk.run(bulk.job_dir(token), "https://tinchi.example", background=True, actor=world["hr"])
    _db.session.expire_all()
    meta = bulk.read_meta(bulk.job_dir(token))
    assert (meta["state"], meta["done"], meta["total"]) == ("ready", 23, 23)
    run = _db.session.get(JobRun, meta["run_id"])
    assert (run.name, run.user_id, run.status, run.total) == (
        "certificates.bulk_zip",
        world["hr"].id,
        DONE,
        23,
    )
    import zipfile

    with zipfile.ZipFile(bulk.zip_path(bulk.job_dir(token))) as archive:
        assert len(archive.namelist()) == 23
    assert _db.session.scalar(select(func.count()).select_from(Notification)) == 0
