"""A login's browser session: rotated before a login (against fixation), stamped when it starts
(the idle and absolute clocks of lms.security), ended for good at logout."""

import secrets
import time
from datetime import UTC, datetime

from flask import current_app, session
from flask_login import logout_user

from lms.auth.services import end_session as note_ended

KEPT_ACROSS_ROTATION = ("locale",)


def rotate_session() -> None:
    """Give the browser a new session (new signed cookie, new id) keeping only its language;
    called before a login so a session fixed by someone else is worth nothing."""
    kept = {key: session[key] for key in KEPT_ACROSS_ROTATION if key in session}
    session.clear()
    session.update(kept)
    session["sid"] = secrets.token_urlsafe(16)


def start_session() -> None:
    """Stamp a fresh login: the absolute and idle clocks start now."""
    session["login_at"] = session["seen_at"] = int(time.time())
    session.permanent = True


def end_session() -> None:
    """Log out for good: the session's id is noted as ended (flushed; the caller commits), so a
    copy of its cookie logs nobody in, then the browser gets a fresh anonymous session."""
    user_id = session.get("_user_id", "").partition(":")[0]
    if session.get("sid") and user_id.isdigit():
        # Until then the cookie could still be used; afterwards its absolute timeout ends it.
        lifetime = current_app.config["LMS_SESSION_ABSOLUTE_HOURS"] * 3600
        last_valid = session.get("login_at", int(time.time())) + lifetime
        note_ended(session["sid"], int(user_id), datetime.fromtimestamp(last_valid, UTC))
    logout_user()
    rotate_session()
