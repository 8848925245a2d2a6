"""Accounts created without a password and their one-time activation links: create them in
bulk, issue links (a new link revokes the open one), print a link again, open one, and
activate (set the first password). Services flush and never commit.

The link itself is never stored: a link's token is derived from a random salt with SECRET_KEY
(lms.auth.activation_rules), and only the salt and the token's SHA-256 are kept.
"""

import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import insert, select, update

from lms.audit.services import record, record_many
from lms.auth import activation_rules as rules
from lms.auth.models import UNUSABLE_PASSWORD, AccountActivation, ProvisioningRun, User
from lms.auth.services import check_password_rules, hash_password, revoke_activation_links
from lms.common import clock
from lms.common.tabular import iter_chunks
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.jobs.notifications import seal_link

CHUNK = 900  # ids per IN (...) list: under SQLite's limit on bound parameters


class LinkUnavailable(RuleViolation):
    """The link cannot be used: `code` is its state (expired, used, revoked) or "unknown"."""


@dataclass(frozen=True)
class AwaitingAccount:
    """Input of create_awaiting: an account for an official, to be activated by a link."""

    username: str
    display_name: str
    official_id: int
    employee_code: str


def start_run(actor, source: str, base_url: str, unit_id: int | None = None) -> ProvisioningRun:
    """Record a provisioning run (flushed); its counts are filled in as it goes."""
    run = ProvisioningRun(
        actor_id=getattr(actor, "id", None),
        source=source,
        base_url=base_url.rstrip("/"),
        unit_id=unit_id,
        problems=[],
    )
    db.session.add(run)
    db.session.flush()
    return run


def create_awaiting(accounts: list[AwaitingAccount], run: ProvisioningRun, actor) -> list[int]:
    """Create the accounts in one bulk insert, with no usable password (flushed; one audit
    entry each). The caller has checked that the usernames and officials are free. Returns the
    new users' ids in the order given."""
    if not accounts:
        return []
    now = clock.now()
    rows = [
        {
            "username": account.username,
            "password_hash": UNUSABLE_PASSWORD,
            "display_name": account.display_name,
            "official_id": account.official_id,
            "is_enabled": True,
            "must_change_password": False,
            "created_at": now,
            "session_version": 0,
        }
        for account in accounts
    ]
    ids = db.session.execute(
        insert(User).returning(User.id, sort_by_parameter_order=True), rows
    ).scalars()
    ids = list(ids)
    record_many(
        actor,
        "user.created",
        "user",
        [
            (user_id, {"username": a.username, "employee_code": a.employee_code, "run": run.id})
            for user_id, a in zip(ids, accounts, strict=True)
        ],
    )
    return ids


def issue(user_ids: list[int], run: ProvisioningRun) -> int:
    """Give each user a new link valid LMS_ACTIVATION_VALID_DAYS days from today, revoking the
    open one they had (flushed). Returns how many links were issued."""
    if not user_ids:
        return 0
    now, key = clock.now(), current_app.config["SECRET_KEY"]
    until = rules.valid_until(clock.today(), current_app.config["LMS_ACTIVATION_VALID_DAYS"])
    revoke_activation_links(user_ids, now)  # flushed: the partial unique index sees them first
    rows = []
    for user_id in user_ids:
        salt = secrets.token_hex(16)
        token = rules.derive_token(key, salt)
        rows.append(
            {
                "user_id": user_id,
                "run_id": run.id,
                "salt": salt,
                "token_sha256": rules.digest(token),
                "created_at": now,
                "valid_until": until,
            }
        )
    for chunk in iter_chunks(rows, CHUNK):
        db.session.execute(insert(AccountActivation), chunk)
    return len(rows)


def link_token(activation: AccountActivation) -> str | None:
    """The token of a link, derived again from its salt; None when SECRET_KEY has changed
    since it was issued (the derived token no longer matches: issue a new link)."""
    token = rules.derive_token(current_app.config["SECRET_KEY"], activation.salt)
    return token if rules.digest(token) == activation.token_sha256 else None


def link_url(base_url: str, token: str) -> str:
    """The absolute address of the activation page for `token`."""
    return f"{base_url.rstrip('/')}/activate/{token}"


def link_state(activation: AccountActivation) -> str:
    """The state of a link today, also "revoked" when its account was disabled and "used" when
    the account got a password another way (an administrator's reset)."""
    found = rules.state(
        activation.valid_until, activation.used_at, activation.revoked_at, clock.today()
    )
    user = activation.user
    if found == rules.VALID and not user.is_enabled:
        return rules.REVOKED
    if found == rules.VALID and not user.is_awaiting_activation:
        return rules.USED
    return found


def find(token: str | None) -> tuple[AccountActivation | None, str]:
    """The link for `token` and its state; (None, "unknown") for a malformed or unknown one."""
    if not rules.looks_like_token(token):
        return None, "unknown"
    activation = db.session.scalar(
        select(AccountActivation).where(AccountActivation.token_sha256 == rules.digest(token))
    )
    if activation is None:
        return None, "unknown"
    return activation, link_state(activation)


def activate(token: str, password: str, address: str | None = None) -> User:
    """Use the link: set the account's first password and mark the link used (flushed; audited
    as `user.activated`). Raises LinkUnavailable when the link is not valid (or was used a
    moment ago by another request) and ValidationFailed when the password breaks the policy."""
    activation, found = find(token)
    if activation is None or found != rules.VALID:
        raise LinkUnavailable(_("This activation link cannot be used."), found)
    user = activation.user
    check_password_rules(password, user.username)
    claimed = db.session.execute(
        update(AccountActivation)
        .where(
            AccountActivation.id == activation.id,
            AccountActivation.used_at.is_(None),
            AccountActivation.revoked_at.is_(None),
        )
        .values(used_at=clock.now())
    ).rowcount
    if claimed != 1:  # a second tab or a replayed form: single use means once
        raise LinkUnavailable(_("This activation link cannot be used."), rules.USED)
    user.password_hash = hash_password(password)
    user.password_changed_at = clock.now()
    user.must_change_password = False
    user.session_version += 1
    user.last_login_at = clock.now()
    record(
        user, "user.activated", "user", user.id, after={"run": activation.run_id}, address=address
    )
    db.session.flush()
    return user


def run_base_url(activation: AccountActivation) -> str:
    """The address a link starts with: its run's (a link always belongs to a run)."""
    return activation.run.base_url if activation.run is not None else ""


@seal_link("account_activation")
def _email_link(notification) -> dict | None:
    """The activation link an email carries, made when it is sent (None once the link cannot
    be used: re-issued, used, expired, or the secret key changed)."""
    activation = db.session.get(
        AccountActivation, (notification.context or {}).get("activation_id")
    )
    if activation is None or link_state(activation) != rules.VALID:
        return None
    token = link_token(activation)
    if token is None:
        return None
    url = link_url(run_base_url(activation), token)
    # link_url is the email's button; the text names the link apart (activation_url), so the
    # inbox copy, made without it, never shows a link
    return {"link_url": url, "activation_url": url, "valid_until": activation.valid_until}


def notify_links(run_id: int, progress=None) -> int:
    """Notify (inbox and email) every official of the run whose link is still valid and who
    has an email address; idempotent (one notification per link). `progress(done, total)` is
    called every 100 officials. Returns how many were notified."""
    from sqlalchemy.orm import selectinload

    from lms.jobs.notifications import email_address, notify

    activations = db.session.scalars(
        select(AccountActivation)
        .where(AccountActivation.run_id == run_id)
        .options(selectinload(AccountActivation.user).selectinload(User.official))
        .order_by(AccountActivation.id)
    ).all()
    targets = [a for a in activations if link_state(a) == rules.VALID and email_address(a.user)]
    for done, activation in enumerate(targets, start=1):
        notify(
            activation.user_id,
            "account_activation",
            f"activation:{activation.id}",
            {
                "activation_id": activation.id,
                "username": activation.user.username,
                "valid_until": activation.valid_until,
            },
        )
        if progress is not None and done % 100 == 0:
            progress(done, len(targets))
    return len(targets)
