"""Account services: authentication (throttled by lms.auth.throttle), passwords, logged-out
sessions, accounts and role grants.

Services take plain values and an `actor`, flush, and never commit; the caller commits once.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from lms.audit.services import add_recorded, record, record_many
from lms.auth import passwords, throttle
from lms.auth.models import (
    ADMINISTRATOR,
    CANDIDATE,
    GRANTABLE_ROLES,
    AccountActivation,
    EndedSession,
    LoginFailure,
    RoleGrant,
    User,
)
from lms.auth.throttle import Client, LoginLocked  # noqa: F401  (the login view catches it)
from lms.common import clock
from lms.common.tabular import iter_chunks
from lms.errors import NotFound, RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _


def hash_password(password: str) -> str:
    """Hash with Werkzeug's default (scrypt); tests configure a cheaper method."""
    method = current_app.config.get("LMS_PASSWORD_HASH_METHOD")
    return generate_password_hash(password, method) if method else generate_password_hash(password)


def check_password_rules(password: str, username: str | None, field: str = "password") -> None:
    """Raise ValidationFailed unless the password meets the policy (lms.auth.passwords)."""
    passwords.check(password, username, current_app.config["LMS_PASSWORD_MIN_LENGTH"], field)


def normalize_username(username: str | None) -> str:
    """Usernames are compared trimmed and in lower case."""
    return (username or "").strip().lower()


def authenticate(username: str, password: str, client: Client) -> User | None:
    """Return the user if the credentials are right and the client may try them now.

    Raises LoginLocked while this client is held back (lms.auth.throttle: the account's
    slow-down for unknown devices, the address's or the device cookie's limit). A wrong
    password is recorded against the client; a right one forgets this client's earlier
    failures. Unknown users are throttled the same way, so throttling does not reveal which
    usernames exist.
    """
    username = normalize_username(username)
    throttle.check_password_step(username, client)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is not None and user.is_enabled and check_password_hash(user.password_hash, password):
        throttle.password_succeeded(username, client)
        user.last_login_at = clock.now()
        db.session.flush()
        return user
    throttle.password_failed(username, client, user)
    return None


def _set_password(user: User, new: str, field: str) -> None:
    """Store a new password that passes the policy and differs from the current one; every
    session of the user and every API token made before now stop working."""
    check_password_rules(new, user.username, field)
    if check_password_hash(user.password_hash, new):
        raise ValidationFailed([(field, _("The new password must differ from the current one."))])
    user.password_hash = hash_password(new)
    user.password_changed_at = clock.now()
    user.session_version += 1  # other sessions (another browser, a thief's) end here


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not check_password_hash(user.password_hash, current):
        raise ValidationFailed([("current_password", _("The current password is wrong."))])
    _set_password(user, new, "new_password")
    user.must_change_password = False
    record(user, "user.password_changed", "user", user.id)
    db.session.flush()


def reset_password(user: User, new: str, actor: User) -> None:
    """Set a temporary password (administrator); the user must change it at next login."""
    _set_password(user, new, "password")
    user.must_change_password = True
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    record(actor, "user.password_reset", "user", user.id)
    db.session.flush()


def end_session(sid: str, user_id: int, expires_at: datetime) -> None:
    """Note a logged-out session so that a copy of its cookie logs nobody in (flushed). Rows
    past their `expires_at`, whose cookies have timed out anyway, are removed here."""
    db.session.execute(delete(EndedSession).where(EndedSession.expires_at < clock.now()))
    if db.session.get(EndedSession, sid) is None:
        db.session.add(EndedSession(sid=sid, user_id=user_id, expires_at=expires_at))
    db.session.flush()


@dataclass(frozen=True)
class NewUser:
    """Input for create_user."""

    username: str
    password: str
    display_name: str
    email: str | None = None
    official_id: int | None = None
    must_change_password: bool = True


def create_user(data: NewUser, actor: User | None) -> User:
    """Create an account; raises ValidationFailed on a taken username or a weak password."""
    username = data.username.strip().lower()
    if not username:
        raise ValidationFailed([("username", _("A username is required."))])
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ValidationFailed([("username", _("This username is already taken."))])
    if data.official_id is not None and db.session.scalar(
        select(User.id).where(User.official_id == data.official_id)
    ):
        raise ValidationFailed([("employee_code", _("This official already has an account."))])
    check_password_rules(data.password, username)
    user = User(
        username=username,
        password_hash=hash_password(data.password),
        display_name=data.display_name.strip(),
        email=data.email or None,
        official_id=data.official_id,
        must_change_password=data.must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", "user", user.id, after={"username": username})
    return user


def grant_role(user: User, role: str, unit_id: int | None, actor: User | None) -> RoleGrant:
    """Grant `role` over the subtree of `unit_id` (None only for administrators). Audited."""
    if role not in GRANTABLE_ROLES:
        raise ValidationFailed([("role", _("Unknown role."))])
    if role != ADMINISTRATOR and unit_id is None:
        raise ValidationFailed([("unit", _("Choose the unit this role covers."))])
    if role == ADMINISTRATOR:
        unit_id = None
    same_unit = RoleGrant.unit_id.is_(None) if unit_id is None else RoleGrant.unit_id == unit_id
    existing = db.session.scalar(
        select(RoleGrant.id).where(RoleGrant.user_id == user.id, RoleGrant.role == role, same_unit)
    )
    if existing:
        raise ValidationFailed([("role", _("The user already holds this role for this unit."))])
    user.session_version += 1  # new rights take effect at a fresh login
    grant = RoleGrant(
        user_id=user.id, role=role, unit_id=unit_id, granted_by_id=getattr(actor, "id", None)
    )
    add_recorded(
        grant, actor, "role.granted", "user", user.id, after={"role": role, "unit_id": unit_id}
    )
    return grant


def grant_candidate(user: User, unit_id: int, actor: User | None) -> RoleGrant:
    """Give a recruitment candidate's own account the role `candidate` (over the recruiting
    unit), which the role grants page never offers: lms.recruitment calls it when it creates
    the account. Audited."""
    grant = RoleGrant(
        user_id=user.id, role=CANDIDATE, unit_id=unit_id, granted_by_id=getattr(actor, "id", None)
    )
    add_recorded(
        grant, actor, "role.granted", "user", user.id, after={"role": CANDIDATE, "unit_id": unit_id}
    )
    return grant


def revoke_role(grant_id: int, actor: User) -> None:
    """Remove a grant; refuses to remove the last administrator. Audited."""
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFound(_("No such role grant."))
    if grant.role == ADMINISTRATOR:
        admins = db.session.scalar(
            select(func.count()).select_from(RoleGrant).where(RoleGrant.role == ADMINISTRATOR)
        )
        if admins <= 1:
            raise RuleViolation(_("The last administrator cannot be removed."), "last_admin")
    record(
        actor,
        "role.revoked",
        "user",
        grant.user_id,
        before={"role": grant.role, "unit_id": grant.unit_id},
    )
    grant.user.session_version += 1
    db.session.delete(grant)
    db.session.flush()


def set_enabled(user: User, enabled: bool, actor: User) -> None:
    """Enable or disable a login (disabled users cannot sign in). Audited."""
    if user.is_enabled != enabled:
        record(actor, "user.enabled" if enabled else "user.disabled", "user", user.id)
        user.is_enabled = enabled
        user.session_version += 1
        if not enabled:  # a link must not come back to life when the account is enabled again
            revoke_activation_links([user.id])
        db.session.flush()


def revoke_activation_links(user_ids: list[int], now: datetime | None = None) -> None:
    """Revoke every open activation link of these users (lms.auth.activation), at `now`
    (default: the clock's now); flushed. For accounts being disabled, and before new links."""
    now = now or clock.now()
    for chunk in iter_chunks(user_ids, 900):
        db.session.execute(
            update(AccountActivation)
            .where(
                AccountActivation.user_id.in_(chunk),
                AccountActivation.used_at.is_(None),
                AccountActivation.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
    db.session.flush()


def disable_for_officials(official_ids: list[int], actor, reason: str) -> int:
    """Disable the enabled accounts of these officials (e.g. they left the service): their
    sessions end, their API tokens stop working and their open activation links are revoked.
    One audit entry per account (`user.disabled`, with `reason`); flushed. Returns how many."""
    user_ids: list[int] = []
    for chunk in iter_chunks(sorted(set(official_ids)), 900):
        user_ids += db.session.scalars(
            select(User.id).where(User.official_id.in_(chunk), User.is_enabled.is_(True))
        ).all()
    if not user_ids:
        return 0
    for chunk in iter_chunks(user_ids, 900):
        db.session.execute(
            update(User)
            .where(User.id.in_(chunk))
            .values(is_enabled=False, session_version=User.session_version + 1)
        )
    revoke_activation_links(user_ids)
    record_many(actor, "user.disabled", "user", [(uid, {"reason": reason}) for uid in user_ids])
    db.session.flush()
    return len(user_ids)


def official_id_of_user(user_id: int | None) -> int | None:
    """The official record of an account (None for an account without one): the imports refuse
    rows about their uploader's own record (separation of duties)."""
    if user_id is None:
        return None
    return db.session.scalar(select(User.official_id).where(User.id == user_id))
