"""Auth: logins, passwords, role grants and the administrator's account screens."""

from flask import Blueprint

from lms.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login hook: the user behind the session, or None."""
    from lms.auth.models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


from lms.auth import manage, routes  # noqa: E402,F401
