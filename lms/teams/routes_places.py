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
from lms.i18n import _, _l
from lms.organisation.models import Official
from lms.teams import places
from lms.teams.blueprint import bp
from lms.teams.decide import HeadDecisionPages
from lms.teams.forms import PlaceRequestForm
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


# /team/places/<id>: one request for a place, with the head's approve (the official is
# nominated to the class) and decline (with a reason the official reads) buttons.
PLACE_REQUEST_PAGES = HeadDecisionPages(
    name="place",
    url="/team/places/<int:request_id>",
    load=_team_request,
    page=_page,
    approve=(places.approve, _l("Approved: the official is nominated to the class.")),
    decline=(places.decline, _l("Declined; the official sees the reason.")),
).add_to(bp)
