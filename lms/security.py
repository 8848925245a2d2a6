"""HTTP hardening: the client's address behind trusted proxies, security headers on every
answer (HSTS in production), idle and absolute session timeouts, the "must change password"
guard, the privacy-notice gate and the 2FA enrolment guard. Installed by create_app; starting,
rotating and ending a session are auth's (lms.auth.sessions)."""

import logging
import time

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user, user_logged_in
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.auth.sessions import rotate_session
from lms.common.errortext import SafeTracebacks
from lms.common.logredact import RedactQueryStrings
from lms.i18n import _

# Inline scripts are never allowed; inline style attributes are (progress bars set a width).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _expired() -> bool:
    now = int(time.time())
    idle = current_app.config["LMS_SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["LMS_SESSION_ABSOLUTE_HOURS"] * 3600
    login_at, seen_at = session.get("login_at", now), session.get("seen_at", now)
    return now - seen_at > idle or now - login_at > absolute


SEEN_AT_STEP = 60  # seconds: the idle timeout counts in minutes


def enforce_session_timeouts():
    """before_request: log out a session idle too long or too old; otherwise note the visit."""
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    if _expired():
        logout_user()
        rotate_session()
        flash(_("Your session has expired. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    now = int(time.time())
    if now - session.get("seen_at", 0) >= SEEN_AT_STEP:
        session["seen_at"] = now  # a signed cookie written once a minute, not on every request
    return None


MAX_QUERY_VALUE = 1000  # characters in one query-string value (search boxes, filters)


def refuse_malformed_input():
    """before_request, ahead of the CSRF check: refuse with 400 what no form produces — a NUL
    character (PostgreSQL cannot store it), a form part without a name, an over-long query
    value — so no view or extension ever meets it."""
    if "\x00" in request.path or any(
        "\x00" in value or len(value) > MAX_QUERY_VALUE for value in request.args.values()
    ):
        abort(400)
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and not request.is_json:
        form = request.form  # may raise 413 for an oversize body: that answer is right
        if any(not isinstance(key, str) or not key for key in form):
            abort(400)
        if any("\x00" in value for value in form.values()):
            abort(400)
    return None


# While a user must change their password they may open nothing but these.
PASSWORD_CHANGE_ALLOWS = frozenset(
    {"auth.change_password", "auth.logout", "auth.set_locale", "static", "main.health"}
)


def password_change_guard():
    """before_request: a user who must change their password (a temporary one set by an
    administrator) is sent to the password page from every other page of the site."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in PASSWORD_CHANGE_ALLOWS or request.blueprint == "api":
        return None  # the API takes no session: it answers 401 on its own
    return redirect(url_for("auth.change_password"))  # the page says why


def add_security_headers(response):
    """after_request: the headers every answer carries; pages with personal data aren't cached;
    HSTS when configured (production)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    hsts = current_app.config.get("LMS_HSTS_SECONDS")
    if hsts:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={int(hsts)}; includeSubDomains"
        )
    # A signed-in session (read from the cookie, not from the user row, which a commit during
    # the request has expired) sees personal pages.
    if session.get("_user_id") and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def install_input_guard(app: Flask) -> None:
    """Register refuse_malformed_input; call before CSRFProtect so it runs first."""
    app.before_request(refuse_malformed_input)


def install_proxy_fix(app: Flask) -> None:
    """Behind LMS_TRUSTED_PROXIES reverse proxies, take the client's address and scheme from
    the X-Forwarded-For/-Proto entries those proxies appended (the last ones), so throttling and
    rate limits count the real client; entries a client wrote itself further left are ignored.
    With 0 (the default) the headers are ignored altogether."""
    hops = int(app.config.get("LMS_TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def install_security(app: Flask) -> None:
    """Register the proxy fix, the hooks (after the timeout check: the password-change guard,
    the privacy-notice gate, the 2FA enrolment guard) and the log filter."""
    from lms.auth.twofactor_routes import enrolment_guard
    from lms.privacy.guard import notice_guard, remember_at_login

    if not any(isinstance(f, SafeTracebacks) for f in app.logger.filters):
        app.logger.addFilter(SafeTracebacks())  # "Exception on /path": no database values
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactQueryStrings) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(RedactQueryStrings())  # the development server's access log

    install_proxy_fix(app)
    app.before_request(enforce_session_timeouts)
    app.before_request(password_change_guard)
    app.before_request(notice_guard)
    user_logged_in.connect(remember_at_login, app)
    app.before_request(enrolment_guard)
    app.after_request(add_security_headers)
