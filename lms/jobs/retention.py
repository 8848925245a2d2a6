"""Retention of the files jobs leave on disk: the job folders of every store of
lms.common.uploads — uploads of imports (instance/imports/<token>/), bulk certificate downloads
(instance/certificate_bulk/<token>/) — are deleted by the nightly job
once LMS_FILE_RETENTION_DAYS have passed, with an audit entry and a log line giving the counts.
Evidence of external training, course assets and backups are not touched."""

import logging
import shutil
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from lms.common import uploads
from lms.extensions import db
from lms.jobs import rules
from lms.jobs.models import QUEUED, RUNNING, JobRun

log = logging.getLogger("lms.jobs")


def remove_expired(root: Path, today: date, days: int) -> int:
    """Delete the job folders under `root` whose retention has passed on `today` (their job no
    longer queued or running); returns how many were deleted. A folder that cannot be deleted
    is logged and left for the next night."""
    if days <= 0 or not root.is_dir():
        return 0
    candidates = {}
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        made_on = uploads.created_on(folder)
        if made_on is not None and rules.past_retention(made_on, today, days):
            candidates[folder] = uploads.run_id(folder)
    run_ids = [run_id for run_id in candidates.values() if run_id]
    busy = set(
        db.session.scalars(
            select(JobRun.id).where(JobRun.id.in_(run_ids), JobRun.status.in_((QUEUED, RUNNING)))
        )
        if run_ids
        else ()
    )
    removed = 0
    for folder, run_id in candidates.items():
        if run_id in busy:
            continue
        try:
            shutil.rmtree(folder)
        except OSError as error:
            log.warning("retention: could not delete %s (%s)", folder, error)
            continue
        removed += 1
    return removed


def remove_expired_files(today: date) -> dict:
    """The nightly step: delete the job folders of every store (lms.common.uploads: import
    uploads, bulk downloads) past LMS_FILE_RETENTION_DAYS, audit it (one entry with the counts,
    when something was deleted) and log it. Returns the counts by store."""
    from lms.audit import services as audit

    days = int(current_app.config.get("LMS_FILE_RETENTION_DAYS") or 0)
    stores = uploads.stores()
    counts = {store.counted_as: remove_expired(store.root(), today, days) for store in stores}
    said = " and ".join(f"{counts[store.counted_as]} {store.described_as}" for store in stores)
    log.info("retention: %s older than %d days deleted", said, days)
    if any(counts.values()):
        audit.record(
            None,
            "files.expired_removed",
            "files",
            today.isoformat(),
            after={**counts, "retention_days": days},
        )
        db.session.commit()
    return counts
