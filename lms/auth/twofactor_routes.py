"""The second login step, enrolment in 2FA, and the administrator's reset."""

import time

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user

from lms.auth import throttle, twofactor
from lms.auth.blueprint import bp
from lms.auth.forms import TwoFactorForm
from lms.auth.models import User
from lms.auth.permissions import can_manage_users, require
from lms.auth.routes import finish_login, login_client
from lms.common.forms import ButtonForm
from lms.errors import ValidationFailed
from lms.extensions import db, limiter
from lms.i18n import _

PENDING_SECONDS = 300  # the code must follow the password within five minutes


def pending_user() -> User | None:
    """The user who gave the right password and still owes a code, if recent enough."""
    pending = session.get("2fa_pending")
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return db.session.get(User, pending["user_id"])


@bp.route("/auth/2fa", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def two_factor():
    """Second step of the login: a code from the authenticator app or a recovery code. Wrong
    codes are limited per account (per device cookie on a known device) and audited."""
    user = pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        client = login_client(user.username)
        try:
            throttle.check_code_step(user, client)
        except throttle.LoginLocked as locked:
            form.code.errors = [locked.message]
            return render_template("auth/two_factor.html", form=form), 429
        if twofactor.verify(user, form.code.data):
            throttle.code_succeeded(user, client)
            response = finish_login(user, session.get("2fa_pending", {}).get("next"))
            db.session.commit()
            return response
        throttle.code_failed(user, client)
        db.session.commit()
        form.code.errors = [_("The code is wrong or has expired.")]
    return render_template("auth/two_factor.html", form=form)


@bp.route("/auth/2fa/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Enrol: scan the QR code, type the code it shows, keep the recovery codes."""
    form = TwoFactorForm()
    secret = session.get("2fa_secret") or twofactor.new_secret()
    session["2fa_secret"] = secret
    if form.validate_on_submit():
        try:
            codes = twofactor.enable(current_user, secret, form.code.data)
        except ValidationFailed as error:
            error.attach_to(form)
        else:
            db.session.commit()
            session.pop("2fa_secret", None)
            login_user(current_user._get_current_object())  # new session version: keep this one
            return render_template("auth/two_factor_codes.html", codes=codes)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        qr=twofactor.qr_data_uri(current_user, secret),
        required=twofactor.is_required(current_user),
    )


@bp.route("/manage/users/<int:user_id>/2fa/reset", methods=["POST"])
@login_required
def user_reset_two_factor(user_id: int):
    """Administrator: remove a user's second factor so they can enrol a new phone."""
    user = db.session.get(User, user_id) or abort(404)
    require(can_manage_users(current_user))
    if ButtonForm().validate_on_submit():
        twofactor.reset(user, actor=current_user)
        db.session.commit()
        flash(_("Two-factor authentication was removed; the user must enrol again."), "success")
    return redirect(url_for("auth.user_detail", user_id=user.id))


def enrolment_guard():
    """before_request: a user whose role requires 2FA and who has not enrolled may only enrol
    or log out."""
    if not current_user.is_authenticated or current_user.totp_enabled:
        return None
    allowed = {
        "auth.two_factor_setup",
        "auth.logout",
        "auth.set_locale",
        "static",
        "main.health",
        "privacy.notice_page",  # the notice is acknowledged first (lms.privacy.guard)
        "privacy.acknowledge",
    }
    if request.endpoint in allowed or not twofactor.is_required(current_user):
        return None
    flash(_("Your role requires two-factor authentication. Set it up to continue."), "warning")
    return redirect(url_for("auth.two_factor_setup"))
