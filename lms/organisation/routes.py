"""The officials registry for HR: search, profile with history, edit, position change."""

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.audit import reads
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, User
from lms.auth.permissions import can_edit_registry, can_use_registry, require
from lms.auth.scope import Scope
from lms.common.web import client_address, commit_or_attach, page_number
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation import leave, queries, services
from lms.organisation.blueprint import bp
from lms.organisation.forms import EndAssignmentForm, NewOfficialForm, OfficialForm, PositionForm
from lms.organisation.models import Official, Position, PositionAssignment, Rank


def _view_scope():
    return Scope.of(current_user, HR_OFFICER, REVIEWER, ADMINISTRATOR)


def _edit_scope():
    return Scope.of(current_user, HR_OFFICER, ADMINISTRATOR)


def _load_for_edit(employee_code: str) -> Official:
    """The official if the viewer may edit them: 404 when out of sight, 403 when read-only."""
    require(can_edit_registry(current_user))
    official = queries.official_in_scope(employee_code, _edit_scope())
    if official is None:
        visible = queries.official_in_scope(employee_code, _view_scope())
        abort(403 if visible else 404)
    return official


def _fill_post_choices(form: PositionForm) -> None:
    units = queries.units_for_choice(_edit_scope())
    form.unit.choices = [("", "—")] + [(u.code, f"{u.name} ({u.code})") for u in units]
    positions = db.session.scalars(select(Position).order_by(Position.code))
    form.position.choices = [("", "—")] + [(p.code, f"{p.name} ({p.code})") for p in positions]
    ranks = db.session.scalars(select(Rank).order_by(Rank.code))
    form.rank.choices = [("", "—")] + [(r.code, f"{r.code} {r.name}") for r in ranks]


def _post_in_scope(form: PositionForm) -> None:
    """A scoped HR officer may only place officials in units they cover."""
    if form.unit.data not in {code for code, _label in form.unit.choices if code}:
        raise ValidationFailed([("unit", _("Unknown unit, or a unit outside your scope."))])


def _assignment_data(form: PositionForm) -> services.AssignmentData:
    """The post a form describes; ValidationFailed when its unit is outside the scope."""
    _post_in_scope(form)
    return services.AssignmentData(
        unit_code=form.unit.data,
        position_code=form.position.data,
        started_on=form.started_on.data,
        rank_code=form.rank.data or None,
        decision_no=form.decision_no.data,
    )


def _official_data(form: OfficialForm) -> services.OfficialData:
    return services.OfficialData(
        employee_code=form.employee_code.data,
        full_name=form.full_name.data,
        gender=form.gender.data,
        category=form.category.data,
        date_of_birth=form.date_of_birth.data,
        email=form.email.data,
        phone=form.phone.data,
        status=form.status.data,
    )


@bp.route("/")
@login_required
def registry():
    """Search officials by name (with or without diacritics) or code, with filters."""
    require(can_use_registry(current_user))
    filters = queries.OfficialFilters(
        **{
            key: request.args.get(key, "").strip()
            for key in queries.OfficialFilters.__annotations__
        }
    )
    unit = queries.unit_by_code(filters.unit_code) if filters.unit_code else None
    if unit is not None:  # shown selected however it was typed ("snv" → SNV)
        filters = replace(filters, unit_code=unit.code)
    page = queries.search_officials(_view_scope(), filters, page_number(), 50)
    units = queries.units_for_choice(_view_scope())
    return render_template(
        "organisation/registry.html",
        page=page,
        filters=filters,
        units=units,
        positions=db.session.scalars(select(Position).order_by(Position.code)).all(),
        ranks=db.session.scalars(select(Rank).order_by(Rank.code)).all(),
        can_edit=can_edit_registry(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def official_new():
    """Add an official with their first post."""
    require(can_edit_registry(current_user))
    form = NewOfficialForm()
    _fill_post_choices(form)
    if form.validate_on_submit():
        saved, official = commit_or_attach(
            form,
            lambda: services.create_official(
                _official_data(form), _assignment_data(form), actor=current_user
            ),
        )
        if saved:
            flash(_("Official added."), "success")
            return redirect(url_for(".official_detail", employee_code=official.employee_code))
    return render_template("organisation/official_new.html", form=form)


@bp.route("/<employee_code>")
@login_required
def official_detail(employee_code: str):
    """An official's profile and assignment history."""
    require(can_use_registry(current_user))
    official = queries.official_in_scope(employee_code, _view_scope()) or abort(404)
    reads.record_view(current_user, "official.viewed", official, address=client_address())
    page = render_template(
        "organisation/official_detail.html",
        official=official,
        current=services.current_assignment(official),
        account=db.session.scalar(select(User).where(User.official_id == official.id)),
        leave_periods=leave.periods_of(official.id),
        exempting=leave.exempting_kinds(),
        months=leave.months_of(official.id),
        can_edit=queries.official_in_scope(employee_code, _edit_scope()) is not None
        and can_edit_registry(current_user),
    )
    db.session.commit()  # the read is logged (Law 91/2025/QH15); after rendering, which it expires
    return page


@bp.route("/<employee_code>/edit", methods=["GET", "POST"])
@login_required
def official_edit(employee_code: str):
    """Edit an official's details."""
    official = _load_for_edit(employee_code)
    form = OfficialForm(obj=official)
    if (
        form.validate_on_submit()
        and commit_or_attach(
            form,
            lambda: services.update_official(official, _official_data(form), actor=current_user),
        )[0]
    ):
        flash(_("Changes saved."), "success")
        return redirect(url_for(".official_detail", employee_code=official.employee_code))
    return render_template("organisation/official_edit.html", form=form, official=official)


def _record_post(employee_code: str, record, success: str, template: str, **context):
    """Shared GET/POST handling of a new post: validate, `record(official, data)`, commit."""
    official = _load_for_edit(employee_code)
    form = PositionForm()
    _fill_post_choices(form)
    if (
        form.validate_on_submit()
        and commit_or_attach(
            form, lambda: record(official, _assignment_data(form), actor=current_user)
        )[0]
    ):
        flash(success, "success")
        return redirect(url_for(".official_detail", employee_code=official.employee_code))
    extra = {key: value(official) for key, value in context.items()}
    return render_template(template, form=form, official=official, **extra)


@bp.route("/<employee_code>/position", methods=["GET", "POST"])
@login_required
def position_change(employee_code: str):
    """Record a transfer or appointment; the current post is closed, not overwritten."""
    return _record_post(
        employee_code,
        services.change_position,
        _("Position change recorded."),
        "organisation/position_change.html",
        current=services.current_assignment,
    )


@bp.route("/<employee_code>/concurrent", methods=["GET", "POST"])
@login_required
def concurrent_new(employee_code: str):
    """Add a concurrent post (kiêm nhiệm) beside the primary one."""
    return _record_post(
        employee_code,
        services.add_concurrent,
        _("Concurrent post recorded."),
        "organisation/concurrent_new.html",
    )


@bp.route("/<employee_code>/assignments/<int:assignment_id>/end", methods=["POST"])
@login_required
def assignment_end(employee_code: str, assignment_id: int):
    """Close a concurrent post (the primary post ends only through a position change)."""
    official = _load_for_edit(employee_code)
    assignment = db.session.get(PositionAssignment, assignment_id)
    if assignment is None or assignment.official_id != official.id or assignment.is_primary:
        abort(404)
    form = EndAssignmentForm()
    if form.validate_on_submit():
        try:
            services.end_assignment(assignment, form.ended_on.data, actor=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Concurrent post ended."), "success")
    else:
        for message in form.ended_on.errors:
            flash(message, "error")
    return redirect(url_for(".official_detail", employee_code=official.employee_code))
