"""Notifications: the public `notify` other domains call, the kinds, rendering in the user's
language, email preferences, and the inbox reads and writes.

    from lms.jobs.notifications import notify
    notify(user.id, "test_graded", f"attempt:{attempt.id}",
           {"course_title": course.title, "score": score, "link": "/courses/ABC"})

`notify` is idempotent on (user, kind, key): calling it again returns the first notification
and sends nothing. The notification is written in the caller's transaction (flushed); its email
is sent by the queue after the commit.

A kind whose email carries a secret link (an account's activation link) registers a *sealed
link* with `seal_link`: the link is made when the email is built, never stored, and the inbox
copy says where it went instead.
"""

import json
import os
from collections.abc import Callable
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from config import base_url
from lms.common import clock
from lms.extensions import db
from lms.i18n import _l
from lms.jobs.models import (
    MAIL_PENDING,
    MAIL_SKIPPED,
    Notification,
    NotificationPreference,
)

# kind → what the preferences page calls it. Templates: templates/jobs/mail/<locale>/<kind>.txt
KINDS = {
    "account_activation": _l("My account's activation link"),
    "course_assigned": _l("A mandatory course is assigned to me"),
    "due_30": _l("A mandatory course is due within 30 days"),
    "due_7": _l("A mandatory course is due within 7 days"),
    "overdue": _l("A mandatory course is overdue"),
    "test_graded": _l("My test has been graded"),
    "certificate_issued": _l("A certificate is issued to me"),
    "certificate_expiring": _l("My certificate is about to expire"),
    "certificate_revoked": _l("My certificate is revoked"),
    "external_approved": _l("My external training is approved"),
    "external_rejected": _l("My external training is rejected"),
    "weekly_digest": _l("Weekly digest of my units (HR officers and training managers)"),
    "login_failures": _l("Repeated failed logins to my account"),
    "privacy_request": _l("News of my requests about my personal data"),
    "privacy_request_new": _l("A personal data request in my units (HR officers)"),
    "class_enrolled": _l("I have a place in an in-person class"),
    "class_waitlisted": _l("I am on the waiting list of an in-person class"),
    "class_promoted": _l("I move from a waiting list into an in-person class"),
    "class_cancelled": _l("My place in an in-person class is cancelled"),
    "class_updated": _l("The schedule of my in-person class changes"),
    "class_event_cancelled": _l("A session of my in-person class is cancelled"),
    "nominated": _l("My head nominates me to a course"),
    "head_decision": _l("My head decides on my external training"),
    "external_awaiting_head": _l("An external-training request awaits my decision (heads)"),
    "place_requested": _l("An official of my team asks for a place in a class (heads)"),
    "place_decision": _l("My head decides on my request for a place in a class"),
    "team_overdue": _l("An official of my team is overdue with a mandatory course (heads)"),
    "team_digest": _l("Weekly digest of my team's officials overdue or at risk (heads)"),
    "recruitment_appeal_decided": _l("My appeal of a recruitment exam mark is decided"),
}
STAFF_KINDS = (
    "weekly_digest",
    "privacy_request_new",
    "external_awaiting_head",
    "place_requested",
    "team_overdue",
    "team_digest",
)
# Always mailed, and not on the preferences page: security notices, an account's activation
# link (there is no account to set preferences on before it), and the outcome of a recruitment
# candidate's appeal (a candidate's account opens no preferences page).
ALWAYS_MAILED = ("login_failures", "account_activation", "recruitment_appeal_decided")
# Kinds whose email carries a secret link made at sending time (see seal_link); never sent
# without it.
SEALED_KINDS = ("account_activation",)
MAIL_REQUESTED = "lms_mail_requested"
# kind → function(notification) giving the context of a sealed link when the email is built
# ({"link_url": …, and any other values the kind's template needs}), or None when the link is
# no longer valid (the email is then not sent).
SEALED_LINKS: dict[str, Callable] = {}


# kind → function(notification) giving the files its email carries: a list of (filename,
# bytes, content type, content-type parameters), e.g. a class's calendar invitation.
MAIL_ATTACHMENTS: dict[str, Callable] = {}


def mail_attachments(*kinds: str):
    """Decorator: register the function that gives the attachments of `kinds`' emails."""

    def register(func: Callable) -> Callable:
        for kind in kinds:
            MAIL_ATTACHMENTS[kind] = func
        return func

    return register


def attachments_of(notification) -> list[tuple[str, bytes, str, dict]]:
    """The files a notification's email carries (none for most kinds)."""
    make = MAIL_ATTACHMENTS.get(notification.kind)
    return list(make(notification)) if make is not None else []


def seal_link(kind: str):
    """Decorator: register the function that makes `kind`'s secret link at sending time."""

    def register(func: Callable) -> Callable:
        SEALED_LINKS[kind] = func
        return func

    return register


def _jsonable(context: dict) -> dict:
    """The context as stored: dates and other values become their ISO or text form."""

    def default(value):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)

    return json.loads(json.dumps(context, default=default, ensure_ascii=False))


def user_locale(user) -> str:
    """The language a user reads: their saved choice, else the site default."""
    config = current_app.config
    locale = getattr(user, "locale", None)
    return locale if locale in config["LMS_LOCALES"] else config["LMS_DEFAULT_LOCALE"]


def email_address(user) -> str | None:
    """Where a user's mail goes: the account's address, else the official's."""
    official = getattr(user, "official", None)
    return user.email or (official.email if official is not None else None) or None


def render(kind: str, locale: str, context: dict) -> tuple[str, str]:
    """(subject, text body) of a kind in a language, from templates/jobs/mail/<locale>/."""
    template = current_app.jinja_env.get_template(f"jobs/mail/{locale}/{kind}.txt")
    with force_locale(locale):
        values = template.new_context(context)
        subject = "".join(template.blocks["subject"](values)).strip()
        body = "".join(template.blocks["body"](values)).strip()
    return " ".join(subject.split())[:255], body + "\n"


def render_sealed(notification: Notification) -> tuple[str, str, str] | None:
    """(subject, body, link) of a sealed-link notification's email, rendered now with the
    link its kind makes; None when the link is no longer valid."""
    from lms.auth.models import User

    make = SEALED_LINKS.get(notification.kind)
    extra = make(notification) if make is not None else None
    if extra is None:
        return None
    user = db.session.get(User, notification.user_id)
    context = {
        **(notification.context or {}),
        **extra,
        "user": user,
        "preferences_url": absolute_url(site_path("jobs.preferences")),
    }
    subject, body = render(notification.kind, notification.locale, context)
    return subject, body, extra["link_url"]


def absolute_url(path: str) -> str:
    """A site path as a full URL, for mail (LMS_BASE_URL; unset: this machine at the port the
    server is reached at, config.base_url)."""
    base = current_app.config.get("LMS_BASE_URL") or base_url(os.environ)
    return base.rstrip("/") + path if path else base


def site_path(endpoint: str, **values) -> str:
    """url_for without a request (jobs have none): the path of an endpoint."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def wants_email(user_id: int, kind: str) -> bool:
    """The user's choice for this kind (email on unless they turned it off; always for
    security notices and activation links)."""
    if kind in ALWAYS_MAILED:
        return True
    choice = db.session.scalar(
        select(NotificationPreference.email).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    return True if choice is None else bool(choice)


def _find(user_id: int, kind: str, key: str) -> Notification | None:
    return db.session.scalar(
        select(Notification).where(
            Notification.user_id == user_id, Notification.kind == kind, Notification.key == key
        )
    )


def insert_once(row) -> bool:
    """Add and flush a row whose unique key another process may have just written: False (and
    the caller's transaction intact) when it had. On SQLite, whose driver turns a SAVEPOINT that
    opens a transaction into an autocommit, writers are serialised anyway, so the row is simply
    flushed."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.add(row)
        db.session.flush()
        return True
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def notify(user_id: int, kind: str, key: str, context: dict | None = None) -> Notification | None:
    """Notify a user once per (kind, key): the inbox entry, and an email unless the user turned
    the kind off or has no address (flushed; the email goes out after the commit).

    `context` feeds the kind's templates; a "link" entry (a path on this site) becomes the
    message's button. Returns the notification (the earlier one when the key was used), or None
    for an unknown or disabled user. Raises ValueError for an unknown kind.
    """
    from lms.auth.models import User

    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    key = str(key)[:191]
    existing = _find(user_id, kind, key)
    if existing is not None:
        return existing
    user = db.session.get(User, user_id)
    if user is None or not user.is_enabled:
        return None
    context = dict(context or {})
    link = str(context.get("link") or "")
    locale = user_locale(user)
    subject, body = render(
        kind,
        locale,
        {
            **context,
            "user": user,
            "link_url": absolute_url(link) if link else "",
            "preferences_url": absolute_url(site_path("jobs.preferences")),
        },
    )
    address = email_address(user)
    state = MAIL_PENDING if address and wants_email(user_id, kind) else MAIL_SKIPPED
    notification = Notification(
        user_id=user_id,
        kind=kind,
        key=key,
        locale=locale,
        subject=subject,
        body=body,
        link=link[:255],
        context=_jsonable(context),
        email_state=state,
        email_to=address if state == MAIL_PENDING else None,
    )
    if not insert_once(notification):  # the same notification was written concurrently
        return _find(user_id, kind, key)
    if state == MAIL_PENDING:
        db.session.info[MAIL_REQUESTED] = True
    return notification


# --- the inbox -------------------------------------------------------------------------------


def already_sent(keys: list[tuple[int, str, str]]) -> set[tuple[int, str, str]]:
    """Which of the (user, kind, key) triples were notified before (one query)."""
    if not keys:
        return set()
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.key).where(
            Notification.key.in_({key for _u, _k, key in keys}),
            Notification.user_id.in_({user for user, _k, _key in keys}),
        )
    ).all()
    return {tuple(row) for row in rows}


def notify_official(
    official_id: int, kind: str, key: str, context: dict | None = None
) -> Notification | None:
    """Notify the user account of an official (as `notify`); None when the official has no
    account."""
    from lms.auth.models import User

    user_id = db.session.scalar(select(User.id).where(User.official_id == official_id))
    return None if user_id is None else notify(user_id, kind, key, context)


def unread_count(user_id: int) -> int:
    """How many of the user's notifications are unread."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def inbox_select(user_id: int, unread_only: bool = False):
    """The user's notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed."""
    stmt = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=clock.now())).rowcount


def kinds_for(staff: bool) -> list[str]:
    """The kinds a user can choose to get by email: the notices about one's units
    (STAFF_KINDS) only for `staff` (lms.auth.permissions.gets_staff_notices); security notices
    are always mailed."""
    return [
        kind for kind in KINDS if (staff or kind not in STAFF_KINDS) and kind not in ALWAYS_MAILED
    ]


def preferences(user_id: int) -> dict[str, bool]:
    """kind → email wanted, for every kind (defaults filled in)."""
    rows = db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.email).where(
            NotificationPreference.user_id == user_id
        )
    ).all()
    chosen = {kind: email for kind, email in rows}
    return {kind: chosen.get(kind, True) for kind in KINDS}


def save_preferences(user_id: int, email: dict[str, bool]) -> None:
    """Store the user's email choices for the kinds given (flushed)."""
    for kind, wanted in email.items():
        if kind not in KINDS:
            continue
        row = db.session.get(NotificationPreference, (user_id, kind))
        if row is None:
            db.session.add(NotificationPreference(user_id=user_id, kind=kind, email=wanted))
        else:
            row.email = wanted
    db.session.flush()
