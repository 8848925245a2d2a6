"""Auth: logins, passwords, role grants and the administrator's account screens."""

from functools import cache

from flask import Blueprint
from sqlalchemy import bindparam, select

from lms.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@cache
def _user_by_id():
    """The user loader's statement, built once: it runs on every request."""
    from lms.auth.models import User

    return select(User).where(User.id == bindparam("id"))


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login hook: the user behind the session, or None."""
    identity, _sep, version = user_id.partition(":")
    if not identity.isdigit() or not version.isdigit():
        return None
    user = db.session.scalars(_user_by_id(), {"id": int(identity)}).one_or_none()
    return user if user is not None and user.session_version == int(version) else None


from lms.auth import manage, routes, twofactor_routes  # noqa: E402,F401
