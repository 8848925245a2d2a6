"""HR imports on the web: upload → checked preview with a per-row report → confirm; templates
and the registry export in the same columns."""

from flask import render_template, request
from flask_login import current_user, login_required

from lms.audit import reads
from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import can_edit_registry, require
from lms.auth.scope import Scope
from lms.common import exporter
from lms.common.import_pages import ImportPages
from lms.common.web import client_address
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation import exports, import_jobs, queries
from lms.organisation.blueprint import bp
from lms.organisation.forms import ConfirmImportForm, ExportForm, ImportForm


def _scope() -> list[str] | None:
    """The viewer's unit paths (None: all), as an import job's parameters keep them."""
    return Scope.of(current_user, HR_OFFICER, ADMINISTRATOR).path_list


def _accounts_options(form: ConfirmImportForm) -> dict | None:
    """What the import is asked to do about accounts (None: nothing)."""
    if not form.provision_accounts.data:
        return None
    from lms.organisation.accounts import site_address

    return {"base_url": site_address(), "email": bool(form.email_links.data)}


# /import: upload a file, checked (dry run) before anything is written → preview with the
# per-row report → confirm; the report and an empty template as CSV or XLSX.
OFFICIALS_IMPORT = ImportPages(
    flow=import_jobs.FLOW,
    name="import",
    url="/import",
    may_import=can_edit_registry,
    scope=_scope,
    upload=(ImportForm, "organisation/import_upload.html"),
    upload_options=lambda form: {"full_roster": bool(form.full_roster.data)},
    preview=(ConfirmImportForm, "organisation/import_preview.html"),
    confirm_params=lambda form: {
        "valid_only": bool(form.valid_only.data),
        "accounts": _accounts_options(form),
    },
    blocking=False,
    done=lambda result: _(
        "Import finished: %(created)d new, %(updated)d updated, %(moved)d position "
        "changes, %(left)d marked as left.",
        **result,
    ),
    report=("import-report", _l("Officials import: check report")),
    template=(
        exports.template_rows,
        "officials-template",
        _l("Officials"),
        _l("Officials import template"),
    ),
).add_to(bp)


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
