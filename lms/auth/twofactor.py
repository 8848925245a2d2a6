"""Two-factor authentication with time-based one-time passwords (TOTP, RFC 6238) and one-use
recovery codes. Required for the roles in LMS_2FA_REQUIRED_ROLES (production: administrators
and HR officers), optional for everyone else."""

import base64
import io
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from lms.audit.services import record
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


def _code_ok(secret: str, code: str) -> bool:
    digits = "".join(ch for ch in code if ch.isdigit())
    return len(digits) == 6 and pyotp.TOTP(secret).verify(digits, valid_window=1)


def enable(user, secret: str, code: str) -> list[str]:
    """Turn 2FA on once the user proves their app shows the right code; returns the recovery
    codes (shown once, stored hashed). Audited; ends the user's other sessions."""
    if not _code_ok(secret, code):
        raise ValidationFailed([("code", _("The code is wrong or has expired. Try the next one."))])
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_enabled = secret, True
    user.recovery_codes = [generate_password_hash(code) for code in codes]
    user.session_version += 1
    record(user, "user.2fa_enabled", "user", user.id)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def verify(user, code: str) -> bool:
    """Check a TOTP code, or use up one recovery code (audited)."""
    if user.totp_secret and _code_ok(user.totp_secret, code):
        return True
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
    user.session_version += 1
    record(actor, "user.2fa_reset", "user", user.id)
    db.session.flush()
