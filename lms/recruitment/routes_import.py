"""The candidates import pages (upload → checked preview → confirm; lms.common.uploads) and the
import template."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.common import exporter, import_flow, uploads
from lms.common.forms import ButtonForm, upload_page
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import importer
from lms.recruitment.blueprint import bp
from lms.recruitment.forms import CandidatesImportForm
from lms.recruitment.models import Recruitment
from lms.recruitment.permissions import can_run_recruitments, runs
from lms.recruitment.routes_manage import _recruitment


@bp.route("/manage/recruitment/<code>/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def import_upload(code: str):
    """Upload a candidates file; every row is checked (dry run) before anything is written."""
    item = _recruitment(code)
    form = CandidatesImportForm()
    if form.validate_on_submit():
        folder = importer.FLOW.upload(form.file, current_user, None, recruitment_id=item.id)
        if folder is not None:
            return redirect(url_for(".import_preview", token=folder.name))
    return render_template("recruitment/import_upload.html", form=form, recruitment=item)


@bp.route("/manage/recruitment/import/<token>", methods=["GET", "POST"])
@login_required
def import_preview(token: str):
    """The checked file: counts, the per-row report, and the confirm button."""
    if not can_run_recruitments(current_user):
        abort(403)
    folder = importer.FLOW.owned(token, current_user.id) or abort(404)
    meta = uploads.read_meta(folder)
    item = db.session.get(Recruitment, meta["recruitment_id"])
    if item is None or not runs(current_user, item):
        abort(404)
    form = ButtonForm()
    if form.validate_on_submit() and meta["state"] == "ready" and not meta.get("has_errors"):
        meta = importer.FLOW.confirm(folder, current_user, None)
        if meta["state"] == "imported":
            flash(
                _("Import finished: %(created)d candidates registered.", **meta["result"]),
                "success",
            )
        return redirect(url_for(".import_preview", token=token))
    report = import_flow.read_report(folder)
    errors = [line for line in report if line.is_problem]
    notes = [line for line in report if not line.is_problem]
    return render_template(
        "recruitment/import_preview.html",
        meta=meta,
        recruitment=item,
        errors=errors[:500],
        error_count=len(errors),
        notes=notes[:500],
        form=form,
    )


@bp.route("/manage/recruitment/import/template.<fmt>")
@login_required
def import_template(fmt: str):
    """An empty candidates file with the expected columns and one example row."""
    if not can_run_recruitments(current_user):
        abort(403)
    header, rows = importer.template_rows()
    title = _("Candidates import template")
    export = exporter.Export("candidates-template", _("Candidates"), title, header, rows)
    return exporter.download(export, fmt)
