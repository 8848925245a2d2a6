"""The organisation module's background jobs (found by lms.jobs.registry.load_all):
`organisation.import` checks (dry run) or applies an officials import stored under
instance/imports/<token>/ (lms/organisation/import_jobs.py, on lms.common.uploads), with progress
on the import's page and on the run's page. Safe to run twice: a step already done is not run
again, and the import re-checks against the database first, so rows already imported change
nothing. `organisation.leave_import` does the same for a leave import
(lms/organisation/leave_import.py)."""

from lms.i18n import _l
from lms.jobs import job
from lms.organisation import import_jobs, leave_import


@job("organisation.import", label=_l("Import officials"))
def import_officials(
    ctx,
    token: str,
    step: str,
    scope: list[str] | None = None,
    valid_only: bool = False,
    locale: str = "",
    accounts: dict | None = None,
) -> dict:
    """Check or import the upload `token` in the uploader's language; a failure is shown on the
    import's page."""
    params = {"scope": scope, "valid_only": valid_only, "accounts": accounts}
    return import_jobs.FLOW.run_as_job(ctx, token, step, locale, **params)


@job(leave_import.JOB, label=_l("Import leave periods"))
def import_leave(
    ctx, token: str, step: str, scope: list[str] | None = None, locale: str = ""
) -> dict:
    """Check or import the leave upload `token` in the uploader's language."""
    return leave_import.FLOW.run_as_job(ctx, token, step, locale, scope=scope)
