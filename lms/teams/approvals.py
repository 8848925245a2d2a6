"""The head's say on an official's external training: when the official's unit asks for it
(TeamSettings.head_approval, inherited down the unit tree), a submission waits for a head of the
official's unit, who approves or declines it with a reason before HR decides. Curricula cannot
import teams: it sends `lms.curricula.external.stages.submitted`, which `on_submitted` answers,
and reads the head's stage through `stage_of_records` (registered in its STAGES)."""

from sqlalchemy import func, select

from lms.audit.services import record as audit
from lms.auth.models import User
from lms.common import clock
from lms.curricula.external import services as external
from lms.curricula.external.models import ExternalRecord
from lms.curricula.external.stages import Stage
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _, format_day
from lms.jobs.notifications import notify, notify_official, site_path
from lms.organisation.models import Official
from lms.teams import queries
from lms.teams.models import HeadReview, HeadReviewStatus

AWAITING, APPROVED, DECLINED = HeadReviewStatus


def on_submitted(record: ExternalRecord, actor=None, **_extra) -> HeadReview | None:
    """Curricula's signal: a new submission waits for the head when the official's unit asks
    for it and a head of the official's unit has an account (each is told); else it goes
    straight to HR. Flushed."""
    settings = queries.settings_for_official(record.official_id)
    if settings is None or not settings.head_approval:
        return None
    heads = queries.head_users_of(record.official_id)
    if not heads:
        return None
    review = HeadReview(external_record_id=record.id, status=AWAITING)
    db.session.add(review)
    db.session.flush()
    context = {
        "official": record.official.full_name,
        "title": record.title,
        "link": site_path("teams.external_request", record_id=record.id),
    }
    for user in heads:
        notify(user.id, "external_awaiting_head", f"external:{record.id}", context)
    return review


def _locked_review(record: ExternalRecord) -> HeadReview:
    review = db.session.get(HeadReview, record.id, with_for_update=True)
    if review is None or review.status != AWAITING:
        raise RuleViolation(_("This request is not waiting for the head."), "not_awaiting_head")
    return review


def _decide(review: HeadReview, status: str, reason: str, actor) -> None:
    review.status = status
    review.reason = reason or None
    review.decided_by_id = actor.id
    review.decided_at = clock.now()
    db.session.flush()


def head_approve(record: ExternalRecord, reason: str, actor) -> HeadReview:
    """The head approves the request (reason optional): it goes on to HR. Audited
    (`external.head_approved`); the official is told."""
    review = _locked_review(record)
    _decide(review, APPROVED, (reason or "").strip(), actor)
    audit(
        actor,
        "external.head_approved",
        "external_record",
        record.id,
        before={"status": AWAITING},
        after={"status": APPROVED, "reason": review.reason},
    )
    notify_official(
        record.official_id,
        "head_decision",
        f"external:{record.id}",
        {
            "title": record.title,
            "approved": True,
            "reason": review.reason or "",
            "link": site_path("curricula.my_external"),
        },
    )
    return review


def head_decline(record: ExternalRecord, reason: str, actor) -> HeadReview:
    """The head declines the request with a reason (required): the record is rejected with it,
    nothing reaches HR or the ledger. Audited (`external.head_declined`, then curricula's
    `external.rejected`); the official is told by the rejection."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([("reason", _("Give the reason for declining."))])
    review = _locked_review(record)
    _decide(review, DECLINED, reason, actor)
    audit(
        actor,
        "external.head_declined",
        "external_record",
        record.id,
        before={"status": AWAITING},
        after={"status": DECLINED, "reason": reason},
    )
    external.reject(record, reason, actor)
    return review


def stage_of_records(record_ids: list[int]) -> dict[int, Stage]:
    """Curricula's STAGES entry: the head's review of each record, in words (one query)."""
    found: dict[int, Stage] = {}
    rows = db.session.execute(
        select(HeadReview, User.display_name, Official.full_name)
        .outerjoin(User, User.id == HeadReview.decided_by_id)
        .outerjoin(Official, Official.id == User.official_id)
        .where(HeadReview.external_record_id.in_(record_ids))
    )
    for review, account_name, official_name in rows:
        if review.status == AWAITING:
            text = HeadReviewStatus.text_of(AWAITING)
        else:
            who = official_name or account_name or ""
            text = _(
                "%(decision)s (%(name)s, %(day)s)",
                decision=HeadReviewStatus.text_of(review.status),
                name=who,
                day=format_day(clock.local_day(review.decided_at)),
            )
            if review.reason:
                text = f"{text}: {review.reason}"
        found[review.external_record_id] = Stage(text, review.status == AWAITING)
    return found


def awaiting_by_official(official_ids: list[int]) -> dict[int, int]:
    """The team page's AWAITING entry: requests waiting for the head, by official (one query)."""
    return dict(
        db.session.execute(
            select(ExternalRecord.official_id, func.count())
            .join(HeadReview, HeadReview.external_record_id == ExternalRecord.id)
            .where(ExternalRecord.official_id.in_(official_ids), HeadReview.status == AWAITING)
            .group_by(ExternalRecord.official_id)
        ).all()
    )


def awaiting_records(official_ids: list[int]) -> list[ExternalRecord]:
    """The requests waiting for the head of these officials, oldest first (one query)."""
    if not official_ids:
        return []
    return list(
        db.session.scalars(
            select(ExternalRecord)
            .join(HeadReview, HeadReview.external_record_id == ExternalRecord.id)
            .where(ExternalRecord.official_id.in_(official_ids), HeadReview.status == AWAITING)
            .order_by(ExternalRecord.submitted_at, ExternalRecord.id)
        )
    )
