"""Acknowledging the privacy notice."""

from sqlalchemy import exists, select

from lms.audit.services import record
from lms.common import clock
from lms.extensions import db
from lms.privacy import notice
from lms.privacy.models import NoticeAcknowledgement


def has_acknowledged(user_id: int, version: str | None = None) -> bool:
    """Whether the user acknowledged `version` (default: the current one) of the notice (one
    query)."""
    version = version or notice.VERSION
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    NoticeAcknowledgement.user_id == user_id,
                    NoticeAcknowledgement.version == version,
                )
            )
        )
    )


def acknowledgement(user_id: int, version: str | None = None) -> NoticeAcknowledgement | None:
    """The user's acknowledgement of `version` (default: the current one), or None."""
    version = version or notice.VERSION
    return db.session.scalar(
        select(NoticeAcknowledgement).where(
            NoticeAcknowledgement.user_id == user_id, NoticeAcknowledgement.version == version
        )
    )


def acknowledge(user, address: str | None = None) -> NoticeAcknowledgement:
    """Record (flushed, audited) that `user` acknowledged the current version of the notice;
    acknowledging it again changes nothing and returns the first acknowledgement."""
    existing = acknowledgement(user.id)
    if existing is not None:
        return existing
    row = NoticeAcknowledgement(
        user_id=user.id, version=notice.VERSION, acknowledged_at=clock.now(), address=address
    )
    db.session.add(row)
    db.session.flush()
    record(
        user,
        "privacy.notice_acknowledged",
        "user",
        user.id,
        after={"version": row.version, "acknowledged_at": row.acknowledged_at},
        address=address,
    )
    return row
