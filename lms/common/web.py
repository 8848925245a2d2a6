"""Small request helpers shared by views: safe redirects and the client address."""

import re
from datetime import date
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


_DAY = re.compile(
    r"^(?:(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"|(?P<d2>[0-9]{1,2})/(?P<m2>[0-9]{1,2})/(?P<y2>[0-9]{4}))$"
)


def date_argument(name: str) -> date | None:
    """A date query argument, as <input type=date> sends it (yyyy-mm-dd) or typed dd/mm/yyyy;
    None when absent or not a real date (a list filter then ignores it)."""
    value = (request.args.get(name) or "").strip()
    match = _DAY.match(value) if len(value) <= 10 else None
    if not match:
        return None
    year, month, day = (
        match["y"] or match["y2"],
        match["m"] or match["m2"],
        match["d"] or match["d2"],
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


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


def _done(done_message) -> bool:
    """Commit the service call's work and flash `done_message` as a success."""
    from flask import flash

    from lms.extensions import db

    db.session.commit()
    flash(done_message, "success")
    return True


def handle_button(act, done_message) -> bool:
    """The POST of a plain button (a ButtonForm: its CSRF token only). When the token is good,
    run `act()`, the service call, commit once, flash `done_message` as a success and return
    True; otherwise do nothing and return False. The view redirects either way."""
    from lms.common.forms import ButtonForm

    if not ButtonForm().validate_on_submit():
        return False
    act()
    return _done(done_message)


def apply_or_flash_refusal(act, done_message) -> bool:
    """Run `act()`, a service call that may refuse with a RuleViolation: on success commit and
    flash `done_message`; on a refusal roll back and flash the rule's message. True on
    success. The view redirects either way."""
    from flask import flash

    from lms.errors import RuleViolation
    from lms.extensions import db

    try:
        act()
    except RuleViolation as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return False
    return _done(done_message)


def remove_or_404(act, done_message) -> None:
    """The POST of a plain "remove" button whose service refuses (RuleViolation) when there
    is nothing to remove: 400 without a good token, 404 on the refusal; otherwise commit and
    flash `done_message`."""
    from flask import abort

    from lms.common.forms import ButtonForm
    from lms.errors import RuleViolation
    from lms.extensions import db

    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        act()
    except RuleViolation:
        db.session.rollback()
        abort(404)
    _done(done_message)
