"""Recruitment's background work (found by lms.jobs.registry.load_all): checking and importing a
candidates file too large to do inline."""

from lms.i18n import _l
from lms.jobs.registry import job
from lms.recruitment import importer


@job(importer.JOB, label=_l("Import candidates"))
def import_candidates(ctx, token: str, step: str, scope=None, locale: str = "") -> dict:
    """Check or import the candidates upload `token` in the uploader's language."""
    return importer.FLOW.run_as_job(ctx, token, step, locale, scope=scope)
