"""Pure rules of activation links: the username an official gets, the shape of a link's token,
how a token is derived and stored, and the state of a link on a day. No Flask, no database."""

import hashlib
import hmac
import re
from base64 import urlsafe_b64encode
from datetime import date, datetime, timedelta

VALID = "valid"
EXPIRED = "expired"
USED = "used"
REVOKED = "revoked"  # replaced by a newer link, or the account was disabled
STATES = (VALID, EXPIRED, USED, REVOKED)

# A token is 32 bytes of HMAC-SHA256 in URL-safe base64 without padding: 43 characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def username_for(employee_code: str) -> str:
    """An official's username: the employee code in lower case, without surrounding spaces."""
    return (employee_code or "").strip().lower()


def valid_until(issued_on: date, valid_days: int) -> date:
    """The last day a link issued on `issued_on` works: issued on day 0, it works through day
    `valid_days` and no longer on the day after."""
    return issued_on + timedelta(days=valid_days)


def state(
    valid_until_day: date, used_at: datetime | None, revoked_at: datetime | None, today: date
) -> str:
    """The state of a link on `today`: used and revoked win over the date (a used link stays
    "used" once it would have expired), then expired after its last valid day."""
    if used_at is not None:
        return USED
    if revoked_at is not None:
        return REVOKED
    return EXPIRED if today > valid_until_day else VALID


def looks_like_token(text: str | None) -> bool:
    """Whether `text` has the shape of a token (anything else is refused before any lookup)."""
    return bool(text) and TOKEN_PATTERN.fullmatch(text) is not None


def derive_token(secret_key: str | bytes, salt: str) -> str:
    """The token of a link: HMAC-SHA256 of its stored salt under the application's secret key,
    so the link can be printed again but never read from the database alone."""
    key = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    mac = hmac.new(key, f"account-activation:{salt}".encode("ascii"), hashlib.sha256).digest()
    return urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def digest(token: str) -> str:
    """The stored form of a token (hex SHA-256), by which an opened link is found."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
