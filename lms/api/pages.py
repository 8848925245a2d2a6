"""The token page /manage/tokens: a user lists, creates and revokes their own API tokens; an
administrator also sees every active token and may revoke any. Its own blueprint (no /api/v1
prefix, sessions and CSRF as on every page), registered on the app by lms.api."""

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from wtforms import StringField
from wtforms.validators import Optional

from lms.api import tokens
from lms.api.models import ApiToken
from lms.auth.models import User
from lms.auth.permissions import is_admin
from lms.common import clock
from lms.common.forms import BaseForm, ButtonForm, VnDateField, max_length, required
from lms.common.pagination import paginate
from lms.common.web import commit_or_attach, page_number
from lms.errors import LMSError
from lms.extensions import db
from lms.i18n import _, _l

pages = Blueprint("api_tokens", __name__)


class TokenForm(BaseForm):
    """A new token: what it is for, and optionally its last day."""

    name = StringField(_l("Name"), validators=[required(), max_length(tokens.NAME_MAX)])
    expires_on = VnDateField(_l("Last day it works (optional)"), validators=[Optional()])


def end_of_day(day: date) -> datetime:
    """The moment `day` ends in Vietnam, as naive UTC (how timestamps are stored); the end of
    time for the last days of the calendar."""
    if day >= date.max - timedelta(days=1):
        return datetime.max
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=clock.LOCAL_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def _render(form: TokenForm, created=None):
    mine = tokens.tokens_of(current_user.id)
    others = None
    if is_admin(current_user):
        stmt = (
            select(ApiToken)
            .join(User, User.id == ApiToken.user_id)
            .where(
                ApiToken.revoked_at.is_(None),
                tokens.made_since_password_change(),
                ApiToken.user_id != current_user.id,
            )
            .options(contains_eager(ApiToken.user))
            .order_by(User.username, ApiToken.created_at.desc(), ApiToken.id)
        )
        others = paginate(stmt, page_number(), 50)
    return render_template(
        "api/tokens.html",
        form=form,
        created=created,
        mine=mine,
        others=others,
        now=clock.now(),
        button=ButtonForm(),
    )


@pages.route("/manage/tokens", methods=["GET", "POST"])
@login_required
def tokens_page():
    """List one's tokens and create one; the new token is shown once, on this answer."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        expires_at = end_of_day(form.expires_on.data) if form.expires_on.data else None
        saved, created = commit_or_attach(
            form,
            lambda: tokens.create_token(
                current_user, form.name.data, actor=current_user, expires_at=expires_at
            ),
        )
        if saved:
            form = TokenForm(formdata=None)
    return _render(form, created)


@pages.route("/manage/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    """Revoke one's own token (an administrator: anyone's). Others' tokens are not found."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != current_user.id and not is_admin(current_user)):
        abort(404)
    if ButtonForm().validate_on_submit():
        try:
            tokens.revoke_token(token, actor=current_user)
        except LMSError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Token revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.tokens_page"))
