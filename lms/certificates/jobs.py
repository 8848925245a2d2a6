"""The certificates module's background jobs (found by lms.jobs.registry.load_all):

- `certificates.issue`: the certificate of one completion, queued by
  `lms.curricula.completions.services.record_completion` (key "certificates.issue:<completion id>");
- `certificates.issue_requested`: every requested certificate (in a scope), in batches with
  progress — the staff "Issue pending" button and `flask jobs enqueue`;
- `certificates.bulk_zip`: the .zip of a bulk download (lms/certificates/bulk.py);
- `notifications.certificate_expiry`: the warning to holders whose certificate expires soon,
  also the nightly run's step "certificates".

Each is safe to run twice: `issue_for` returns the certificate a completion already has, the
"certificate issued" notification has a key per certificate, and the .zip is rebuilt whole
(renamed into place only under the run's lease, so a run taken over publishes nothing); a
build already published is not run again (lms.common.uploads).
"""

from datetime import date, timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import bulk, services
from lms.certificates.models import Certificate
from lms.curricula.completions.models import CERT_REQUESTED, Completion
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import job, nightly_step
from lms.jobs.notifications import already_sent, notify, site_path
from lms.jobs.tasks import as_of_day

BATCH = 10  # certificates issued between two progress reports (each commits)
NOTICE_DAYS = 60  # an expiry this close is announced
NOTICE_BATCH = 200  # expiry warnings between two progress reports


@job("certificates.issue", label=_l("Issue a certificate"))
def issue_one(ctx, completion_id: int) -> dict:
    """Issue the certificate a completion requested; nothing when it is already issued, was
    revoked or no longer requests one."""
    completion = db.session.get(Completion, completion_id)
    if completion is None or completion.certificate_state != CERT_REQUESTED:
        return {"issued": None}
    if completion.revoked_at is not None:
        return {"issued": None}
    report = services.issue_completions([completion], actor=None)
    db.session.commit()
    if report.skipped:
        return {"issued": None, "skipped": report.skipped[0][1]}
    return {"issued": report.issued[0].serial}


@job("certificates.issue_requested", label=_l("Issue pending certificates"))
def issue_requested(ctx, scope: list[str] | None = None, limit: int = 5000) -> dict:
    """Issue every requested certificate (within `scope`, oldest first, at most `limit`),
    committing and reporting progress after every BATCH."""
    total = min(services.pending_count(scope), limit)
    ctx.progress(0, total, _("Issuing certificates"))
    issued, skipped, handled, after = 0, [], 0, 0
    while handled < total:
        batch = services.pending(min(BATCH, total - handled), scope, after=after)
        if not batch:
            break
        after = batch[-1].id
        report = services.issue_completions(batch, ctx.actor)
        issued += len(report.issued)
        skipped += [completion_id for completion_id, _message in report.skipped]
        handled += len(batch)
        ctx.progress(handled, total, _("%(count)d certificate(s) issued.", count=issued))
    return {"issued": issued, "skipped": skipped}


@job(bulk.JOB, label=_l("Download certificates in bulk"))
def bulk_zip(ctx, token: str, base_url: str) -> dict:
    """Build the .zip of a bulk download, with progress on its page and on the run's page."""
    return bulk.WORK.run_as_job(ctx, token, "build", base_url=base_url)


@nightly_step(30, "certificates", _l("Checking certificates"))
def scan_expiry(as_of: date, progress) -> dict:
    """Notify holders whose certificate expires within NOTICE_DAYS (once per certificate and
    expiry date). Returns how many were notified."""
    horizon = as_of + timedelta(days=NOTICE_DAYS)
    rows = db.session.execute(
        select(
            Certificate.id,
            Certificate.serial,
            Certificate.expires_on,
            Certificate.course_code,
            Certificate.course_title,
            User.id,
        )
        .join(User, User.official_id == Certificate.official_id)
        .where(
            Certificate.revoked_at.is_(None),
            Certificate.expires_on.is_not(None),
            Certificate.expires_on >= as_of,
            Certificate.expires_on <= horizon,
            User.is_enabled,
        )
        .order_by(Certificate.id)
    ).all()
    count = 0
    for index, (cert_id, serial, expires_on, code, title, user_id) in enumerate(rows, 1):
        key = f"certificate:{cert_id}:{expires_on.isoformat()}"
        context = {
            "serial": serial,
            "course_code": code,
            "course_title": title,
            "expires_on": expires_on,
            "days_left": (expires_on - as_of).days,
            "link": site_path("catalog.course_detail", code=code),
        }
        if not already_sent([(user_id, "certificate_expiring", key)]):
            count += bool(notify(user_id, "certificate_expiring", key, context))
        if index % NOTICE_BATCH == 0:
            progress(index, len(rows))
    progress(len(rows), len(rows))
    return {"certificate_expiring": count}


@job("notifications.certificate_expiry", label=_l("Expiring certificates"))
def certificate_expiry(ctx, as_of: str | None = None) -> dict:
    """Warn holders of certificates that expire soon."""
    return scan_expiry(as_of_day(as_of), ctx.reporter(_("Checking certificates")))
