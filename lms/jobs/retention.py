"""Retention of the files jobs leave on disk: uploads of imports (instance/imports/<token>/) and
bulk certificate downloads (instance/certificate_bulk/<token>/) are deleted by the nightly job
once LMS_FILE_RETENTION_DAYS have passed, with an audit entry and a log line giving the counts.
Evidence of external training, course assets and backups are not touched."""

import json
import logging
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from lms.common import clock
from lms.extensions import db
from lms.jobs import rules
from lms.jobs.models import QUEUED, RUNNING, JobRun

log = logging.getLogger("lms.jobs")


def _created_on(folder: Path) -> date | None:
    """The Vietnamese day a job folder was made (meta.json's created_at, else the folder's
    time); None when it cannot be told."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return clock.local_day(datetime.fromisoformat(meta["created_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        try:
            return clock.local_day(
                datetime.fromtimestamp(folder.stat().st_mtime, UTC).replace(tzinfo=None)
            )
        except OSError:
            return None


def _run_id(folder: Path) -> int | None:
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError, AttributeError):
        return None


def remove_expired(root: Path, today: date, days: int) -> int:
    """Delete the job folders under `root` whose retention has passed on `today` (their job no
    longer queued or running); returns how many were deleted. A folder that cannot be deleted
    is logged and left for the next night."""
    if days <= 0 or not root.is_dir():
        return 0
    candidates = {}
    for folder in sorted(root.iterdir()):
        created_on = _created_on(folder) if folder.is_dir() else None
        if created_on is not None and rules.past_retention(created_on, today, days):
            candidates[folder] = _run_id(folder)
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
    """The nightly step: delete import uploads and bulk downloads past LMS_FILE_RETENTION_DAYS,
    audit it (one entry with the counts, when something was deleted) and log it. Returns the
    counts."""
    from lms.audit import services as audit
    from lms.certificates import bulk
    from lms.organisation import import_jobs

    days = int(current_app.config.get("LMS_FILE_RETENTION_DAYS") or 0)
    counts = {
        "uploads": remove_expired(import_jobs.root(), today, days),
        "bulk_zips": remove_expired(bulk.root(), today, days),
    }
    log.info(
        "retention: %d uploads and %d bulk downloads older than %d days deleted",
        counts["uploads"],
        counts["bulk_zips"],
        days,
    )
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
