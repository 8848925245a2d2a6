"""External training screens of HR: the queue under /external/, a submission with its evidence,
approval (credits granted) or rejection (reason)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import require, scope_paths
from lms.common.pagination import paginate
from lms.common.web import commit_or_attach, page_number
from lms.curricula.blueprint import bp
from lms.curricula.external import evidence
from lms.curricula.external import services as external
from lms.curricula.external.forms import ApproveForm
from lms.curricula.external.models import ExternalRecord, ExternalStatus
from lms.curricula.external.stages import stages_of
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.forms import ReasonForm
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _


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
    if status not in set(ExternalStatus) and status != "all":
        status = external.SUBMITTED
    stmt = external.queue_select(_hr_scope(), None if status == "all" else status)
    page = paginate(stmt, page_number(), 50)
    stages = stages_of([record.id for record in page.items])
    return render_template("curricula/external_queue.html", page=page, status=status, stages=stages)


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
            stages=stages_of([record.id]).get(record.id, []),
        ),
        status,
    )


def _decidable(record_id: int) -> ExternalRecord:
    """A record in scope that the viewer may decide: never their own (403)."""
    record = _load(record_id)
    require(not ledger.is_own_record(current_user, record.official_id))
    return record


def _decide(record: ExternalRecord, form, act):
    """A decision posted with `form` (an ApproveForm or a ReasonForm): `act()` is committed (a
    rule it breaks is flashed, back to the record), then back to the queue; an invalid form shows
    the record again with it, beside a fresh form of the other decision."""
    approving = isinstance(form, ApproveForm)
    if form.validate_on_submit():
        try:
            saved, _done = commit_or_attach(form, act)
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".external_detail", record_id=record.id))
        if saved:
            if approving:
                flash(_("Approved: the credits are in the official's ledger."), "success")
            else:
                flash(_("Rejected; the official sees the reason."), "success")
            return redirect(url_for(".external_queue"))
    if approving:
        return _detail(record, form, ReasonForm(formdata=None), 422)
    approve = ApproveForm(formdata=None, credits=external.default_credits(record.periods))
    return _detail(record, approve, form, 422)


@bp.route("/external/<int:record_id>/approve", methods=["POST"])
@login_required
def external_approve(record_id: int):
    """Approve with the credits granted (one ledger entry); never one's own request."""
    record = _decidable(record_id)
    form = ApproveForm()
    return _decide(record, form, lambda: external.approve(record, form.credits.data, current_user))


@bp.route("/external/<int:record_id>/reject", methods=["POST"])
@login_required
def external_reject(record_id: int):
    """Reject with a reason; never one's own request."""
    record = _decidable(record_id)
    form = ReasonForm()
    return _decide(record, form, lambda: external.reject(record, form.reason.data, current_user))


@bp.route("/external/<int:record_id>/evidence")
@login_required
def external_evidence(record_id: int):
    """Download the evidence of a record in scope (the read is audited)."""
    return evidence.send(_load(record_id), audited=True)
