"""An account's part of "download all my data": the account, its role grants, its sign-in
history (last login, failed attempts kept for throttling) and its API tokens (never the
secrets). Each function costs a fixed number of queries."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.auth.models import LoginFailure, RoleGrant, User
from lms.common.plain import fields, plain
from lms.extensions import db


def account(user: User) -> dict:
    """The account and its role grants (one query)."""
    grants = db.session.scalars(
        select(RoleGrant)
        .options(joinedload(RoleGrant.unit))
        .where(RoleGrant.user_id == user.id)
        .order_by(RoleGrant.id)
    )
    return {
        **fields(user, "username", "display_name", "email", "locale", "created_at"),
        "enabled": user.is_enabled,
        "last_login_at": plain(user.last_login_at),
        "two_factor": user.totp_enabled,
        "roles": [{"role": g.role, "unit": g.unit.code if g.unit else None} for g in grants],
    }


def logins(user: User) -> dict:
    """The last successful login and the failed attempts still kept for this username."""
    failures = db.session.execute(
        select(LoginFailure.at, LoginFailure.address)
        .where(LoginFailure.username == user.username)
        .order_by(LoginFailure.at)
    )
    return {
        "last_login_at": plain(user.last_login_at),
        "failed_attempts": [{"at": plain(at), "address": address} for at, address in failures],
    }
