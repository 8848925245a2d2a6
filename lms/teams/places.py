"""An official's request for a place in an in-person class (issue 23): classes their units fill
by nomination (join mode "nominated") can be asked for, with a reason; the official's heads are
told and one decides — approve: the official is nominated to the class (lms.curricula.classes.
enrolment.enrol, source "nominated" by the head: a place or the waiting list, told), so HR sees
the head's decision on the roster; decline: with a reason, the official is told. An official
with no head on the system cannot ask (they are told to ask HR). Every step audited."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.audit.services import record as audit
from lms.common import clock
from lms.curricula.classes import eligibility, enrolment
from lms.curricula.classes.models import ClassMember, JoinMode, MemberStatus, TrainingClass
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.jobs import notify
from lms.jobs.notifications import notify_official, site_path
from lms.organisation.models import Official
from lms.organisation.queries import current_post_of
from lms.teams import queries
from lms.teams.models import PlaceRequest, PlaceRequestStatus

AWAITING, APPROVED, DECLINED, WITHDRAWN = PlaceRequestStatus
DECISION_ACTIONS = {APPROVED: "place.approved", DECLINED: "place.declined"}


def requestable_classes(official_id: int) -> list[TrainingClass]:
    """The classes the official may ask a place in: filled by nomination, not begun, open to
    their post (positions and units), not already theirs. By start date. Three queries
    whatever the number of classes."""
    held = select(ClassMember.class_id).where(
        ClassMember.official_id == official_id, ClassMember.status != MemberStatus.CANCELLED
    )
    classes = db.session.scalars(
        select(TrainingClass)
        .where(
            TrainingClass.join_mode == JoinMode.NOMINATED,
            TrainingClass.starts_on > clock.today(),
            TrainingClass.id.not_in(held),
        )
        .options(selectinload(TrainingClass.positions), selectinload(TrainingClass.units))
        .order_by(TrainingClass.starts_on, TrainingClass.id)
    ).all()
    post = current_post_of(official_id) if classes else None
    return [klass for klass in classes if eligibility.why_post_ineligible(klass, post) is None]


def _holds(klass: TrainingClass, official_id: int) -> bool:
    member = enrolment.member_of(klass, official_id)
    return member is not None and member.status != MemberStatus.CANCELLED


def requests_of(official_id: int) -> list[PlaceRequest]:
    """The official's requests, the latest first."""
    return list(
        db.session.scalars(
            select(PlaceRequest)
            .where(PlaceRequest.official_id == official_id)
            .order_by(PlaceRequest.created_at.desc(), PlaceRequest.id.desc())
        )
    )


def request_place(official: Official, klass: TrainingClass, reason: str, actor) -> PlaceRequest:
    """Ask for a place in `klass`; the official's heads are told. Flushed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([("reason", _("Say why you need this class."))])
    if klass.join_mode != JoinMode.NOMINATED:
        raise RuleViolation(_("This class is open: sign up for it yourself."), "open_class")
    if klass.starts_on <= clock.today():
        raise RuleViolation(_("This class has begun: places are no longer asked for."), "begun")
    if not enrolment.is_eligible(klass, official.id):
        raise RuleViolation(_("This class is not open to your post."), "not_eligible")
    if _holds(klass, official.id):
        raise RuleViolation(_("You are already on this class."), "already_member")
    waiting = db.session.scalar(
        select(PlaceRequest).where(
            PlaceRequest.official_id == official.id,
            PlaceRequest.class_id == klass.id,
            PlaceRequest.status == AWAITING,
        )
    )
    if waiting is not None:
        raise RuleViolation(_("Your request for this class already awaits your head."), "twice")
    heads = queries.head_users_of(official.id)
    if not heads:
        raise RuleViolation(
            _("Your unit has no head on the system: ask your HR officer for a place."), "no_head"
        )
    row = PlaceRequest(official_id=official.id, class_id=klass.id, reason=reason[:1000])
    db.session.add(row)
    db.session.flush()
    audit(actor, "place.requested", "official", official.employee_code, after=_facts(row))
    context = {
        "official": official.full_name,
        "title": klass.title,
        "link": site_path("teams.place_request", request_id=row.id),
    }
    for user in heads:
        notify(user.id, "place_requested", f"place:{row.id}", context)
    return row


def _facts(row: PlaceRequest) -> dict:
    return {"request": row.id, "class_id": row.class_id, "status": row.status}


def _awaiting(row: PlaceRequest) -> PlaceRequest:
    locked = db.session.get(PlaceRequest, row.id, with_for_update=True, populate_existing=True)
    if locked.status != AWAITING:
        raise RuleViolation(_("This request is already decided."), "decided")
    return locked


def approve(row: PlaceRequest, reason: str, actor) -> PlaceRequest:
    """The head approves: the official is nominated to the class (a place or the waiting
    list; enrol refuses a class over, a clashing session or an official the class is no
    longer open to). The head decides on this one request, which the official sent before the
    class began: it is approved even after the sign-up period, which the request page says.
    Flushed."""
    row = _awaiting(row)
    enrolment.enrol(
        row.klass,
        row.official,
        source="nominated",
        by_user=actor,
        reason=(reason or "").strip() or row.reason,
        outside_period=True,
    )
    return _decide(row, APPROVED, reason, actor)


def decline(row: PlaceRequest, reason: str, actor) -> PlaceRequest:
    """The head declines, with a reason the official reads. Flushed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([("reason", _("Give the reason for declining."))])
    return _decide(_awaiting(row), DECLINED, reason, actor)


def withdraw(row: PlaceRequest, actor) -> PlaceRequest:
    """The official withdraws their awaiting request. Flushed."""
    row = _awaiting(row)
    row.status = WITHDRAWN
    row.decided_at = clock.now()
    db.session.flush()
    audit(actor, "place.withdrawn", "official", row.official.employee_code, after=_facts(row))
    return row


def _decide(row: PlaceRequest, status: str, reason: str, actor) -> PlaceRequest:
    row.status = status
    row.decided_by_id = getattr(actor, "id", None)
    row.decided_at = clock.now()
    row.decision_reason = (reason or "").strip()[:1000] or None
    db.session.flush()
    action = DECISION_ACTIONS[status]
    audit(actor, action, "official", row.official.employee_code, after=_facts(row))
    notify_official(
        row.official_id,
        "place_decision",
        f"place:{row.id}:{status}",
        {
            "title": row.klass.title,
            "approved": status == APPROVED,
            "reason": row.decision_reason or "",
            "link": site_path("teams.my_place_requests"),
        },
    )
    return row


def awaiting_for_team(official_ids: list[int]) -> list[PlaceRequest]:
    """The awaiting requests of these officials (the head's team), oldest first."""
    if not official_ids:
        return []
    return list(
        db.session.scalars(
            select(PlaceRequest)
            .where(PlaceRequest.official_id.in_(official_ids), PlaceRequest.status == AWAITING)
            .order_by(PlaceRequest.created_at, PlaceRequest.id)
        )
    )


def awaiting_by_official(official_ids: list[int]) -> dict[int, int]:
    """The team page's count of what awaits the head, per official (team.AWAITING)."""
    counts: dict[int, int] = {}
    for row in awaiting_for_team(official_ids):
        counts[row.official_id] = counts.get(row.official_id, 0) + 1
    return counts
