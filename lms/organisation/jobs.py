"""The organisation module's background job (found by lms.jobs.registry.load_all):
`organisation.import` checks (dry run) or applies an officials import stored under
instance/imports/<token>/ (lms/organisation/import_jobs.py), with progress on the import's page
and on the run's page. Safe to run twice: the check rewrites its report, and the import
re-checks against the database first, so rows already imported change nothing."""

from contextlib import nullcontext

from flask_babel import force_locale

from lms.extensions import db
from lms.i18n import _, _l
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
) -> dict:
    """Check or import the upload `token` in the uploader's language; a failure is shown on the
    import's page."""
    folder = import_jobs.job_dir(token)
    if folder is None:
        return {"missing": token}
    meta = import_jobs.read_meta(folder)
    if ctx.actor is None or meta["user_id"] != ctx.actor.id:
        raise PermissionError("the import belongs to another user")
    message = _("Checking the file…") if step == "check" else _("Importing…")

    def report(done: int, total: int) -> None:
        ctx.progress(done, total, message)

    report(0, meta["rows"])
    try:
        with force_locale(locale) if locale else nullcontext():
            if step == "check":
                import_jobs.check(folder, scope, report)
            elif step == "apply":
                import_jobs.apply(folder, scope, ctx.actor, valid_only, report)
            else:
                raise ValueError(f"unknown step {step!r}")
    except Exception as error:  # the import's page shows the failure instead of spinning
        db.session.rollback()
        import_jobs.update_meta(folder, state="failed", error=str(error)[:500])
        raise
    return {"state": import_jobs.read_meta(folder)["state"]}
