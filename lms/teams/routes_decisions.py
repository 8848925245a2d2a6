"""What the head decides: nominating officials of the team to a course, approving or declining
their external-training requests before HR; and HR's page of a unit's heads and head settings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import require, scope_paths
from lms.auth.scope import Scope
from lms.catalog.models import Course
from lms.common import clock
from lms.common.web import commit_or_attach
from lms.curricula.classes import enrolment as class_enrolment
from lms.curricula.classes.eligibility import outside_window
from lms.curricula.classes.models import TrainingClass
from lms.curricula.external.models import ExternalRecord
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, _l, ngettext
from lms.organisation.models import Official
from lms.organisation.queries import unit_by_code
from lms.teams import approvals, nominations, queries, services, team
from lms.teams.blueprint import bp
from lms.teams.decide import HeadDecisionPages
from lms.teams.forms import (
    ClassNominationForm,
    EndHeadForm,
    HeadForm,
    NominationForm,
    TeamSettingsForm,
)
from lms.teams.models import HeadReview
from lms.teams.permissions import can_lead_team, can_manage_heads
from lms.teams.routes_team import team_member


def _members() -> list:
    """The head's team today (standing rows of the latest cycle are not needed: names only)."""
    scope = team.head_scope()
    return [
        official
        for official in queries.officials_in(scope.path_list or [])
        if official.id != current_user.official_id
    ]


@bp.route("/team/nominate", methods=["GET", "POST"])
@login_required
def nominate():
    """Nominate officials of the team to a published course, with a reason."""
    require(can_lead_team(current_user))
    members = _members()
    form = NominationForm()
    form.course.choices = [("", _("Choose a course"))] + [
        (c.code, f"{c.code} — {c.title}") for c in nominations.published_courses()
    ]
    form.officials.choices = [(o.employee_code, o.full_name) for o in members]
    if request.method == "GET":
        form.officials.data = request.args.getlist("official")
        form.course.data = request.args.get("course", "", type=str)[:32].upper()
    if form.validate_on_submit():
        course = db.session.scalar(select(Course).where(Course.code == form.course.data))
        chosen = set(form.officials.data)
        picked = [o for o in members if o.employee_code in chosen]
        ok, made = commit_or_attach(
            form,
            lambda: nominations.nominate(
                picked, course, form.reason.data, form.wanted_by.data, current_user
            ),
        )
        if ok:
            count = len(made)
            flash(
                ngettext("%(num)s official nominated.", "%(num)s officials nominated.", count),
                "success",
            )
            return redirect(url_for("teams.team_page"))
    return render_template("teams/nominate.html", form=form, today=clock.today())


@bp.route("/team/nominate-class", methods=["GET", "POST"])
@login_required
def nominate_class():
    """Nominate officials of the team to an in-person class that is not over (lms.curricula.
    classes.enrolment.enrol, source "nominated": a place or the waiting list, audited, told)."""
    require(can_lead_team(current_user))
    members = _members()
    classes = list(
        db.session.scalars(
            select(TrainingClass)
            .where(TrainingClass.ends_on >= clock.today())
            .order_by(TrainingClass.starts_on, TrainingClass.id)
        )
    )
    form = ClassNominationForm()
    form.klass.choices = [("", _("Choose a class"))] + [
        (str(c.id), f"{c.title} ({c.starts_on:%d/%m/%Y})") for c in classes
    ]
    form.officials.choices = [(o.employee_code, o.full_name) for o in members]
    if request.method == "GET":
        form.officials.data = request.args.getlist("official")
    if form.validate_on_submit():
        klass = next((c for c in classes if str(c.id) == form.klass.data), None) or abort(404)
        chosen = set(form.officials.data)
        picked = [o for o in members if o.employee_code in chosen]

        def act():
            return [
                class_enrolment.enrol(
                    klass,
                    official,
                    source="nominated",
                    by_user=current_user,
                    reason=form.reason.data,
                    outside_period=bool(form.outside_period.data),
                )
                for official in picked
            ]

        try:
            ok, made = commit_or_attach(form, act)
        except RuleViolation as error:
            db.session.rollback()
            form.klass.errors = [*form.klass.errors, error.message]
            ok = False
        if ok:
            flash(
                ngettext("%(num)s official nominated.", "%(num)s officials nominated.", len(made)),
                "success",
            )
            if notice := outside_window(klass, clock.today()):
                flash(notice + " " + _("They were added outside the sign-up period."), "warning")
            return redirect(url_for("teams.team_page"))
    return render_template("teams/nominate_class.html", form=form)


def _request(record_id: int) -> ExternalRecord:
    """A request waiting for (or decided by) the head, of an official of the head's team;
    404 otherwise."""
    require(can_lead_team(current_user))
    record = db.session.get(ExternalRecord, record_id)
    if record is None or db.session.get(HeadReview, record_id) is None:
        abort(404)
    team_member(record.official.employee_code)
    return record


def _request_page(record, form, status=200):
    return (
        render_template(
            "teams/external_request.html",
            record=record,
            review=db.session.get(HeadReview, record.id),
            form=form,
        ),
        status,
    )


# /team/external/<id>: one external-training request of the team, with the head's approve (the
# request goes on to HR) and decline (rejected, the official reads the reason) buttons.
EXTERNAL_REQUEST_PAGES = HeadDecisionPages(
    name="external",
    url="/team/external/<int:record_id>",
    load=_request,
    page=_request_page,
    approve=(approvals.head_approve, _l("Approved; HR decides next.")),
    decline=(approvals.head_decline, _l("Declined; the official sees the reason.")),
).add_to(bp)


@bp.route("/team/units/<code>", methods=["GET", "POST"])
@login_required
def unit_settings(code: str):
    """HR: who heads a unit today, and the unit's head settings (approval, escalation)."""
    require(can_manage_heads(current_user))
    unit = unit_by_code(code)
    scope = scope_paths(current_user, HR_OFFICER, ADMINISTRATOR)
    if unit is None or not Scope.from_paths(scope).covers_unit(unit.path):
        abort(404)
    current = queries.settings_of(unit.id)
    form = TeamSettingsForm(
        formdata=None if request.method == "GET" else request.form,
        head_approval=current.head_approval,
        escalation_days=current.escalation_days,
    )
    if request.method == "POST" and form.validate_on_submit():
        ok, _row = commit_or_attach(
            form,
            lambda: services.save_settings(
                unit, form.head_approval.data, form.escalation_days.data, current_user
            ),
        )
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("teams.unit_settings", code=unit.code))
    heads = queries.heads_by_unit(clock.today(), [unit.id]).get(unit.id, set())
    officials = db.session.scalars(
        select(Official).where(Official.id.in_(heads or [0])).order_by(Official.sort_name)
    )
    return render_template(
        "teams/unit_settings.html",
        unit=unit,
        form=form,
        heads=list(officials),
        named=queries.named_heads(unit.id, clock.today()),
        head_form=HeadForm(formdata=None),
        end_form=EndHeadForm(formdata=None, ended_on=clock.today()),
    )
