"""HR's leave pages: add, change or delete a leave period on an official's registry page, and
the leave import (upload → checked preview with the per-row report → confirm, the common
import flow), with its template and report downloads."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import can_edit_registry
from lms.auth.scope import Scope
from lms.common.forms import ButtonForm
from lms.common.import_pages import ImportPages
from lms.common.web import commit_or_attach
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation import leave, leave_import
from lms.organisation.blueprint import bp
from lms.organisation.forms import LeaveForm, LeaveImportForm
from lms.organisation.models import LeavePeriod
from lms.organisation.routes import _load_for_edit


def _scope() -> list[str] | None:
    return Scope.of(current_user, HR_OFFICER, ADMINISTRATOR).path_list


def _period(official, leave_id: int) -> LeavePeriod:
    """One of the official's leave periods, or 404."""
    period = db.session.get(LeavePeriod, leave_id)
    if period is None or period.official_id != official.id:
        abort(404)
    return period


def _data(form: LeaveForm) -> leave.LeaveData:
    return leave.LeaveData(
        form.kind.data, form.starts_on.data, form.ends_on.data, form.decision_number.data
    )


def _detail(official):
    return redirect(url_for(".official_detail", employee_code=official.employee_code) + "#leave")


@bp.route("/<employee_code>/leave/new", methods=["GET", "POST"])
@login_required
def leave_new(employee_code: str):
    """Record a leave period of an official (HR over the official's unit)."""
    official = _load_for_edit(employee_code)
    form = LeaveForm()
    if form.validate_on_submit():
        saved, _period_ = commit_or_attach(
            form, lambda: leave.save_leave(official, _data(form), current_user)
        )
        if saved:
            flash(_("Leave period recorded."), "success")
            return _detail(official)
    return render_template("organisation/leave_form.html", form=form, official=official)


@bp.route("/<employee_code>/leave/<int:leave_id>", methods=["GET", "POST"])
@login_required
def leave_edit(employee_code: str, leave_id: int):
    """Change a leave period (its dates, kind or decision)."""
    official = _load_for_edit(employee_code)
    period = _period(official, leave_id)
    form = LeaveForm(obj=period)
    if form.validate_on_submit():
        saved, _result = commit_or_attach(
            form, lambda: leave.save_leave(official, _data(form), current_user, period)
        )
        if saved:
            flash(_("Leave period changed."), "success")
            return _detail(official)
    return render_template(
        "organisation/leave_form.html", form=form, official=official, period=period
    )


@bp.route("/<employee_code>/leave/<int:leave_id>/delete", methods=["POST"])
@login_required
def leave_delete(employee_code: str, leave_id: int):
    """Delete a leave period entered by mistake (audited)."""
    official = _load_for_edit(employee_code)
    period = _period(official, leave_id)
    if ButtonForm().validate_on_submit():
        leave.delete_leave(official, period, current_user)
        db.session.commit()
        flash(_("Leave period deleted."), "success")
    return _detail(official)


# --- the leave import ----------------------------------------------------------------------


# /leave/import: upload a leave file, checked (dry run) before anything is written → preview
# with the per-row report → confirm (any row with an error stops it); the report and an empty
# template as CSV or XLSX.
LEAVE_IMPORT = ImportPages(
    flow=leave_import.FLOW,
    name="leave_import",
    url="/leave/import",
    may_import=can_edit_registry,
    scope=_scope,
    upload=(LeaveImportForm, "organisation/leave_import_upload.html"),
    preview=(ButtonForm, "organisation/leave_import_preview.html"),
    blocking=True,
    done=lambda result: _(
        "Import finished: %(created)d new leave periods, %(updated)d corrected.", **result
    ),
    report=("leave-report", _l("Leave import: check report")),
    template=(
        leave_import.template_rows,
        "leave-template",
        _l("Leave"),
        _l("Leave import template"),
    ),
).add_to(bp)
