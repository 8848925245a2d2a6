"""The privacy-notice gate: until a signed-in user has acknowledged the current version of the
notice, every page sends them to it (the token API, which takes no session, is not gated)."""

from flask import redirect, request, session, url_for
from flask_login import current_user

from lms.privacy import notice, services

# What a user who has not acknowledged the notice may still open.
ALLOWED = frozenset(
    {
        "privacy.notice_page",
        "privacy.acknowledge",
        "auth.logout",
        "auth.set_locale",
        "static",
        "main.health",
    }
)
SESSION_KEY = "privacy_notice"


def notice_guard():
    """before_request: send a user who has not acknowledged the current notice to it, keeping
    where they were going. Checked once per session (then remembered in it), so a new version
    asks again at the next request."""
    if not current_user.is_authenticated or current_user.must_change_password:
        return None  # the password comes first (lms.security.password_change_guard)
    if request.endpoint in ALLOWED or request.blueprint == "api":
        return None
    if session.get(SESSION_KEY) == notice.VERSION:
        return None
    if services.has_acknowledged(current_user.id):
        session[SESSION_KEY] = notice.VERSION
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("privacy.acknowledge", next=target))


def remember_at_login(_app, user, **_extra) -> None:
    """Flask-Login's user_logged_in signal: look the acknowledgement up with the login, so the
    pages after it cost no query for it."""
    if services.has_acknowledged(user.id):
        session[SESSION_KEY] = notice.VERSION
