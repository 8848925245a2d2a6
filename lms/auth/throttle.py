"""Login throttling that counts the right client and cannot be turned against the account
holder (docs/security.md, "Guessing passwords").

- A client **without a device cookie** for the account (lms.auth.devices) meets the account's
  slow-down: from LMS_LOGIN_MAX_FAILURES_PER_ACCOUNT such failures within a day, it must wait
  after each failure, LMS_LOGIN_DELAY_SECONDS at first, twice as long after every further one,
  never more than LMS_LOGIN_LOCK_MINUTES. Its address is refused for LMS_LOGIN_LOCK_MINUTES
  after LMS_LOGIN_MAX_FAILURES_PER_ADDRESS failures across accounts.
- A client **with a valid device cookie** for the account is held back by neither: its
  failures count against that cookie alone, which is refused after LMS_DEVICE_MAX_FAILURES
  within LMS_LOGIN_LOCK_MINUTES. So nobody elsewhere can keep the user out of their account.
- Wrong two-factor codes follow the same split, LMS_2FA_MAX_FAILURES per account (unknown
  clients) or per device cookie within LMS_LOGIN_LOCK_MINUTES; each one is audited.

Staff accounts (any role grant) are told when their account starts slowing down, and every
account when its two-factor limit is reached: someone else holds the password then.
Services here flush and never commit.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from lms.audit.services import record
from lms.auth.models import FIRST_STEP, SECOND_STEP, LoginFailure, User
from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import ngettext

ACCOUNT_MEMORY = timedelta(days=1)  # how far back an account's slow-down counts failures
NOTICE_KIND = "login_failures"


class LoginLocked(RuleViolation):
    """Too many failed logins for this account, address or device: try again later."""


@dataclass(frozen=True)
class Client:
    """Who is trying to log in: the client's address (the real one behind trusted proxies)
    and the id of the valid device cookie it presented for the account named, if any."""

    address: str
    device: str | None = None


def refusal_seconds(failures: int, free: int, first: int, longest: int) -> int:
    """How long (seconds) an account refuses unknown clients after its last failure, given the
    failures counted: nothing below `free`; `first` at `free`, doubling with each further
    failure, never more than `longest`."""
    if failures < free:
        return 0
    return min(first * 2 ** min(failures - free, 32), longest)


def _failures(kind: str, since: datetime, **match) -> tuple[int, datetime | None]:
    """(count, time of the last) of the failures of `kind` after `since` whose columns equal
    `match` (None matches NULL)."""
    conditions = [LoginFailure.kind == kind, LoginFailure.at > since]
    for name, value in match.items():
        column = getattr(LoginFailure, name)
        conditions.append(column.is_(None) if value is None else column == value)
    count, last = db.session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(*conditions)
    ).one()
    return count, last


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LMS_LOGIN_LOCK_MINUTES"])


def _refuse(seconds: float, reason: str) -> None:
    """Raise LoginLocked saying how many minutes (rounded up) to wait."""
    raise LoginLocked(_message(reason, max(1, math.ceil(seconds / 60))), "login_locked")


def check_password_step(username: str, client: Client) -> None:
    """Raise LoginLocked when this client may not try a password for `username` now."""
    config, now = current_app.config, clock.now()
    window = _window()
    if client.device:
        count, _last = _failures(FIRST_STEP, now - window, device=client.device)
        if count >= config["LMS_DEVICE_MAX_FAILURES"]:
            _refuse(window.total_seconds(), "device")
        return
    count, _last = _failures(FIRST_STEP, now - window, address=client.address, device=None)
    if count >= config["LMS_LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        _refuse(window.total_seconds(), "address")
    count, last = _failures(FIRST_STEP, now - ACCOUNT_MEMORY, username=username, device=None)
    wait = refusal_seconds(
        count,
        config["LMS_LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        config["LMS_LOGIN_DELAY_SECONDS"],
        int(window.total_seconds()),
    )
    left = (last + timedelta(seconds=wait) - now).total_seconds() if last and wait else 0
    if left > 0:
        _refuse(left, "account")


def password_failed(username: str, client: Client, user: User | None) -> None:
    """Record a wrong password (or unknown user); audit the moment the account, the address
    or the device cookie reaches its limit, and tell a staff account it is slowing down."""
    config, now = current_app.config, clock.now()
    db.session.add(LoginFailure(username=username, address=client.address, device=client.device))
    db.session.flush()
    address = client.address
    if client.device:
        count, _last = _failures(FIRST_STEP, now - _window(), device=client.device)
        if count == config["LMS_DEVICE_MAX_FAILURES"]:
            record(None, "login.device_locked", "user", username, address=address)
        return
    count, _last = _failures(FIRST_STEP, now - ACCOUNT_MEMORY, username=username, device=None)
    free = config["LMS_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if count == free:
        record(None, "login.locked", "user", username, after={"address": address}, address=address)
    if count >= free and user is not None and user.grants:
        _notify(user, "password", count, address)
    count, _last = _failures(FIRST_STEP, now - _window(), address=address, device=None)
    if count == config["LMS_LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        record(None, "login.address_locked", "address", address, address=address)


def _forget(username: str, client: Client, kind: str) -> None:
    """Delete this client's failures of `kind` for the account: its device cookie's, or, for a
    client without one, those from its address without a cookie."""
    same_client = (
        LoginFailure.device == client.device
        if client.device
        else (LoginFailure.device.is_(None) & (LoginFailure.address == client.address))
    )
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.username == username, LoginFailure.kind == kind, same_client
        )
    )


def password_succeeded(username: str, client: Client) -> None:
    """Forget this client's earlier wrong passwords for the account (the user's own typos);
    failures from other addresses and devices still count."""
    _forget(username, client, FIRST_STEP)


def code_succeeded(user: User, client: Client) -> None:
    """Forget this client's earlier wrong codes for the account."""
    _forget(user.username, client, SECOND_STEP)


def _code_failures(user: User, client: Client) -> int:
    """Wrong codes within the window: of this device cookie, or of the account's clients
    without one."""
    match = {} if client.device else {"username": user.username}
    count, _last = _failures(SECOND_STEP, clock.now() - _window(), device=client.device, **match)
    return count


def check_code_step(user: User, client: Client) -> None:
    """Raise LoginLocked when this client may not try a two-factor code for `user` now."""
    if _code_failures(user, client) >= current_app.config["LMS_2FA_MAX_FAILURES"]:
        _refuse(_window().total_seconds(), "code")


def code_failed(user: User, client: Client) -> None:
    """Record and audit a wrong two-factor code; at the limit, audit it and tell the user
    (the password was right, so someone else may hold it)."""
    db.session.add(
        LoginFailure(
            username=user.username, address=client.address, device=client.device, kind=SECOND_STEP
        )
    )
    db.session.flush()
    after = {"address": client.address, "known_device": client.device is not None}
    record(None, "user.2fa_failed", "user", user.id, after=after, address=client.address)
    count = _code_failures(user, client)
    if count == current_app.config["LMS_2FA_MAX_FAILURES"]:
        record(None, "user.2fa_locked", "user", user.id, after=after, address=client.address)
        _notify(user, "code", count, client.address)


def _notify(user: User, step: str, count: int, address: str) -> None:
    """One notice (inbox and mail) per account, step and day, however long the burst."""
    from lms.jobs.notifications import notify, site_path

    context = {
        "step": step,
        "failures": count,
        "address": address,
        "at": clock.now(),
        "link": site_path("auth.change_password"),
    }
    notify(user.id, NOTICE_KIND, f"{step}:{clock.today().isoformat()}", context)


def _message(reason: str, minutes: int) -> str:
    """The refusal in words (literal calls, so that the catalog extraction finds them)."""
    if reason == "account":
        return ngettext(
            "Too many failed logins to this account from devices it has not used before. Try "
            "again in %(num)d minute, or log in from a device you have logged in with before.",
            "Too many failed logins to this account from devices it has not used before. Try "
            "again in %(num)d minutes, or log in from a device you have logged in with before.",
            minutes,
        )
    if reason == "address":
        return ngettext(
            "Too many failed logins from your address. Try again in %(num)d minute.",
            "Too many failed logins from your address. Try again in %(num)d minutes.",
            minutes,
        )
    if reason == "device":
        return ngettext(
            "Too many failed logins from this device. Try again in %(num)d minute.",
            "Too many failed logins from this device. Try again in %(num)d minutes.",
            minutes,
        )
    return ngettext(
        "Too many wrong codes. Try again in %(num)d minute.",
        "Too many wrong codes. Try again in %(num)d minutes.",
        minutes,
    )
