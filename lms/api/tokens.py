"""Bearer tokens: create (the token is returned once), revoke, look up by the token presented.

Services flush and never commit; every change is audited.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from lms.api.models import ApiToken
from lms.audit.services import record
from lms.auth.models import User
from lms.common import clock
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _

PREFIX = "tc_"  # makes a leaked token easy to recognise (secret scanners, log greps)
NAME_MAX = 100
# How stale last_used_at may get before a request writes it again: one write a minute at most,
# so a busy integration does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_LIFETIME = timedelta(days=3653)  # an expiry date, when given, within ten years


def digest(token: str) -> str:
    """The stored form of a token: hex SHA-256 (tokens are 256 random bits, so no salt or slow
    hash is needed — there is nothing to guess)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Created:
    """A new token: the row, and the token itself, which is never available again."""

    token: ApiToken
    secret: str


def create_token(
    user: User, name: str, actor: User | None, expires_at: datetime | None = None
) -> Created:
    """Make a token for `user` (flushed). Raises ValidationFailed for an empty or over-long
    name, an expiry in the past, or a disabled user."""
    name = " ".join((name or "").split())
    reasons = []
    if not name:
        reasons.append(("name", _("Give the token a name (what will use it).")))
    elif len(name) > NAME_MAX:
        reasons.append(("name", _("At most %(max)d characters.", max=NAME_MAX)))
    if expires_at is not None and expires_at <= clock.now():
        reasons.append(("expires_on", _("The expiry date must be in the future.")))
    elif expires_at is not None and expires_at > clock.now() + MAX_LIFETIME:
        reasons.append(("expires_on", _("A token can last ten years at most.")))
    if not user.is_enabled:
        reasons.append((None, _("The account is disabled.")))
    if reasons:
        raise ValidationFailed(reasons)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_sha256=digest(secret),
        hint=secret[: len(PREFIX) + 4],
        created_by_id=getattr(actor, "id", None),
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    record(
        actor,
        "api_token.created",
        "user",
        user.id,
        after={"token_id": token.id, "name": name, "expires_at": expires_at},
    )
    return Created(token, secret)


def revoke_token(token: ApiToken, actor: User | None) -> None:
    """Revoke a token (flushed, audited). Raises RuleViolation when it is already revoked."""
    if token.revoked_at is not None:
        raise RuleViolation(_("This token was already revoked."), "already_revoked")
    token.revoked_at = clock.now()
    token.revoked_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        actor,
        "api_token.revoked",
        "user",
        token.user_id,
        after={"token_id": token.id, "name": token.name},
    )


def made_since_password_change():
    """SQL condition on a token joined with its user: made after the user's password was last
    changed or reset (changing a password revokes the tokens made before it)."""
    return or_(User.password_changed_at.is_(None), ApiToken.created_at >= User.password_changed_at)


def authenticate(secret: str) -> ApiToken | None:
    """The usable token matching `secret` whose user is enabled and has not changed their
    password since it was made, else None. Notes the use (at most once a minute; flushed, the
    caller commits)."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_sha256 == digest(secret),
            User.is_enabled.is_(True),
            made_since_password_change(),
        )
    )
    now = clock.now()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return token


def tokens_of(user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first (revoked ones included, for the record)."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id)
    return list(db.session.scalars(stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))
