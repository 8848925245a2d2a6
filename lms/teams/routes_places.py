"""Requests for a place in a class (lms.teams.places): the official's page
`/me/place-requests` (ask, see the decision, withdraw) and the head's `/team/places/<id>`
(approve or decline). A request of an official outside the head's team is 404; an official
sees only their own."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.certificates.permissions import has_own_record
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach
from lms.curricula.classes.eligibility import outside_window
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official
from lms.teams import places
from lms.teams.blueprint import bp
from lms.teams.decide import head_decides
from lms.teams.forms import DecisionForm, PlaceRequestForm
from lms.teams.models import PlaceRequest
from lms.teams.permissions import can_lead_team
from lms.teams.routes_team import team_member


@bp.route("/me/place-requests", methods=["GET", "POST"])
@login_required
def my_place_requests():
    """The official's requests for a place in a class, and the form to ask for one."""
    require(has_own_record(current_user))
    official = db.session.get(Official, current_user.official_id) or abort(404)
    classes = places.requestable_classes(official.id)
    form = PlaceRequestForm()
    form.klass.choices = [("", _("Choose a class"))] + [
        (str(c.id), f"{c.title} ({c.starts_on:%d/%m/%Y})") for c in classes
    ]
    if form.validate_on_submit():
        klass = next((c for c in classes if str(c.id) == form.klass.data), None)
        if klass is None:
            form.klass.errors = [*form.klass.errors, _("Choose one of the classes listed.")]
        else:
            try:
                ok, _row = commit_or_attach(
                    form,
                    lambda: places.request_place(official, klass, form.reason.data, current_user),
                )
            except RuleViolation as error:
                db.session.rollback()
                form.form_errors.append(error.message)
                ok = False
            if ok:
                flash(_("Your request is sent to the head of your unit."), "success")
                return redirect(url_for("teams.my_place_requests"))
    return render_template(
        "teams/my_place_requests.html",
        form=form,
        classes=classes,
        requests=places.requests_of(official.id),
        button=ButtonForm(),
    )


@bp.route("/me/place-requests/<int:request_id>/withdraw", methods=["POST"])
@login_required
def place_withdraw(request_id: int):
    require(has_own_record(current_user))
    row = db.session.get(PlaceRequest, request_id)
    if row is None or row.official_id != current_user.official_id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        places.withdraw(row, current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Request withdrawn."), "success")
    return redirect(url_for("teams.my_place_requests"))


def _team_request(request_id: int) -> PlaceRequest:
    require(can_lead_team(current_user))
    row = db.session.get(PlaceRequest, request_id) or abort(404)
    team_member(row.official.employee_code)
    return row


def _page(row: PlaceRequest, form, status=200):
    period = outside_window(row.klass, clock.today())
    return render_template("teams/place_request.html", row=row, form=form, period=period), status


@bp.route("/team/places/<int:request_id>")
@login_required
def place_request(request_id: int):
    """One request for a place, with the head's approve and decline forms."""
    return _page(_team_request(request_id), DecisionForm(formdata=None))


def _decides(request_id: int, act, done: str):
    return head_decides(
        _team_request,
        request_id,
        _page,
        act,
        done,
        lambda row: url_for("teams.place_request", request_id=row.id),
    )


@bp.route("/team/places/<int:request_id>/approve", methods=["POST"])
@login_required
def place_approve(request_id: int):
    """The head approves: the official is nominated to the class."""
    return _decides(
        request_id,
        lambda row, reason: places.approve(row, reason, current_user),
        _("Approved: the official is nominated to the class."),
    )


@bp.route("/team/places/<int:request_id>/decline", methods=["POST"])
@login_required
def place_decline(request_id: int):
    """The head declines with a reason the official reads."""
    return _decides(
        request_id,
        lambda row, reason: places.decline(row, reason, current_user),
        _("Declined; the official sees the reason."),
    )
