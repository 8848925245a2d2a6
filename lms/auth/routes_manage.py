"""Administrator screens under /manage: accounts, role grants, password resets (the audit log
is in lms/auth/audit_routes.py)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth import directory
from lms.auth import services as auth
from lms.auth.blueprint import bp
from lms.auth.forms import EnableForm, GrantForm, ResetPasswordForm, UserForm
from lms.auth.models import User
from lms.auth.permissions import can_manage_users, require
from lms.common.forms import ButtonForm
from lms.common.pagination import paginate
from lms.common.web import page_number
from lms.errors import LMSError, ValidationFailed
from lms.extensions import db
from lms.i18n import _


@bp.route("/manage/users")
@login_required
def users():
    """All accounts, newest first."""
    require(can_manage_users(current_user))
    stmt = select(User).order_by(User.username)
    page = paginate(stmt, page_number(), 50)
    return render_template("auth/users.html", page=page)


@bp.route("/manage/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    """Create an account (optionally linked to an official by employee code)."""
    require(can_manage_users(current_user))
    form = UserForm()
    if form.validate_on_submit():
        official_id = None
        if form.employee_code.data:
            official_id = directory.official_id(form.employee_code.data)
        try:
            if form.employee_code.data and official_id is None:
                raise ValidationFailed(
                    [("employee_code", _("No official has this employee code."))]
                )
            user = auth.create_user(
                auth.NewUser(
                    form.username.data,
                    form.password.data,
                    form.display_name.data,
                    form.email.data,
                    official_id,
                ),
                actor=current_user,
            )
        except ValidationFailed as error:
            error.attach_to(form)
        else:
            db.session.commit()
            flash(_("Account created."), "success")
            return redirect(url_for("auth.user_detail", user_id=user.id))
    return render_template("auth/user_new.html", form=form)


@bp.route("/manage/users/<int:user_id>", methods=["GET"])
@login_required
def user_detail(user_id: int):
    """One account: its grants, password reset, enable/disable."""
    user = db.session.get(User, user_id) or abort(404)
    require(can_manage_users(current_user))
    grant_form = GrantForm()
    grant_form.unit.choices = directory.unit_choices()
    return render_template(
        "auth/user_detail.html",
        user=user,
        grant_form=grant_form,
        reset_form=ResetPasswordForm(),
        enable_form=EnableForm(enabled=user.is_enabled),
        button=ButtonForm(),
    )


def _user_action(user_id: int, form, act, success: str):
    user = db.session.get(User, user_id) or abort(404)
    require(can_manage_users(current_user))
    if form.validate_on_submit():
        try:
            act(user, form)
        except LMSError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(success, "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("auth.user_detail", user_id=user_id))


@bp.route("/manage/users/<int:user_id>/grants", methods=["POST"])
@login_required
def user_grant(user_id: int):
    """Grant a role over a unit subtree."""
    form = GrantForm()
    form.unit.choices = directory.unit_choices()

    def act(user, form):
        unit_id = int(form.unit.data) if (form.unit.data or "").isdigit() else None
        auth.grant_role(user, form.role.data, unit_id, actor=current_user)

    return _user_action(user_id, form, act, _("Role granted."))


@bp.route("/manage/users/<int:user_id>/grants/<int:grant_id>/revoke", methods=["POST"])
@login_required
def user_revoke(user_id: int, grant_id: int):
    """Remove a role grant."""

    def act(user, _form):
        if grant_id not in {g.id for g in user.grants}:
            abort(404)
        auth.revoke_role(grant_id, actor=current_user)

    return _user_action(user_id, ButtonForm(), act, _("Role removed."))


@bp.route("/manage/users/<int:user_id>/password", methods=["POST"])
@login_required
def user_reset_password(user_id: int):
    """Set a temporary password the user must change at next login."""
    form = ResetPasswordForm()
    return _user_action(
        user_id,
        form,
        lambda user, f: auth.reset_password(user, f.password.data, actor=current_user),
        _("Temporary password set. The user must change it at the next login."),
    )


@bp.route("/manage/users/<int:user_id>/enabled", methods=["POST"])
@login_required
def user_set_enabled(user_id: int):
    """Enable or disable the account."""
    form = EnableForm()

    def act(user, f):
        if user.id == current_user.id and not f.enabled.data:
            raise ValidationFailed([(None, _("You cannot disable your own account."))])
        auth.set_enabled(user, bool(f.enabled.data), actor=current_user)

    return _user_action(user_id, form, act, _("Account updated."))
