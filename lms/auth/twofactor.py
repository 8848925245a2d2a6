"""Two-factor authentication with time-based one-time passwords (TOTP, RFC 6238) and one-use
recovery codes. Required for the roles in LMS_2FA_REQUIRED_ROLES (production: administrators
and HR officers), optional for everyone else. A TOTP code is accepted once: the account keeps
the time step of the last code it accepted and refuses that step and earlier ones. Wrong codes
are throttled and audited by lms.auth.throttle."""

import base64
import hmac
import io
import secrets
from datetime import UTC

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app
from sqlalchemy import or_, update
from werkzeug.security import check_password_hash, generate_password_hash

from lms.audit.services import record
from lms.auth.models import User
from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _

ISSUER = "Tín chỉ"
RECOVERY_CODES = 10


def is_required(user) -> bool:
    """Whether the user's roles oblige them to use a second factor."""
    required = set(current_app.config.get("LMS_2FA_REQUIRED_ROLES", ()))
    return bool(required) and bool(required & user.roles())


def new_secret() -> str:
    """A fresh base32 secret for enrolment (kept in the session until confirmed)."""
    return pyotp.random_base32()


def qr_data_uri(user, secret: str) -> str:
    """An SVG QR code of the otpauth:// address, as a data: URI for an <img>."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def code_step(secret: str, code: str) -> int | None:
    """The time step whose code `code` is (the current one, or one step either side for a
    phone's clock running a little off), or None."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(clock.now().replace(tzinfo=UTC))
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _use_step(user, step: int) -> bool:
    """Record `step` as the account's last accepted one, unless it (or a later one) already
    was: one conditional UPDATE, so two requests racing with the same code cannot both win."""
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def enable(user, secret: str, code: str) -> list[str]:
    """Turn 2FA on once the user proves their app shows the right code; returns the recovery
    codes (shown once, stored hashed). Audited; ends the user's other sessions. The code used
    here cannot be used again to log in."""
    step = code_step(secret, code)
    if step is None:
        raise ValidationFailed([("code", _("The code is wrong or has expired. Try the next one."))])
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_enabled, user.totp_last_step = secret, True, step
    user.recovery_codes = [generate_password_hash(code) for code in codes]
    user.session_version += 1
    record(user, "user.2fa_enabled", "user", user.id)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def verify(user, code: str) -> bool:
    """Check a TOTP code not used before (and use it up), or use up one recovery code
    (audited). A replayed code is refused like a wrong one."""
    step = code_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None:
        return _use_step(user, step)
    plain = "".join(ch for ch in code if ch.isdigit())
    for stored in list(user.recovery_codes or []):
        if len(plain) == 10 and check_password_hash(stored, plain):
            user.recovery_codes = [c for c in user.recovery_codes if c != stored]
            record(
                user,
                "user.2fa_recovery_code_used",
                "user",
                user.id,
                after={"left": len(user.recovery_codes)},
            )
            db.session.flush()
            return True
    return False


def reset(user, actor) -> None:
    """Administrator: remove the user's second factor (lost phone); they enrol again."""
    user.totp_secret, user.totp_enabled, user.recovery_codes = None, False, None
    user.totp_last_step = None
    user.session_version += 1
    record(actor, "user.2fa_reset", "user", user.id)
    db.session.flush()
