"""HR imports on the web: upload → checked preview with a per-row report → confirm; templates
and the registry export in the same columns."""

from flask import abort, render_template, request
from flask_login import current_user, login_required

from lms.audit import reads
from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import can_edit_registry, require
from lms.auth.scope import Scope
from lms.common import exporter
from lms.common.forms import upload_page
from lms.common.web import client_address
from lms.extensions import db
from lms.i18n import _
from lms.organisation import exports, import_jobs, queries
from lms.organisation.blueprint import bp
from lms.organisation.forms import ConfirmImportForm, ExportForm, ImportForm


def _scope() -> list[str] | None:
    """The viewer's unit paths (None: all), as an import job's parameters keep them."""
    return Scope.of(current_user, HR_OFFICER, ADMINISTRATOR).path_list


def _job():
    """The current user's officials upload named in the URL, or 404."""
    require(can_edit_registry(current_user))
    return import_jobs.FLOW.owned(request.view_args["token"], current_user.id) or abort(404)


def _accounts_options(form: ConfirmImportForm) -> dict | None:
    """What the import is asked to do about accounts (None: nothing)."""
    if not form.provision_accounts.data:
        return None
    from lms.organisation.accounts import site_address

    return {"base_url": site_address(), "email": bool(form.email_links.data)}


@bp.route("/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def import_upload():
    """Upload a file; it is checked (dry run) before anything is written."""
    require(can_edit_registry(current_user))
    form = ImportForm()
    return import_jobs.FLOW.upload_view(
        form,
        "organisation/import_upload.html",
        ".import_preview",
        current_user,
        _scope(),
        options={"full_roster": bool(form.full_roster.data)},
    )


@bp.route("/import/<token>", methods=["GET", "POST"])
@login_required
def import_preview(token: str):
    """The checked file: counts, the per-row report, and the confirm button."""
    form = ConfirmImportForm()
    return import_jobs.FLOW.preview_view(
        _job(),
        form,
        "organisation/import_preview.html",
        current_user,
        _scope(),
        lambda result: _(
            "Import finished: %(created)d new, %(updated)d updated, %(moved)d position "
            "changes, %(left)d marked as left.",
            **result,
        ),
        blocking=False,
        params=lambda: {
            "valid_only": bool(form.valid_only.data),
            "accounts": _accounts_options(form),
        },
    )


@bp.route("/import/<token>/report.<fmt>")
@login_required
def import_report(token: str, fmt: str):
    """The per-row report of a checked file, as CSV or XLSX."""
    title = _("Officials import: check report")
    return import_jobs.FLOW.report_download(_job(), fmt, "import-report", title)


@bp.route("/import/template.<fmt>")
@login_required
def import_template(fmt: str):
    """An empty officials file with the expected columns and one example row."""
    require(can_edit_registry(current_user))
    header, rows = exports.template_rows()
    export = exporter.Export(
        "officials-template", _("Officials"), _("Officials import template"), header, rows
    )
    return exporter.download(export, fmt)


@bp.route("/export", methods=["GET", "POST"])
@login_required
def registry_export():
    """The registry (current filters, the viewer's scope) in the import columns; the reason and
    the number of officials exported are written to the audit log."""
    require(can_edit_registry(current_user))
    filters = queries.OfficialFilters(
        **{
            key: request.args.get(key, "").strip()
            for key in queries.OfficialFilters.__annotations__
        }
    )
    form = ExportForm()
    if form.validate_on_submit():
        header, rows = exports.official_rows(_scope(), filters)
        rows = list(rows)
        reads.record_list(
            current_user,
            "officials.exported",
            "registry",
            "officials",
            count=len(rows),
            scope=queries.narrowed_scope(_scope(), filters.unit_code),
            official_ids=reads.ids_if_few(queries.official_ids(_scope(), filters)),
            address=client_address(),
            via="web",
            reason=form.reason.data.strip(),
            format=form.fmt.data,
            filters={k: v for k, v in filters.__dict__.items() if v},
        )
        db.session.commit()
        unit = queries.export_unit(_scope(), filters.unit_code)
        export = exports.registry_export(header, rows, unit)
        return exporter.download(export, form.fmt.data)
    return render_template("organisation/export.html", form=form, filters=filters)
