"""The jobs this package registers: the nightly run (obligations refresh, reminders, expiring
certificates, ledger seal, retention of personal data), the reminder scan and the weekly digest
on their own, and mail delivery."""

import inspect
from datetime import date

from lms.common import clock
from lms.common.errortext import describe
from lms.i18n import _, _l
from lms.jobs import mailer, retention, scans
from lms.jobs.registry import job


def _as_of(value: str | None) -> date:
    return date.fromisoformat(value) if value else clock.today()


def _reporter(ctx, message: str):
    def report(done: int, total: int) -> None:
        ctx.progress(done, total, message)

    return report


def _send_mail(ctx) -> dict:
    """Deliver the pending email inside the job, so its page shows the sending and a dead
    worker's run is picked up again (each message is sent at most once)."""
    waiting = mailer.pending_count()
    return mailer.deliver_pending(lambda sent: ctx.progress(sent, waiting, _("Sending email")))


@job("notifications.reminders", label=_l("Deadline reminders"))
def reminders(ctx, as_of: str | None = None) -> dict:
    """Remind officials of mandatory courses due within 30 and 7 days, and overdue ones."""
    counts = scans.scan_reminders(_as_of(as_of), _reporter(ctx, _("Checking deadlines")))
    return {**counts, "mail": _send_mail(ctx)}


@job("notifications.weekly_digest", label=_l("Weekly digest"))
def weekly_digest(ctx, as_of: str | None = None) -> dict:
    """The weekly digest of HR officers and training managers."""
    counts = scans.send_digests(_as_of(as_of), _reporter(ctx, _("Writing digests")))
    return {**counts, "mail": _send_mail(ctx)}


@job("notifications.certificate_expiry", label=_l("Expiring certificates"))
def certificate_expiry(ctx, as_of: str | None = None) -> dict:
    """Warn holders of certificates that expire soon."""
    return scans.scan_certificate_expiry(_as_of(as_of), _reporter(ctx, _("Checking certificates")))


@job("notifications.deliver", label=_l("Send pending email"))
def deliver(ctx) -> dict:
    """Send every pending email now (normally done after each commit that notifies)."""
    return _send_mail(ctx)


def refresh_obligations(as_of: date, progress) -> dict:
    """Call lms.curricula.obligations.refresh_all (every official, every cycle not yet over),
    passing the arguments it accepts.

    Raises RuntimeError with a clear message when that function does not exist.
    """
    try:
        from lms.curricula import obligations
    except ImportError as error:
        raise RuntimeError(
            "the nightly obligations refresh needs lms.curricula.obligations.refresh_all, "
            "which is not installed"
        ) from error
    refresh = getattr(obligations, "refresh_all", None)
    if refresh is None:
        raise RuntimeError("lms.curricula.obligations has no refresh_all() function")
    accepted = inspect.signature(refresh).parameters
    offered = {"as_of": as_of, "actor": None, "progress": progress}
    value = refresh(**{name: value for name, value in offered.items() if name in accepted})
    return value if isinstance(value, dict) else {"result": str(value)}


def _seal_ledger() -> dict:
    """Seal the credit ledger (curricula.ledger.seal), the frozen statements and the audit log
    (common.sealing.seal), so verify notices removed rows."""
    from lms.common import sealing
    from lms.curricula import ledger
    from lms.extensions import db

    row = ledger.seal()
    for kind in sealing.KINDS:  # the frozen statements and the audit log, the same way
        sealing.seal(kind)
    db.session.commit()
    return {"entries": row.entries, "officials": row.officials} if row else {"entries": 0}


def _apply_retention(day: date) -> dict:
    """Delete the personal data whose retention period is over (lms.privacy.retention)."""
    from lms.extensions import db
    from lms.privacy import retention as personal_data

    counts = personal_data.apply(day)
    db.session.commit()
    return counts


@job("nightly", label=_l("Nightly maintenance"))
def nightly(ctx, as_of: str | None = None) -> dict:
    """Refresh every official's obligations and targets, send deadline reminders and expiry
    warnings, seal the credit ledger, delete uploads and bulk downloads past their retention
    (lms.jobs.retention) and apply the retention periods of personal data
    (lms.privacy.retention). The reminders run even when the refresh fails; the run is then
    marked failed with the refresh's error."""
    day = _as_of(as_of)
    result: dict = {}
    problem = None
    try:
        result["obligations"] = refresh_obligations(
            day, lambda done, total=None: ctx.progress(done, total, _("Refreshing obligations"))
        )
    except Exception as error:  # reminders still go out; the run reports the failure
        from lms.extensions import db

        db.session.rollback()
        problem = error
    result["reminders"] = scans.scan_reminders(day, _reporter(ctx, _("Checking deadlines")))
    result["certificates"] = scans.scan_certificate_expiry(
        day, _reporter(ctx, _("Checking certificates"))
    )
    result["mail"] = _send_mail(ctx)
    result["ledger_seal"] = _seal_ledger()
    result["files"] = retention.remove_expired_files(day)
    result["retention"] = _apply_retention(day)
    if problem is not None:
        ctx.progress(ctx.done, ctx.total, _("Reminders sent; the refresh failed"))
        raise RuntimeError(f"obligations refresh failed: {describe(problem)}") from problem
    return result
