"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser
that has logged in to an account gets a signed cookie naming that account and a random device
id. Presented again with a login for the same account, it marks a known device, which the
account's slow-down for unknown clients does not hold back (lms.auth.throttle); failures are
then counted per device id instead.

A device cookie is no credential: it proves only that this browser once logged in to the
account, and is worth nothing without the password (and the second factor).
"""

import hashlib
import hmac
import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

NAME_PREFIX = "tc_device_"
SALT = "tinchi-device-cookie"
PATH = "/auth/"  # sent with the login and two-factor steps only


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _max_age() -> int:
    return current_app.config["LMS_DEVICE_COOKIE_DAYS"] * 24 * 3600


def cookie_name(username: str) -> str:
    """The cookie of one account: a keyed hash of the username, so that a shared computer can
    hold one per account and the cookie's name does not tell whose it is."""
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    mac = hmac.new(key, f"{SALT}:{username}".encode(), hashlib.sha256).hexdigest()
    return NAME_PREFIX + mac[:16]


def presented(username: str) -> str | None:
    """The device id of a valid, unexpired device cookie for `username` in this request, or
    None (no cookie, a forged or expired one, or one issued to another account)."""
    value = request.cookies.get(cookie_name(username))
    if not value or len(value) > 512:
        return None
    try:
        data = _serializer().loads(value, max_age=_max_age())
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict) or data.get("u") != username:
        return None
    device = data.get("d")
    return device if isinstance(device, str) and 16 <= len(device) <= 32 else None


def issue(response: Response, username: str) -> str:
    """Give the browser a new device cookie for `username` (after a completed login); returns
    its device id. A new id each time, so failures counted against an old cookie stay with it."""
    device = secrets.token_urlsafe(16)
    value = _serializer().dumps({"u": username, "d": device})
    response.set_cookie(
        cookie_name(username),
        value,
        max_age=_max_age(),
        path=PATH,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Strict",
    )
    return device
