"""The auth blueprint (`bp`) and the login manager's user loader.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from functools import cache

from flask import Blueprint, session
from sqlalchemy import bindparam, exists, select

from lms.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@cache
def _user_by_id():
    """The user loader's statement, built once: it runs on every request. One query: the user,
    unless this session was ended by a logout."""
    from lms.auth.models import EndedSession, User

    ended = exists().where(EndedSession.sid == bindparam("sid"))
    return select(User).where(User.id == bindparam("id"), ~ended)


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login hook: the user behind the session, or None when the session's version is
    out of date (password, roles or 2FA changed) or the session was logged out."""
    identity, _sep, version = user_id.partition(":")
    sid = session.get("sid")
    if not identity.isdigit() or not version.isdigit() or not isinstance(sid, str):
        return None
    user = db.session.scalars(_user_by_id(), {"id": int(identity), "sid": sid}).one_or_none()
    return user if user is not None and user.session_version == int(version) else None
