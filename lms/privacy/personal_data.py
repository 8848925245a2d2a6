"""The privacy part of "download all my data": the notice versions the person acknowledged and
their requests about their data. Each function costs one query."""

from sqlalchemy import select

from lms.common.plain import plain
from lms.extensions import db
from lms.privacy.models import NoticeAcknowledgement, PrivacyRequest


def acknowledgements(user_id: int) -> list[dict]:
    """Every version of the privacy notice the user acknowledged, and when."""
    rows = db.session.scalars(
        select(NoticeAcknowledgement)
        .where(NoticeAcknowledgement.user_id == user_id)
        .order_by(NoticeAcknowledgement.acknowledged_at, NoticeAcknowledgement.id)
    )
    return [{"version": r.version, "acknowledged_at": plain(r.acknowledged_at)} for r in rows]


def requests(official_id: int) -> list[dict]:
    """The official's requests to correct, restrict or delete their data, with their answers."""
    rows = db.session.scalars(
        select(PrivacyRequest)
        .where(PrivacyRequest.official_id == official_id)
        .order_by(PrivacyRequest.received_at, PrivacyRequest.id)
    )
    return [
        {
            "number": r.id,
            "kind": r.kind,
            "details": r.details,
            "state": r.state,
            "received_at": plain(r.received_at),
            "due_on": plain(r.due_on),
            "closed_at": plain(r.closed_at),
            "outcome": r.outcome,
        }
        for r in rows
    ]
