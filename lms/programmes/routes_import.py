"""The historical chứng chỉ import on the web (/manage/programmes/certificates/import): upload a
CSV or XLSX file, see it checked (a dry run with each row's errors), confirm; for the staff
who manage certificates, over the officials of their scope (lms.programmes.historical_import).
An upload is its uploader's: anyone else's token is 404."""

from flask import abort
from flask_login import current_user, login_required

from lms.common import exporter
from lms.common.forms import ButtonForm, upload_page
from lms.i18n import _
from lms.programmes import historical_import
from lms.programmes.blueprint import bp
from lms.programmes.forms import CertificatesImportForm
from lms.programmes.routes import _staff_scope

FLOW = historical_import.FLOW


def _scope_list() -> list[str] | None:
    return _staff_scope()  # the unit paths of the officials whose certificates they manage


@bp.route("/manage/programmes/certificates/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def certificates_import():
    """Upload a file of paper chứng chỉ; it is checked before anything is written."""
    scope = _scope_list()
    return FLOW.upload_view(
        CertificatesImportForm(),
        "programmes/import_upload.html",
        ".certificates_import_preview",
        current_user,
        scope,
    )


@bp.route("/manage/programmes/certificates/import/<token>", methods=["GET", "POST"])
@login_required
def certificates_import_preview(token: str):
    """The checked file: counts, the per-row report, and the confirm button."""
    scope = _scope_list()
    return FLOW.preview_view(
        FLOW.owned(token, current_user.id) or abort(404),
        ButtonForm(),
        "programmes/import_preview.html",
        current_user,
        scope,
        lambda result: _("Import finished: %(created)d programme certificates recorded.", **result),
        blocking=True,
    )


@bp.route("/manage/programmes/certificates/import/template.<fmt>")
@login_required
def certificates_import_template(fmt: str):
    """An empty file with the expected columns and one example row."""
    _staff_scope()
    header, rows = historical_import.template_rows()
    title = _("Historical programme certificates import template")
    export = exporter.Export("chung-chi-template", _("Programme certificates"), title, header, rows)
    return exporter.download(export, fmt)
