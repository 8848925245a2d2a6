"""The curricula module's background job (found by lms.jobs.registry.load_all):
`curricula.completions_import` checks (dry run) or records a historical completions import
stored under instance/imports/<token>/ (lms/curricula/completions_import.py), with progress on
the import's page and on the run's page. Safe to run twice: the check rewrites its report, and
the import re-checks against the database first; each row's source_ref is a key of its
content, so rows already recorded are not recorded again."""

from contextlib import nullcontext

from flask_babel import force_locale

from lms.curricula import completions_import
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import job
from lms.organisation import import_jobs


@job(completions_import.JOB, label=_l("Import completions"))
def import_completions(
    ctx,
    token: str,
    step: str,
    scope: list[str] | None = None,
    valid_only: bool = False,
    locale: str = "",
) -> dict:
    """Check or record the upload `token` in the uploader's language; a failure is shown on the
    import's page (state "failed") as well as on the run's."""
    folder = import_jobs.job_dir(token)
    if folder is None:
        return {"missing": token}
    meta = import_jobs.read_meta(folder)
    if meta.get("kind") != completions_import.KIND:
        raise ValueError("the upload is not a completions import")
    if ctx.actor is None or meta["user_id"] != ctx.actor.id:
        raise PermissionError("the import belongs to another user")
    message = _("Checking the file…") if step == "check" else _("Importing…")

    def report(done: int, total: int) -> None:
        ctx.progress(done, total, message)

    report(0, meta["rows"])
    try:
        with force_locale(locale) if locale else nullcontext():
            if step == "check":
                completions_import.check_job(folder, scope, report)
            elif step == "apply":
                completions_import.apply_job(folder, scope, ctx.actor, valid_only, report)
            else:
                raise ValueError(f"unknown step {step!r}")
    except Exception as error:  # the import's page shows the failure instead of spinning
        db.session.rollback()
        import_jobs.update_meta(folder, state="failed", error=str(error)[:500])
        raise
    return {"state": import_jobs.read_meta(folder)["state"]}
