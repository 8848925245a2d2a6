"""A user's notifications for "download all my data": every message of the inbox with its
email delivery, and the email choices (two queries)."""

from sqlalchemy import select

from lms.common.plain import fields
from lms.extensions import db
from lms.jobs.models import Notification, NotificationPreference


def notifications(user_id: int) -> list[dict]:
    """Every notification of the user, oldest first."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at, Notification.id)
    )
    names = ("kind", "subject", "body", "link", "created_at", "read_at")
    mail = ("email_state", "email_to", "emailed_at")
    return [fields(n, *names, *mail) for n in rows]


def preferences(user_id: int) -> dict[str, bool]:
    """The kinds of notification the user turned email on or off for (others: on)."""
    rows = db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.email).where(
            NotificationPreference.user_id == user_id
        )
    )
    return {kind: bool(email) for kind, email in rows}
