"""HR names the heads of a unit on its page (`/team/units/<code>`), beside the heads the
registry gives by their post: name an official of HR's units head over a period (with the
decision's number), or end such a headship. A unit or official outside HR's units is 404; the
`head` role follows at the commit (lms.teams hooks). Audited (head.assigned, head.ended)."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import require, scope_paths
from lms.auth.scope import Scope
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.queries import official_in_scope, unit_by_code
from lms.teams import services
from lms.teams.blueprint import bp
from lms.teams.forms import EndHeadForm, HeadForm
from lms.teams.models import HeadAssignment
from lms.teams.permissions import can_manage_heads


def _unit_and_scope(code: str):
    require(can_manage_heads(current_user))
    scope = Scope.from_paths(scope_paths(current_user, HR_OFFICER, ADMINISTRATOR))
    unit = unit_by_code(code)
    if unit is None or not scope.covers_unit(unit.path):
        abort(404)
    return unit, scope


def _back(unit, errors=None):
    for message in errors or []:
        flash(message, "error")
    return redirect(url_for("teams.unit_settings", code=unit.code))


def _messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


@bp.route("/team/units/<code>/heads", methods=["POST"])
@login_required
def head_assign(code: str):
    """Name an official head of the unit over a period."""
    unit, scope = _unit_and_scope(code)
    form = HeadForm()
    if not form.validate_on_submit():
        return _back(unit, _messages(form) or [_("The form is incomplete.")])
    official = official_in_scope(form.employee_code.data, scope)
    if official is None:
        code_typed = form.employee_code.data.strip().upper()
        return _back(unit, [_("No official of your units has the code %(code)s.", code=code_typed)])
    try:
        services.assign_head(
            unit,
            official,
            form.started_on.data,
            form.ended_on.data,
            form.decision_no.data,
            actor=current_user,
        )
    except ValidationFailed as error:
        db.session.rollback()
        return _back(unit, [reason for _field, reason in error.reasons])
    db.session.commit()
    flash(_("%(name)s is named head of the unit.", name=official.full_name), "success")
    return _back(unit)


@bp.route("/team/units/<code>/heads/<int:assignment_id>/end", methods=["POST"])
@login_required
def head_end(code: str, assignment_id: int):
    """End a headship HR named, on its last day."""
    unit, _scope = _unit_and_scope(code)
    assignment = db.session.get(HeadAssignment, assignment_id)
    if assignment is None or assignment.unit_id != unit.id:
        abort(404)
    form = EndHeadForm()
    if not form.validate_on_submit():
        return _back(unit, _messages(form) or [_("The form is incomplete.")])
    try:
        services.end_head(assignment, form.ended_on.data, actor=current_user)
    except ValidationFailed as error:
        db.session.rollback()
        return _back(unit, [reason for _field, reason in error.reasons])
    db.session.commit()
    flash(
        _("The headship ends on %(day)s.", day=form.ended_on.data.strftime("%d/%m/%Y")), "success"
    )
    return _back(unit)
