"""Log in, log out, change password, choose the language."""

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user

from lms.auth import devices, throttle
from lms.auth import services as auth
from lms.auth.blueprint import bp
from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.sessions import end_session, rotate_session, start_session
from lms.common.forms import ButtonForm
from lms.common.web import client_address, safe_next
from lms.errors import ValidationFailed
from lms.extensions import db, limiter
from lms.i18n import _


def _login_limit() -> str:
    return current_app.config["LMS_LOGIN_RATE_LIMIT"]


def login_client(username: str) -> throttle.Client:
    """The client of this request as throttling sees it: its address and the device cookie it
    holds for `username`, if valid."""
    return throttle.Client(client_address(), devices.presented(username))


def finish_login(user, next_url: str | None):
    """Log `user` in on a fresh session and give this browser a device cookie for the account;
    a user with a temporary password goes to the password page."""
    rotate_session()
    login_user(user)
    start_session()
    if user.must_change_password:
        response = redirect(url_for("auth.change_password"))  # the page says why
    else:
        response = redirect(safe_next(next_url, url_for("main.home")))
    devices.issue(response, user.username)
    return response


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """The login form; throttled per account and address, not for the account's known devices."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = auth.normalize_username(form.username.data)
        try:
            user = auth.authenticate(username, form.password.data, login_client(username))
        except auth.LoginLocked as locked:
            db.session.commit()
            form.form_errors.append(locked.message)
            return render_template("auth/login.html", form=form), 429
        db.session.commit()
        if user is None:
            form.form_errors.append(_("Wrong username or password."))
            return render_template("auth/login.html", form=form), 401
        if user.totp_enabled:
            rotate_session()
            session["2fa_pending"] = {
                "user_id": user.id,
                "at": time.time(),
                "next": request.args.get("next"),
            }
            return redirect(url_for("auth.two_factor"))
        return finish_login(user, request.args.get("next"))
    return render_template("auth/login.html", form=form)


@bp.route("/auth/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST only, with CSRF, so a link cannot log anyone out). The session is ended on
    the server too: a copy of its cookie no longer works."""
    if ButtonForm().validate_on_submit():
        end_session()
        db.session.commit()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/auth/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def change_password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(current_user, form.current_password.data, form.new_password.data)
        except ValidationFailed as error:
            error.attach_to(form)
        else:
            db.session.commit()
            user = current_user._get_current_object()
            rotate_session()
            login_user(user)  # the session version changed: this session stays
            start_session()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)


@bp.route("/locale/<code>", methods=["POST"])
def set_locale(code: str):
    """Switch the interface language; remembered in the session and, when logged in, the account."""
    if code in current_app.config["LMS_LOCALES"] and ButtonForm().validate_on_submit():
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
