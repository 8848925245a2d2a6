"""Email over SMTP: builds each notification's message (text, with an HTML alternative, in the
user's language) and sends the pending ones.

Settings (app.config, each with a default): MAIL_SERVER (empty: mail is off), MAIL_PORT (25),
MAIL_DEFAULT_SENDER, MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD,
MAIL_TIMEOUT (seconds, 10), MAIL_SUPPRESS_SEND (default: on under testing; mail stays pending).

Each message is claimed (state "sending", committed) before the SMTP conversation and marked
"sent" after it, so a worker killed in between never sends it twice: at most once, by design.
"""

import contextlib
import email.policy
import logging
import smtplib
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update

from lms.common import clock
from lms.extensions import db
from lms.jobs.models import (
    MAIL_FAILED,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    MAIL_SKIPPED,
    Notification,
)
from lms.jobs.notifications import SEALED_KINDS, absolute_url, attachments_of, render_sealed

log = logging.getLogger("lms.jobs.mail")
BATCH = 200
LINK_GONE = "not sent: the link in it is no longer valid"
# Headers are not folded below the 998-octet limit: folding a long Vietnamese subject puts the
# space between two encoded words, where RFC 2047 says to ignore it ("Văn hóa" → "Vănhóa").
POLICY = email.policy.SMTP.clone(max_line_length=998)


class LinkGone(Exception):
    """The secret link a notification's email would carry is no longer valid."""


def build_message(notification: Notification) -> EmailMessage:
    """The email of a notification: plain text plus an HTML alternative. A sealed-link kind is
    rendered again with its link (raises LinkGone when the link is no longer valid)."""
    config = current_app.config
    subject, body = notification.subject, notification.body
    link = absolute_url(notification.link) if notification.link else ""
    if notification.kind in SEALED_KINDS:
        sealed = render_sealed(notification)
        if sealed is None:
            raise LinkGone(notification.kind)
        subject, body, link = sealed
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or "tinchi@localhost"
    message["To"] = notification.email_to
    message["Date"] = format_datetime(clock.now().replace(tzinfo=UTC))
    domain = (config.get("MAIL_DEFAULT_SENDER") or "localhost").rpartition("@")[2].strip("> ")
    message["Message-ID"] = make_msgid(f"notification-{notification.id}", domain=domain or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    with force_locale(notification.locale):
        html = current_app.jinja_env.get_template("jobs/mail/layout.html").render(
            notification=notification,
            subject=subject,
            paragraphs=[p for p in body.split("\n\n") if p.strip()],
            link_url=link,
        )
    message.add_alternative(html, subtype="html")
    for filename, data, content_type, params in attachments_of(notification):
        maintype, _slash, subtype = content_type.partition("/")
        message.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=filename, params=params
        )
    message["Content-Language"] = notification.locale  # after the body: set_content clears it
    return message


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port = config.get("MAIL_SERVER"), int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT") or 10)
    if config.get("MAIL_USE_SSL"):
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout)
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if config.get("MAIL_USE_TLS"):
            connection.starttls()
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return connection


def _claim(notification_id: int) -> bool:
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.email_state == MAIL_PENDING)
        .values(email_state=MAIL_SENDING, email_attempted_at=clock.now())
    ).rowcount
    db.session.commit()
    return claimed == 1


def _set(notification_id: int, **values) -> None:
    db.session.execute(
        update(Notification).where(Notification.id == notification_id).values(**values)
    )
    db.session.commit()


def deliver_pending(progress=None) -> dict:
    """Send every pending email (one SMTP connection). A message the server refuses is marked
    failed; when the server cannot be reached the message goes back to pending and delivery
    stops (the next run tries again). `progress(sent)` is called after each message (a job
    passes its heartbeat). Returns {"sent": n, "failed": n}."""
    config = current_app.config
    counts = {"sent": 0, "failed": 0}
    if config.get("MAIL_SUPPRESS_SEND", current_app.testing) or not config.get("MAIL_SERVER"):
        return counts
    connection = None
    try:
        while True:
            ids = db.session.scalars(
                select(Notification.id)
                .where(Notification.email_state == MAIL_PENDING)
                .order_by(Notification.id)
                .limit(BATCH)
            ).all()
            if not ids:
                return counts
            for notification_id in ids:
                if not _claim(notification_id):
                    continue  # another worker took it
                try:
                    message = build_message(db.session.get(Notification, notification_id))
                except LinkGone:  # e.g. a re-issued activation link: the old one is not sent
                    _set(notification_id, email_state=MAIL_SKIPPED, email_error=LINK_GONE)
                    continue
                try:
                    connection = connection or _connect()
                    connection.send_message(message)
                except (
                    smtplib.SMTPRecipientsRefused,
                    smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError,
                ) as error:
                    _set(notification_id, email_state=MAIL_FAILED, email_error=str(error)[:255])
                    counts["failed"] += 1
                    continue
                except (OSError, smtplib.SMTPException) as error:
                    _set(notification_id, email_state=MAIL_PENDING)
                    log.warning("mail server unavailable, will retry: %s", error)
                    return counts
                _set(notification_id, email_state=MAIL_SENT, emailed_at=clock.now())
                counts["sent"] += 1
                if progress is not None:
                    progress(counts["sent"])
    finally:
        if connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.quit()


def give_up_interrupted(older_than) -> int:
    """Messages left "sending" by a worker that died (claimed before `older_than`): mark them
    failed rather than risk sending them twice. Returns how many."""
    return db.session.execute(
        update(Notification)
        .where(
            Notification.email_state == MAIL_SENDING,
            Notification.email_attempted_at < older_than,
        )
        .values(
            email_state=MAIL_FAILED,
            email_error="interrupted (may not have arrived); not sent again, to avoid a duplicate",
        )
    ).rowcount


def pending_count() -> int:
    """How many emails wait to be sent."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.email_state == MAIL_PENDING)
        )
        or 0
    )


def has_pending() -> bool:
    """Whether any email waits to be sent."""
    return (
        db.session.scalar(
            select(Notification.id).where(Notification.email_state == MAIL_PENDING).limit(1)
        )
        is not None
    )
