"""Activating an account from its one-time link: /activate/<token> checks the link and keeps
it in the session, so that the address bar, the history and any Referer lose it; /activate
asks for the first password and logs the official in. Both are rate-limited per address."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user

from lms.auth import activation_rules as rules
from lms.auth.activation import LinkUnavailable, find
from lms.auth.activation import activate as activate_account
from lms.auth.blueprint import bp
from lms.auth.forms import ActivationForm
from lms.auth.routes import finish_login
from lms.auth.sessions import end_session
from lms.common.web import client_address
from lms.errors import ValidationFailed
from lms.extensions import db, limiter
from lms.i18n import _

SESSION_KEY = "activation_token"


def _limit() -> str:
    return current_app.config["LMS_ACTIVATION_RATE_LIMIT"]


def _unavailable(activation, state: str):
    """The page of a link that cannot be used: 404 for one never issued, 410 for one that is
    expired, used or replaced; it says which, and what to do."""
    session.pop(SESSION_KEY, None)
    status = 404 if state == "unknown" else 410
    page = render_template(
        "auth/activation_unavailable.html",
        state=state,
        valid_until=activation.valid_until if activation is not None else None,
        valid_days=current_app.config["LMS_ACTIVATION_VALID_DAYS"],
    )
    return page, status


@bp.route("/activate/<token>")
@limiter.shared_limit(_limit, scope="account-activation")
def activate_link(token: str):
    """The address printed on the letter: check the link, keep it in the session, and go on to
    the password form."""
    activation, state = find(token)
    if state != rules.VALID:
        return _unavailable(activation, state)
    session[SESSION_KEY] = token
    return redirect(url_for("auth.activate"), code=303)


@bp.route("/activate", methods=["GET", "POST"])
@limiter.shared_limit(_limit, scope="account-activation", methods=["POST"])
def activate():
    """Choose the first password; the official is then logged in on their home page."""
    token = session.get(SESSION_KEY)
    activation, state = find(token if isinstance(token, str) else None)
    if state != rules.VALID:
        return _unavailable(activation, state)
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            user = activate_account(token, form.password.data, client_address())
        except ValidationFailed as error:
            db.session.rollback()
            error.attach_to(form)
        except LinkUnavailable as gone:
            db.session.rollback()
            return _unavailable(None, gone.code)
        else:
            if current_user.is_authenticated:
                end_session()  # someone else's session in this browser ends for good
            db.session.commit()
            response = finish_login(user, None)  # a fresh session, as a login gives: no token
            flash(_("Your account is active. Welcome to Tín chỉ!"), "success")
            return response
    return render_template("auth/activate.html", form=form, account=activation.user)
