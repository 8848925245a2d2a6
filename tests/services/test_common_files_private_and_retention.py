"""Files the application writes (issue 18): private to the service account — files 0600,
their folders 0700, whatever the umask — and uploads and bulk downloads deleted by the nightly
job once LMS_FILE_RETENTION_DAYS have passed (day before, of and after the boundary), audited
and logged with the counts."""

import logging
import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.catalog import assetstore
from lms.catalog.bundles import AssetFile
from lms.certificates import bulk
from lms.extensions import db as _db
from lms.jobs import backup as backups
from lms.jobs.models import DONE, RUNNING, JobRun
from lms.jobs.queue import enqueue
from lms.organisation import accounts_cli, import_jobs
from tests.services.test_curricula_external import official, submit  # noqa: F401 (fixture)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask(app, tmp_path, monkeypatch):
    """The umask of a careless service unit (022: world-readable by default) and an instance
    folder of the test's own."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    previous = os.umask(0o022)
    yield Path(app.instance_path)
    os.umask(previous)


def test_uploads_zips_and_job_outputs_are_0600_in_0700_folders(app, db, world, loose_umask):
    instance = loose_umask
    with app.test_request_context():
        upload = import_jobs.job_dir(
            import_jobs.create(world["hr"].id, "danh-sach.csv", b"a,b\n1,2\n", 1, False)
        )
        import_jobs._write_json(upload / "report.json", [])
        download = bulk.job_dir(bulk.create(world["hr"].id, "course", "BB01", "BB01", []))
        bulk.build(download, "https://tinchi.example")
    assert bulk.read_meta(download)["state"] == "ready"
    for folder in (instance / "imports", upload, instance / "certificate_bulk", download):
        assert mode(folder) == 0o700, folder
    written = [upload / "upload.csv", upload / "meta.json", upload / "report.json"]
    written += [download / "meta.json", download / "certificates.zip"]
    for path in written:
        assert mode(path) == 0o600, path


def test_evidence_and_course_assets_are_0600_in_0700_folders(app, official, loose_umask):  # noqa: F811
    evidence = loose_umask / "external_evidence"
    record = submit(official, evidence)
    assert mode(evidence) == 0o700
    assert mode(loose_umask / record.evidence_path) == 0o600

    app.config["LMS_COURSE_ASSETS_DIR"] = str(loose_umask / "course_assets")
    try:
        with app.test_request_context():
            data = b"\x89PNG\r\n\x1a\n"
            assetstore.sync("BB01", [AssetFile.of("images/a.png", data)])
            root = assetstore.root()
    finally:
        app.config["LMS_COURSE_ASSETS_DIR"] = ""
    for folder in (root, root / "BB01", root / "BB01" / "images"):
        assert mode(folder) == 0o700, folder
    assert mode(root / "BB01" / "images" / "a.png") == 0o600


def test_backups_exports_and_provisioning_files_are_0600(app, db, runner, loose_umask, tmp_path):
    source = tmp_path / "source.sqlite3"
    import sqlite3

    sqlite3.connect(source).close()
    written = backups.backup(f"sqlite:///{source}", loose_umask / "backups" / "tinchi-1.sqlite3")
    assert mode(written) == 0o600 and mode(written.parent) == 0o700
    assert [p.name for p in written.parent.iterdir()] == ["tinchi-1.sqlite3"]  # no temporary

    result = runner.invoke(args=["backup"])  # the default folder: instance/backups
    assert result.exit_code == 0, result.output
    (made,) = [p for p in (loose_umask / "backups").iterdir() if p.name != "tinchi-1.sqlite3"]
    assert mode(made) == 0o600 and mode(made.parent) == 0o700

    letters = tmp_path / "links.csv"  # an older file, world-readable, written over
    letters.write_text("old")
    os.chmod(letters, 0o644)
    accounts_cli._write_private(str(letters), b"ma,lien_ket\n")
    assert mode(letters) == 0o600 and letters.read_bytes() == b"ma,lien_ket\n"

    export = tmp_path / "officials.csv"
    result = runner.invoke(args=["officials", "export", str(export)])
    assert result.exit_code == 0, result.output
    assert mode(export) == 0o600


# --- retention -----------------------------------------------------------------------------

MADE = datetime(2026, 3, 1, 3, 0)  # 10:00 on 1 March in Vietnam


@pytest.fixture
def stored(app, db, world, freeze, loose_umask):
    """On 1 March: an import upload, a finished bulk download, and a bulk download whose job
    is still running."""
    freeze(MADE)
    app.config["LMS_FILE_RETENTION_DAYS"] = 30
    hr = world["hr"].id
    with app.test_request_context():
        upload = import_jobs.job_dir(import_jobs.create(hr, "a.csv", b"a\n1\n", 1, False))
        finished = bulk.job_dir(bulk.create(hr, "course", "BB01", "BB01", []))
        bulk.build(finished, "https://tinchi.example")
        busy = bulk.job_dir(bulk.create(hr, "unit", "DN", "DN", []))
    run = JobRun(name="certificates.bulk_zip", status=RUNNING, params={})
    _db.session.add(run)
    _db.session.commit()
    bulk.update_meta(busy, run_id=run.id)
    yield {"upload": upload, "finished": finished, "busy": busy}
    app.config["LMS_FILE_RETENTION_DAYS"] = 30


def _nightly(freeze, day: date) -> dict:
    freeze(day)
    run_id = enqueue("nightly").id
    _db.session.commit()  # immediate mode: runs now
    _db.session.expire_all()
    run = _db.session.get(JobRun, run_id)
    assert run.status == DONE, run.error
    return run.result["files"]


def _removals() -> list[AuditEntry]:
    return list(
        _db.session.scalars(select(AuditEntry).where(AuditEntry.action == "files.expired_removed"))
    )


def test_uploads_and_zips_are_deleted_the_day_after_the_retention_period(stored, freeze, caplog):
    caplog.set_level(logging.INFO, logger="lms.jobs")
    # the day before the boundary (30 March) and the boundary itself (31 March): kept
    assert _nightly(freeze, date(2026, 3, 30)) == {"uploads": 0, "bulk_zips": 0}
    assert _nightly(freeze, date(2026, 3, 31)) == {"uploads": 0, "bulk_zips": 0}
    assert all(folder.is_dir() for folder in stored.values())
    assert _removals() == []

    # the day after: deleted, except the download whose job still runs
    assert _nightly(freeze, date(2026, 4, 1)) == {"uploads": 1, "bulk_zips": 1}
    assert not stored["upload"].exists() and not stored["finished"].exists()
    assert stored["busy"].is_dir()
    (entry,) = _removals()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (None, "files", "2026-04-01")
    assert entry.after == {"uploads": 1, "bulk_zips": 1, "retention_days": 30}
    assert "1 uploads and 1 bulk downloads older than 30 days deleted" in caplog.text

    # nothing more to delete the next night: no new audit entry
    assert _nightly(freeze, date(2026, 4, 2)) == {"uploads": 0, "bulk_zips": 0}
    assert len(_removals()) == 1


def test_a_retention_of_zero_days_keeps_every_file(app, stored, freeze):
    app.config["LMS_FILE_RETENTION_DAYS"] = 0
    assert _nightly(freeze, date(2027, 1, 1)) == {"uploads": 0, "bulk_zips": 0}
    assert all(folder.is_dir() for folder in stored.values())
