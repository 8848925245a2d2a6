"""Personal-data requests: an official's own under /me/privacy, HR's queue under
/privacy/requests (scoped to their units; a request outside them is 404)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import require
from lms.auth.scope import Scope
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.pagination import paginate
from lms.common.web import commit_or_attach, page_number
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, format_day
from lms.privacy import requests as privacy
from lms.privacy.blueprint import bp
from lms.privacy.forms import OutcomeForm, RequestForm
from lms.privacy.models import OPEN_STATES, PrivacyRequest, RequestState

STATE_FILTERS = {"open": OPEN_STATES, "all": None, **{s.value: (s,) for s in RequestState}}


def _own_official():
    require(current_user.official is not None)
    return current_user.official


@bp.route("/me/privacy", methods=["GET", "POST"])
@login_required
def my_requests():
    """The official's requests about their data, and the form to make one."""
    official = _own_official()
    form = RequestForm()
    if form.validate_on_submit():
        data = privacy.NewRequest(form.kind.data, form.details.data)
        saved, made = commit_or_attach(form, lambda: privacy.submit(official, data, current_user))
        if saved:
            flash(
                _(
                    "Your request is received. HR of your unit will answer by %(day)s.",
                    day=format_day(made.due_on),
                ),
                "success",
            )
            return redirect(url_for(".my_request", request_id=made.id))
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "privacy/my_requests.html",
            form=form,
            requests=privacy.own_requests(official.id),
            response_days=current_app.config["LMS_PRIVACY_RESPONSE_DAYS"],
        ),
        status,
    )


@bp.route("/me/privacy/<int:request_id>")
@login_required
def my_request(request_id: int):
    """One of the official's own requests, with its answer."""
    official = _own_official()
    found = db.session.get(PrivacyRequest, request_id)
    if found is None or found.official_id != official.id:
        abort(404)
    return render_template("privacy/my_request.html", item=found, today=clock.today())


def _scope():
    return Scope.of(current_user, HR_OFFICER, ADMINISTRATOR)


def _load(request_id: int) -> PrivacyRequest:
    require(privacy.can_handle_requests(current_user))
    found = privacy.request_in_scope(request_id, _scope())
    if found is None:
        abort(404)
    return found


@bp.route("/privacy/requests")
@login_required
def request_queue():
    """Requests about officials of the HR officer's units: open ones by default, earliest due
    first, overdue ones marked."""
    require(privacy.can_handle_requests(current_user))
    state = request.args.get("state", "open")
    if state not in STATE_FILTERS:
        state = "open"
    page = paginate(privacy.queue_select(_scope(), STATE_FILTERS[state]), page_number(), 50)
    return render_template(
        "privacy/queue.html", page=page, state=state, states=RequestState, today=clock.today()
    )


def _detail(found: PrivacyRequest, done=None, refuse=None, status: int = 200):
    return (
        render_template(
            "privacy/request.html",
            item=found,
            today=clock.today(),
            start_form=ButtonForm(formdata=None),
            done_form=done or OutcomeForm(formdata=None, prefix="done"),
            refuse_form=refuse or OutcomeForm(formdata=None, prefix="refuse"),
        ),
        status,
    )


@bp.route("/privacy/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    """One request with the official's words and HR's actions."""
    return _detail(_load(request_id))


@bp.route("/privacy/requests/<int:request_id>/start", methods=["POST"])
@login_required
def request_start(request_id: int):
    """Take a received request in hand."""
    found = _load(request_id)
    if ButtonForm().validate_on_submit():
        try:
            privacy.start(found, current_user)
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The request is in progress; the official is notified."), "success")
    return redirect(url_for(".request_detail", request_id=request_id))


def _close(request_id: int, state: RequestState, prefix: str, message: str):
    found = _load(request_id)
    form = OutcomeForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            saved, _closed = commit_or_attach(
                form, lambda: privacy.close(found, state, form.outcome.data, current_user)
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".request_detail", request_id=request_id))
        if saved:
            flash(message, "success")
            return redirect(url_for(".request_queue"))
    forms = {"done": form} if prefix == "done" else {"refuse": form}
    return _detail(found, status=422, **forms)


@bp.route("/privacy/requests/<int:request_id>/done", methods=["POST"])
@login_required
def request_done(request_id: int):
    """Close a request as done, saying what was done."""
    return _close(
        request_id, RequestState.DONE, "done", _("The request is done; the official is notified.")
    )


@bp.route("/privacy/requests/<int:request_id>/refuse", methods=["POST"])
@login_required
def request_refuse(request_id: int):
    """Refuse a request, with the reason."""
    return _close(
        request_id,
        RequestState.REFUSED,
        "refuse",
        _("The request is refused; the official is notified with the reason."),
    )
