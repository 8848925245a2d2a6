"""HR import of historical completions on the web: upload → checked preview with the per-row
report → confirm (the same flow as the officials import, whose job store it shares). Files above
LMS_IMPORT_INLINE_ROWS are checked and recorded on the job queue; the preview page shows the
progress and links to the run."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import has_role, require, scope_paths
from lms.common import exporter
from lms.common.forms import upload_page
from lms.common.tabular import TableError
from lms.curricula.blueprint import bp
from lms.curricula.completions import importer as completions_import
from lms.curricula.completions.forms import CompletionsImportForm, ConfirmImportForm
from lms.i18n import _
from lms.organisation import import_jobs


def can_import_completions(user) -> bool:
    """Historical completions import: HR officers (their scope) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def _scope():
    return scope_paths(current_user, HR_OFFICER, ADMINISTRATOR)


def _job():
    """The current user's completions upload named in the URL, or 404."""
    require(can_import_completions(current_user))
    token = request.view_args["token"]
    return import_jobs.owned(token, current_user.id, completions_import.KIND) or abort(404)


@bp.route("/completions/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def completions_import_upload():
    """Upload a file of historical completions; it is checked before anything is written."""
    require(can_import_completions(current_user))
    form = CompletionsImportForm()
    if form.validate_on_submit():
        try:
            folder, rows = import_jobs.receive(
                form.file.data,
                current_user.id,
                kind=completions_import.KIND,
                header_problem=completions_import.header_problem,
            )
        except TableError as error:
            form.file.errors = [str(error)]
        else:
            background = import_jobs.runs_in_background(rows)
            completions_import.queue_step(
                folder, "check", _scope(), background=background, actor=current_user
            )
            return redirect(url_for(".completions_import_preview", token=folder.name))
    return render_template("curricula/completions_upload.html", form=form)


@bp.route("/completions/import/<token>", methods=["GET", "POST"])
@login_required
def completions_import_preview(token: str):
    """The checked file: counts, the per-row report, and the confirm button."""
    folder = _job()
    meta = import_jobs.read_meta(folder)
    form = ConfirmImportForm()
    if form.validate_on_submit() and meta["state"] == "ready":
        import_jobs.update_meta(folder, state="importing")
        completions_import.queue_step(
            folder,
            "apply",
            _scope(),
            background=import_jobs.runs_in_background(meta["rows"]),
            actor=current_user,
            valid_only=bool(form.valid_only.data),
        )
        meta = import_jobs.read_meta(folder)
        if meta["state"] == "imported":
            flash(
                _(
                    "Import finished: %(created)s completions recorded, %(credits)s credits "
                    "written.",
                    **meta["result"],
                ),
                "success",
            )
        return redirect(url_for(".completions_import_preview", token=token))
    report = import_jobs.read_report(folder)
    errors = [line for line in report if line[2] or line[0] == 1]
    notes = [line for line in report if not line[2] and line[0] != 1]
    return render_template(
        "curricula/completions_preview.html",
        meta=meta,
        token=token,
        errors=errors[:500],
        error_count=len(errors),
        notes=notes[:500],
        form=form,
    )


@bp.route("/completions/import/<token>/report.<fmt>")
@login_required
def completions_import_report(token: str, fmt: str):
    """The per-row report of a checked file, as CSV or XLSX (cells escaped against formulas)."""
    folder = _job()
    header = [_("Line"), _("Employee code"), _("Column"), _("Result")]
    export = exporter.Export(
        "completions-report",
        _("Check report"),
        _("Completions import: check report"),
        header,
        import_jobs.read_report(folder),
    )
    return exporter.download(export, fmt)


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
