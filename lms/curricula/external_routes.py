"""External training screens: an official's submissions under /me/external/, and the HR queue
under /external/ with approval (credits granted) or rejection (reason)."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from lms.audit import reads
from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import require, scope_paths
from lms.common.forms import upload_page
from lms.common.pagination import paginate
from lms.common.web import client_address, commit_or_attach, page_number
from lms.curricula import bp, external, ledger
from lms.curricula.models import ExternalRecord
from lms.curricula.source_forms import (
    EXTERNAL_STATUS_LABELS,
    ApproveForm,
    ExternalForm,
    ReasonForm,
)
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

bp.add_app_template_filter(
    lambda value: EXTERNAL_STATUS_LABELS.get(value, value), "external_status"
)


def _max_bytes() -> int:
    return int(current_app.config.get("LMS_EVIDENCE_MAX_BYTES", MAX_EVIDENCE_BYTES))


def _instance() -> Path:
    return Path(current_app.instance_path)


def _official_id() -> int:
    require(current_user.official_id is not None)
    return current_user.official_id


def _send(record: ExternalRecord, audited: bool = False):
    """The record's evidence file (404 when gone); `audited`: the download is a read of the
    official's data by HR, written to the audit log."""
    found = external.evidence_file(record, _instance())
    if found is None:
        abort(404)
    if audited:
        reads.record_view(
            current_user,
            "evidence.downloaded",
            record.official,
            client_address(),
            external_record=record.id,
            via="web",
        )
        db.session.commit()
    path, mime, name = found
    return send_file(path, mimetype=mime, as_attachment=True, download_name=name)


@bp.route("/me/external/")
@login_required
def my_external():
    """The official's external training records and their decisions."""
    records = external.own_records(_official_id())
    return render_template("curricula/external_mine.html", records=records)


@bp.route("/me/external/new", methods=["GET", "POST"])
@login_required
@upload_page("LMS_EVIDENCE_MAX_BYTES")
def my_external_new():
    """Submit training taken elsewhere with its evidence."""
    official_id = _official_id()
    form = ExternalForm()
    if form.validate_on_submit():
        upload = form.evidence.data
        content = upload.read(_max_bytes() + 1)
        upload.close()  # a large upload is spooled to a temporary file
        data = external.Submission(
            title=form.title.data,
            organiser=form.organiser.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            periods=form.periods.data,
        )
        saved, _record = commit_or_attach(
            form,
            lambda: external.submit(
                official_id,
                data,
                upload.filename or "",
                content,
                _instance() / external.EVIDENCE_FOLDER,
                _max_bytes(),
                current_user,
            ),
        )
        if saved:
            flash(_("Submitted. HR of your unit will review it."), "success")
            return redirect(url_for(".my_external"))
    return render_template(
        "curricula/external_form.html", form=form, max_mb=_max_bytes() // (1024 * 1024)
    )


@bp.route("/me/external/<int:record_id>/evidence")
@login_required
def my_external_evidence(record_id: int):
    """Download one's own evidence file."""
    record = db.session.get(ExternalRecord, record_id)
    if record is None or record.official_id != _official_id():
        abort(404)
    return _send(record)


def _hr_scope():
    return scope_paths(current_user, HR_OFFICER, ADMINISTRATOR)


def _load(record_id: int) -> ExternalRecord:
    require(external.can_review_external(current_user))
    record = external.record_in_scope(record_id, _hr_scope())
    if record is None:
        abort(404)
    return record


@bp.route("/external/")
@login_required
def external_queue():
    """External training records of the officials in scope (waiting ones by default)."""
    require(external.can_review_external(current_user))
    status = request.args.get("status", external.SUBMITTED)
    if status not in EXTERNAL_STATUS_LABELS and status != "all":
        status = external.SUBMITTED
    stmt = external.queue_select(_hr_scope(), None if status == "all" else status)
    page = paginate(stmt, page_number(), 50)
    return render_template("curricula/external_queue.html", page=page, status=status)


@bp.route("/external/<int:record_id>")
@login_required
def external_detail(record_id: int):
    """One record with the approve and reject forms."""
    record = _load(record_id)
    approve = ApproveForm(formdata=None, credits=external.default_credits(record.periods))
    return _detail(record, approve, ReasonForm(formdata=None))


def _detail(record, approve, reject, status=200):
    return (
        render_template(
            "curricula/external_detail.html",
            record=record,
            approve=approve,
            reject=reject,
            own_record=ledger.is_own_record(current_user, record.official_id),
        ),
        status,
    )


def _decidable(record_id: int) -> ExternalRecord:
    """A record in scope that the viewer may decide: never their own (403)."""
    record = _load(record_id)
    require(not ledger.is_own_record(current_user, record.official_id))
    return record


@bp.route("/external/<int:record_id>/approve", methods=["POST"])
@login_required
def external_approve(record_id: int):
    """Approve with the credits granted (one ledger entry); never one's own request."""
    record = _decidable(record_id)
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            saved, _done = commit_or_attach(
                form, lambda: external.approve(record, form.credits.data, current_user)
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".external_detail", record_id=record_id))
        if saved:
            flash(_("Approved: the credits are in the official's ledger."), "success")
            return redirect(url_for(".external_queue"))
    return _detail(record, form, ReasonForm(formdata=None), 422)


@bp.route("/external/<int:record_id>/reject", methods=["POST"])
@login_required
def external_reject(record_id: int):
    """Reject with a reason; never one's own request."""
    record = _decidable(record_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            saved, _done = commit_or_attach(
                form, lambda: external.reject(record, form.reason.data, current_user)
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".external_detail", record_id=record_id))
        if saved:
            flash(_("Rejected; the official sees the reason."), "success")
            return redirect(url_for(".external_queue"))
    approve = ApproveForm(formdata=None, credits=external.default_credits(record.periods))
    return _detail(record, approve, form, 422)


@bp.route("/external/<int:record_id>/evidence")
@login_required
def external_evidence(record_id: int):
    """Download the evidence of a record in scope (the read is audited)."""
    return _send(_load(record_id), audited=True)
