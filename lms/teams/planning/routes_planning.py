"""The needs and plan pages (docs/operators.md "Training needs and the annual plan"):
/planning/<year>/needs — the units of the viewer's scope and the state of their needs;
/planning/<year>/needs/<unit> — a unit's need lines, add, remove, submit (HR and heads), return
(the Department); /planning/<year>/plan — consolidate, classes, approve, reopen (the
Department); /planning/<year>/actual — plan vs actual, on screen and as XLSX/CSV. A unit
outside the viewer's scope is 404."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.models import HR_OFFICER
from lms.auth.permissions import require
from lms.auth.scope import Scope
from lms.catalog.models import ContentArea
from lms.common import clock, exporter
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach, page_number
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.queries import unit_by_code
from lms.teams.blueprint import bp
from lms.teams.nominations import published_courses
from lms.teams.permissions import can_lead_team
from lms.teams.planning import queries, services
from lms.teams.planning.forms import ApproveForm, ClassesForm, NeedForm, ReasonForm
from lms.teams.planning.models import NeedLine, NeedState, PlanState
from lms.teams.planning.permissions import (
    can_reopen_plan,
    can_submit_needs,
    is_department,
    needs_scope,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return year


def _unit(code: str, scope: Scope):
    unit = unit_by_code(code)
    if unit is None or not scope.covers_unit(unit.path):
        abort(404)
    return unit


@bp.route("/planning/")
@login_required
def planning_home():
    """Next year's needs (the year units plan in)."""
    require(can_submit_needs(current_user))
    return redirect(url_for("teams.needs_overview", year=clock.today().year + 1))


@bp.route("/planning/<int:year>/needs")
@login_required
def needs_overview(year: int):
    """The units of the viewer's scope with the state of their needs for `year`."""
    require(can_submit_needs(current_user))
    scope = needs_scope(current_user)
    page = queries.units_page(scope, _year(year), page_number())
    submitted, drafts = queries.submitted_count(year, scope)
    return render_template(
        "teams/planning/needs_overview.html",
        year=year,
        page=page,
        submitted=submitted,
        drafts=drafts,
        department=is_department(current_user),
    )


def _need_form() -> NeedForm:
    form = NeedForm()
    form.course.choices = [("", _("No course: a content area"))] + [
        (c.code, f"{c.code} — {c.title}") for c in published_courses()
    ]
    form.content_area.choices = [("", "—")] + ContentArea.choices()
    form.quarter.choices = [("", _("Choose a quarter"))] + [
        (str(q), _("Quarter %(number)s", number=q)) for q in (1, 2, 3, 4)
    ]
    return form


@bp.route("/planning/<int:year>/needs/<code>", methods=["GET", "POST"])
@login_required
def unit_needs(year: int, code: str):
    """A unit's needs for `year`: the lines, a form to add one, and the submit button."""
    require(can_submit_needs(current_user))
    unit = _unit(code, needs_scope(current_user))
    _year(year)
    form = _need_form()
    if form.validate_on_submit():
        data = services.NeedData(
            form.course.data or "",
            form.content_area.data or "",
            form.count.data,
            int(form.quarter.data) if form.quarter.data.isdigit() else None,
            form.positions.data or "",
            form.note.data or "",
        )
        try:
            ok, _line = commit_or_attach(
                form, lambda: services.add_need(unit, year, data, current_user)
            )
        except RuleViolation as error:  # the needs are submitted: locked
            db.session.rollback()
            ok = False
            form.form_errors.append(error.message)
        if ok:
            flash(_("Need added."), "success")
            return redirect(url_for("teams.unit_needs", year=year, code=unit.code))
    submission = services.submission_of(unit, year)
    return render_template(
        "teams/planning/unit_needs.html",
        year=year,
        unit=unit,
        submission=submission,
        lines=queries.need_lines(submission),
        position_names=queries.position_names(),
        form=form,
        button=ButtonForm(),
        return_form=ReasonForm(),
        draft=submission is None or submission.state == NeedState.DRAFT,
        department=is_department(current_user),
        approved=_approved(year),
        can_nominate=can_lead_team(current_user),
    )


def _approved(year: int) -> bool:
    plan = services.plan_of(year)
    return plan is not None and plan.state == PlanState.APPROVED


def _act(action, done: str, year: int, code: str):
    try:
        action()
    except (RuleViolation, ValidationFailed) as error:
        db.session.rollback()
        flash(getattr(error, "message", None) or _("The change was refused."), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("teams.unit_needs", year=year, code=code))


@bp.route("/planning/<int:year>/needs/<code>/lines/<int:line_id>/delete", methods=["POST"])
@login_required
def need_delete(year: int, code: str, line_id: int):
    require(can_submit_needs(current_user))
    unit = _unit(code, needs_scope(current_user))
    line = db.session.get(NeedLine, line_id)
    if line is None or line.submission.unit_id != unit.id or line.submission.year != year:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _act(lambda: services.remove_need(line, current_user), _("Need removed."), year, code)


@bp.route("/planning/<int:year>/needs/<code>/submit", methods=["POST"])
@login_required
def needs_submit(year: int, code: str):
    require(can_submit_needs(current_user))
    unit = _unit(code, needs_scope(current_user))
    _year(year)
    if not ButtonForm().validate_on_submit():
        abort(400)
    done = _("Needs submitted to the Department.")
    return _act(lambda: services.submit_needs(unit, year, current_user), done, year, unit.code)


@bp.route("/planning/<int:year>/needs/<code>/return", methods=["POST"])
@login_required
def needs_return(year: int, code: str):
    require(is_department(current_user))
    unit = _unit(code, Scope.of(current_user, HR_OFFICER))
    submission = services.submission_of(unit, _year(year)) or abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for returning the needs."), "error")
        return redirect(url_for("teams.unit_needs", year=year, code=unit.code))
    done = _("Needs returned to the unit.")
    return _act(
        lambda: services.return_needs(submission, form.reason.data, current_user),
        done,
        year,
        unit.code,
    )


# --- the plan (the Department) ----------------------------------------------------------------


@bp.route("/planning/<int:year>/plan")
@login_required
def plan_page(year: int):
    """The annual plan by course and quarter, with its actions."""
    require(is_department(current_user))
    plan = services.plan_of(_year(year))
    submitted, drafts = queries.submitted_count(year)
    return render_template(
        "teams/planning/plan.html",
        year=year,
        plan=plan,
        rows=queries.plan_rows(plan) if plan else [],
        submitted=submitted,
        drafts=drafts,
        button=ButtonForm(),
        approve_form=ApproveForm(),
        reopen_form=ReasonForm(),
        may_reopen=can_reopen_plan(current_user),
        department=True,
        draft=plan is None or plan.state == PlanState.DRAFT,
    )


def _plan_act(action, done: str, year: int):
    try:
        action()
    except (RuleViolation, ValidationFailed) as error:
        db.session.rollback()
        message = getattr(error, "message", None)
        if message is None and isinstance(error, ValidationFailed):
            message = " ".join(reason for _field, reason in error.reasons)
        flash(message or _("The change was refused."), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("teams.plan_page", year=year))


@bp.route("/planning/<int:year>/plan/consolidate", methods=["POST"])
@login_required
def plan_consolidate(year: int):
    require(is_department(current_user))
    if not ButtonForm().validate_on_submit():
        abort(400)
    done = _("The submitted needs are consolidated into the plan.")
    return _plan_act(lambda: services.consolidate(_year(year), current_user), done, year)


@bp.route("/planning/<int:year>/plan/classes", methods=["POST"])
@login_required
def plan_classes(year: int):
    require(is_department(current_user))
    form = ClassesForm()
    if not form.validate_on_submit() or form.classes.data is None:
        flash(_("Give a number of classes from 0 to 1,000."), "error")
        return redirect(url_for("teams.plan_page", year=_year(year)))
    if not (form.course_id.data.isdigit() and form.quarter.data.isdigit()):
        abort(404)
    return _plan_act(
        lambda: services.set_classes(
            _year(year),
            int(form.course_id.data),
            int(form.quarter.data),
            form.classes.data,
            current_user,
        ),
        _("Classes planned saved."),
        year,
    )


@bp.route("/planning/<int:year>/plan/approve", methods=["POST"])
@login_required
def plan_approve(year: int):
    require(is_department(current_user))
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    done = _("The plan of %(year)s is approved.", year=year)
    return _plan_act(
        lambda: services.approve(_year(year), form.decision_no.data, current_user), done, year
    )


@bp.route("/planning/<int:year>/plan/reopen", methods=["POST"])
@login_required
def plan_reopen(year: int):
    require(can_reopen_plan(current_user))
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for reopening the plan."), "error")
        return redirect(url_for("teams.plan_page", year=_year(year)))
    done = _("The plan of %(year)s is reopened.", year=year)
    return _plan_act(
        lambda: services.reopen(_year(year), form.reason.data, current_user), done, year
    )


# --- plan vs actual ---------------------------------------------------------------------------


def _comparison(year: int):
    require(can_submit_needs(current_user))
    plan = services.plan_of(_year(year))
    by = request.args.get("by", "unit", type=str)
    if by not in queries.BY:
        by = "unit"
    if plan is None:
        return None, by
    return queries.plan_vs_actual(plan, needs_scope(current_user), by), by


@bp.route("/planning/<int:year>/actual")
@login_required
def plan_actual(year: int):
    """Plan vs actual of `year` for the viewer's units, grouped one way."""
    comparison, by = _comparison(year)
    return render_template(
        "teams/planning/actual.html",
        year=year,
        comparison=comparison,
        by=by,
        plan=services.plan_of(year),
        department=is_department(current_user),
    )


@bp.route("/planning/<int:year>/actual.<fmt>")
@login_required
def plan_actual_export(year: int, fmt: str):
    comparison, by = _comparison(year)
    if comparison is None:
        abort(404)
    header = [str(queries.BY_LABELS[by]), _("Planned"), _("Actual"), _("Completion rate") + " (%)"]
    rows = [
        [label, "" if planned is None else planned, actual, "" if rate is None else rate]
        for _key, label, planned, actual, rate in comparison.rows
    ]
    rows.append([_("Total"), comparison.planned, comparison.actual, comparison.rate or ""])
    rows.append([_("Training outside the plan"), "", comparison.unplanned, ""])
    title = _("Plan vs actual %(year)s", year=year)
    export = exporter.Export(f"plan-vs-actual-{year}", title, title, header, rows)
    return exporter.download(export, fmt)
