"""An official's classes under /me/classes/: their places and waiting-list spots, the classes
open to them for sign-up, a class's page with its timetable, signing up and cancelling."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.curricula.blueprint import bp
from lms.curricula.classes import calendar, enrolment, final_test, rules
from lms.curricula.classes.forms import CancelForm
from lms.curricula.classes.models import MemberStatus, TrainingClass
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _


def _official():
    require(current_user.official_id is not None)
    return current_user.official


def _visible_class(class_id: int) -> TrainingClass:
    """The class if the official is on it or may sign up for it; 404 otherwise."""
    official = _official()
    klass = db.session.get(TrainingClass, class_id)
    if klass is None or not enrolment.visible_to(klass, official.id, clock.today()):
        abort(404)
    return klass


@bp.route("/me/classes/")
@login_required
def my_classes():
    """The official's classes and the classes open to them for sign-up."""
    official = _official()
    today = clock.today()
    return render_template(
        "curricula/classes_mine.html",
        members=enrolment.my_members(official.id),
        open_classes=enrolment.open_to(official.id, today),
        today=today,
    )


@bp.route("/me/classes/<int:class_id>")
@login_required
def my_class(class_id: int):
    """A class as the official sees it: timetable, places, their status, sign-up or cancel."""
    klass = _visible_class(class_id)
    member = enrolment.member_of(klass, current_user.official_id)
    today = clock.today()
    return render_template(
        "curricula/classes_mine_detail.html",
        klass=klass,
        member=member,
        position=enrolment.waiting_position(member) if member else None,
        free=enrolment.free_places(klass),
        can_sign_up=rules.enrolment_open(today, klass.enrol_opens_on, klass.enrol_closes_on),
        can_cancel=rules.can_cancel(today, klass.cancel_closes_on, klass.starts_on),
        deadline=rules.cancel_deadline(klass.cancel_closes_on, klass.starts_on),
        button_form=ButtonForm(),
        cancel_form=CancelForm(),
        active=(MemberStatus.ENROLLED, MemberStatus.WAITLISTED),
        test_attempts=final_test.counted_attempts(klass, current_user.official_id),
        test_standing=final_test.standing(klass, current_user.official_id)
        if klass.final_quiz_id
        else None,
        test_refusal=final_test.why_not_take(klass, member),
    )


@bp.route("/me/classes/<int:class_id>/signup", methods=["POST"])
@login_required
def my_class_signup(class_id: int):
    """Sign up: a place, or a place on the waiting list when the class is full."""
    klass = _visible_class(class_id)
    if ButtonForm().validate_on_submit():
        try:
            member = enrolment.enrol(
                klass, current_user.official, source="signup", by_user=current_user
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if member.status == MemberStatus.ENROLLED:
                flash(_("You have a place in this class."), "success")
            else:
                flash(_("The class is full: you are on the waiting list."), "warning")
    return redirect(url_for(".my_class", class_id=class_id))


@bp.route("/me/classes/<int:class_id>/cancel", methods=["POST"])
@login_required
def my_class_cancel(class_id: int):
    """Cancel one's place (or waiting-list spot) by the deadline; the first official waiting
    takes the place."""
    klass = _visible_class(class_id)
    member = enrolment.member_of(klass, current_user.official_id)
    form = CancelForm()
    if member is None:
        abort(404)
    if form.validate_on_submit():
        try:
            enrolment.cancel(
                member, by_user=current_user, reason=form.reason.data, by_official=True
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your place is cancelled."), "success")
    return redirect(url_for(".my_class", class_id=class_id))


@bp.route("/me/classes/<int:class_id>/final-test", methods=["POST"])
@login_required
def my_class_final_test(class_id: int):
    """Start (or resume) the class's final test: officials holding a place only, from the
    class's first day; the attempt runs on the test engine's own pages."""
    klass = _visible_class(class_id)
    if ButtonForm().validate_on_submit():
        member = enrolment.member_of(klass, current_user.official_id)
        try:
            attempt = final_test.start(klass, member)
        except RuleViolation as error:
            db.session.commit()  # an overdue attempt closed on the way stays closed
            flash(error.message, "error")
        else:
            db.session.commit()
            return redirect(url_for("assessments.attempt_page", attempt_id=attempt.id))
    return redirect(url_for(".my_class", class_id=class_id, _anchor="final-test"))


@bp.route("/me/classes/<int:class_id>/invitation.ics")
@login_required
def my_class_invitation(class_id: int):
    """The calendar invitation of the official's place (a cancellation once cancelled)."""
    klass = _visible_class(class_id)
    member = enrolment.member_of(klass, current_user.official_id)
    if member is None or member.status == MemberStatus.WAITLISTED:
        abort(404)
    return Response(
        calendar.invitation(member),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="lop-hoc-{klass.id}.ics"',
            "Cache-Control": "no-store",
        },
    )
