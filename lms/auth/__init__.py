"""Auth: logins, passwords, role grants and the administrator's account screens."""

from flask import Blueprint

from lms.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login hook: the user behind the session, or None."""
    from lms.auth.models import User

    identity, _sep, version = user_id.partition(":")
    if not identity.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(identity))
    return user if user is not None and user.session_version == int(version) else None


from lms.auth import manage, routes, twofactor_routes  # noqa: E402,F401
