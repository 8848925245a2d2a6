"""The completions import's background job (found by lms.jobs.registry.load_all):
`curricula.completions_import` checks (dry run) or records a historical completions import
stored under instance/imports/<token>/ (lms/curricula/completions/importer.py), with progress on
the import's page and on the run's page (lms.common.uploads). Safe to run twice: a step already
done is not run again, and the import re-checks against the database first; each row's
source_ref is a key of its content, so rows already recorded are not recorded again."""

from lms.curricula.completions import importer as completions_import
from lms.i18n import _l
from lms.jobs import job


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
    params = {"scope": scope, "valid_only": valid_only}
    return completions_import.FLOW.run_as_job(ctx, token, step, locale, **params)
