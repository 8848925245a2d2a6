"""An account's API tokens for "download all my data": names and dates, never the secret."""

from sqlalchemy import select

from lms.api.models import ApiToken
from lms.common.plain import fields
from lms.extensions import db


def api_tokens(user_id: int) -> list[dict]:
    """The user's tokens, oldest first (one query)."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
    )
    names = ("name", "hint", "created_at", "last_used_at", "expires_at", "revoked_at")
    return [fields(token, *names) for token in tokens]
