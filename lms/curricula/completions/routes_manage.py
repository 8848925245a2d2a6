"""HR import of historical completions on the web: upload → checked preview with the per-row
report → confirm, on the flow of lms.common.import_flow (as the officials import).
Files above LMS_IMPORT_INLINE_ROWS are checked and recorded on the job queue; the preview page
shows the progress and links to the run."""

from flask import abort, request
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import has_role, require, scope_paths
from lms.common import exporter
from lms.common.forms import upload_page
from lms.curricula.blueprint import bp
from lms.curricula.completions import importer as completions_import
from lms.curricula.completions.forms import CompletionsImportForm, ConfirmImportForm
from lms.i18n import _


def can_import_completions(user) -> bool:
    """Historical completions import: HR officers (their scope) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def _scope():
    return scope_paths(current_user, HR_OFFICER, ADMINISTRATOR)


def _job():
    """The current user's completions upload named in the URL, or 404."""
    require(can_import_completions(current_user))
    flow = completions_import.FLOW
    return flow.owned(request.view_args["token"], current_user.id) or abort(404)


@bp.route("/completions/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def completions_import_upload():
    """Upload a file of historical completions; it is checked before anything is written."""
    require(can_import_completions(current_user))
    return completions_import.FLOW.upload_view(
        CompletionsImportForm(),
        "curricula/completions_upload.html",
        ".completions_import_preview",
        current_user,
        _scope(),
    )


@bp.route("/completions/import/<token>", methods=["GET", "POST"])
@login_required
def completions_import_preview(token: str):
    """The checked file: counts, the per-row report, and the confirm button."""
    form = ConfirmImportForm()
    return completions_import.FLOW.preview_view(
        _job(),
        form,
        "curricula/completions_preview.html",
        current_user,
        _scope(),
        lambda result: _(
            "Import finished: %(created)s completions recorded, %(credits)s credits written.",
            **result,
        ),
        blocking=False,
        params=lambda: {"valid_only": bool(form.valid_only.data)},
    )


@bp.route("/completions/import/<token>/report.<fmt>")
@login_required
def completions_import_report(token: str, fmt: str):
    """The per-row report of a checked file, as CSV or XLSX (cells escaped against formulas)."""
    title = _("Completions import: check report")
    return completions_import.FLOW.report_download(_job(), fmt, "completions-report", title)


@bp.route("/completions/import/template.<fmt>")
@login_required
def completions_import_template(fmt: str):
    """An empty completions file with the expected columns and one example row."""
    require(can_import_completions(current_user))
    header, rows = completions_import.template_rows()
    export = exporter.Export(
        "completions-template", _("Completions"), _("Completions import template"), header, rows
    )
    return exporter.download(export, fmt)
