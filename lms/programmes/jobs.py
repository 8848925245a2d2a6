"""The programmes' queued work: the historical chứng chỉ import of a large file."""

from lms.i18n import _l
from lms.jobs.registry import job
from lms.programmes import historical_import


@job(historical_import.JOB, label=_l("Import historical programme certificates"))
def import_certificates(
    ctx, token: str, step: str, scope: list[str] | None = None, locale: str = ""
) -> dict:
    """Check or import the upload `token` in the uploader's language."""
    return historical_import.FLOW.run_as_job(ctx, token, step, locale, scope=scope)
