"""The jobs this package registers: the nightly run, which runs the steps the domains register
(lms.jobs.registry.nightly_step) in their order, and mail delivery; with the nightly's own
steps (sending the pending email, deleting expired job files).

Today's nightly steps, by order: 10 obligations (refresh every official's obligations and
targets), 20 reminders (deadline reminders), 30 certificates (expiry warnings), 40 mail,
50 ledger_seal (seal the credit ledger, the frozen statements and the audit log), 60 files
(uploads and bulk downloads past their retention), 70 retention (personal data past its
retention period, lms.privacy).
"""

from datetime import date

from lms.common import clock
from lms.common.errortext import describe
from lms.extensions import db
from lms.i18n import _l
from lms.jobs import mailer, retention
from lms.jobs.lease import LeaseLost
from lms.jobs.registry import job, nightly_step, nightly_steps


def as_of_day(value: str | None) -> date:
    """A job's `as_of` parameter (ISO date) as a date; today when not given."""
    return date.fromisoformat(value) if value else clock.today()


@job("notifications.deliver", label=_l("Send pending email"))
def deliver(ctx) -> dict:
    """Send every pending email now (normally done after each commit that notifies)."""
    return ctx.send_mail()


@nightly_step(40, "mail", _l("Sending email"))
def _send_mail(as_of: date, progress) -> dict:
    """Deliver the email the earlier steps wrote."""
    waiting = mailer.pending_count()
    return mailer.deliver_pending(lambda sent: progress(sent, waiting))


@nightly_step(60, "files")
def _remove_expired_files(as_of: date, progress) -> dict:
    """Delete uploads and bulk downloads past their retention (lms.jobs.retention)."""
    return retention.remove_expired_files(as_of)


@job("nightly", label=_l("Nightly maintenance"))
def nightly(ctx, as_of: str | None = None) -> dict:
    """Run every registered nightly step in order (the list is in this module's docstring),
    each result under the step's name. A step that may fail without stopping the night (the
    obligations refresh: the reminders go out all the same) is rolled back, and the run is
    marked failed with its error once the later steps have run."""
    day = as_of_day(as_of)
    result: dict = {}
    failed = None
    for step in nightly_steps():
        progress = ctx.reporter(step.label)
        if step.failure_note is None:
            result[step.name] = step.func(day, progress)
            continue
        try:
            result[step.name] = step.func(day, progress)
        except LeaseLost:
            raise
        except Exception as error:  # the later steps still run; the run reports the failure
            db.session.rollback()
            failed = failed or (step, error)
    if failed is not None:
        step, problem = failed
        ctx.progress(ctx.done, ctx.total, str(step.failure_note))
        raise RuntimeError(f"{step.failure_name} failed: {describe(problem)}") from problem
    return result
