"""Small request helpers shared by views: safe redirects and the client address."""

from urllib.parse import urlsplit

from flask import request


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a local path on this site, else `default` (no open redirects)."""
    if not target or any(ord(ch) < 32 or ch in "\\ \x7f" for ch in target):
        return default  # control characters, spaces or backslashes: never a redirect target
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def client_address() -> str:
    """The caller's address: the TCP peer's, or behind LMS_TRUSTED_PROXIES reverse proxies the
    one they forwarded (lms.security.install_proxy_fix)."""
    return (request.remote_addr or "unknown")[:64]  # the width of the columns that keep it


MAX_PAGE = 100_000


def page_number() -> int:
    """The `page` query argument as a positive integer (1 on anything else, capped)."""
    value = request.args.get("page", "1")
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        return 1
    return min(max(int(value), 1), MAX_PAGE)


def commit_or_attach(form, act):
    """Run `act()`, the service call of a submitted form, and commit once. Returns
    (True, its result); on ValidationFailed rolls back, puts the reasons on `form` and returns
    (False, None), so the view re-renders the form with nothing saved."""
    from lms.errors import ValidationFailed
    from lms.extensions import db

    try:
        result = act()
    except ValidationFailed as error:
        db.session.rollback()
        error.attach_to(form)
        return False, None
    db.session.commit()
    return True, result
