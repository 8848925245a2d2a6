"""The organisation module's background job (found by lms.jobs.registry.load_all):
`organisation.import` checks (dry run) or applies an officials import stored under
instance/imports/<token>/ (lms/organisation/import_jobs.py), with progress on the import's page
and on the run's page. Safe to run twice: the check rewrites its report, and the import
re-checks against the database first, so rows already imported change nothing."""

from lms.i18n import _l
from lms.jobs import job
from lms.organisation import import_jobs


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
    steps = {
        "check": lambda folder, report: import_jobs.check(folder, scope, report),
        "apply": lambda folder, report: import_jobs.apply(
            folder, scope, ctx.actor, valid_only, report, accounts
        ),
    }
    return import_jobs.run_step_as_job(ctx, token, import_jobs.OFFICIALS, step, steps, locale)
