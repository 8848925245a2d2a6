"""Joining a class: sign-up by the official, nomination by a head or HR, the waiting list and
its automatic promotion, cancellation with its deadline, and a message for each step.

Capacity holds under concurrency: every change of who holds a place first locks the class row
(SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers anyway), then counts."""

from sqlalchemy import func, select

from lms.audit import services as audit
from lms.common import clock
from lms.curricula.classes import eligibility, rules
from lms.curricula.classes.models import (
    ClassMember,
    ClassSession,
    EnrolSource,
    JoinMode,
    MemberStatus,
    TrainingClass,
)
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.jobs import notify_official

ACTIVE = (MemberStatus.ENROLLED, MemberStatus.WAITLISTED)


def lock(klass: TrainingClass) -> TrainingClass:
    """The class row, locked until the transaction ends (FOR UPDATE), and refreshed."""
    return db.session.scalar(
        select(TrainingClass)
        .where(TrainingClass.id == klass.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def enrolled_count(class_id: int) -> int:
    """How many officials hold a place (waiting list and cancellations not counted)."""
    return db.session.scalar(
        select(func.count())
        .select_from(ClassMember)
        .where(ClassMember.class_id == class_id, ClassMember.status == MemberStatus.ENROLLED)
    )


def free_places(klass: TrainingClass) -> int | None:
    """Places left (None: the class has no limit)."""
    return rules.free_places(klass.capacity, enrolled_count(klass.id))


def is_eligible(klass: TrainingClass, official_id: int) -> bool:
    """Whether the official's current post matches the class's positions and units (empty
    lists: anyone); a unit covers its subtree."""
    return eligibility.why_ineligible(klass, official_id) is None


def clashes(official_id: int, klass: TrainingClass) -> list[ClassSession]:
    """The sessions of the official's other classes (where they hold a place) that overlap a
    session of `klass`."""
    mine = [(s.starts_at, s.ends_at) for s in klass.class_sessions]
    if not mine:
        return []
    others = db.session.scalars(
        select(ClassSession)
        .join(ClassMember, ClassMember.class_id == ClassSession.class_id)
        .where(
            ClassMember.official_id == official_id,
            ClassMember.status == MemberStatus.ENROLLED,
            ClassSession.class_id != klass.id,
            ClassSession.starts_at < max(end for _s, end in mine),
            ClassSession.ends_at > min(start for start, _e in mine),
        )
    )
    return [
        other
        for other in others
        if any(rules.overlaps(s, e, other.starts_at, other.ends_at) for s, e in mine)
    ]


def _clash_error(found: list[ClassSession]) -> RuleViolation:
    other = found[0]
    return RuleViolation(
        _(
            "This official already has a class at that time: %(title)s, %(when)s.",
            title=other.training_class.title,
            when=other.starts_at.strftime("%d/%m/%Y %H:%M"),
        ),
        "clash",
    )


def _member(klass: TrainingClass, official_id: int) -> ClassMember | None:
    return db.session.scalar(
        select(ClassMember).where(
            ClassMember.class_id == klass.id, ClassMember.official_id == official_id
        )
    )


def enrol(
    klass: TrainingClass,
    official,
    *,
    source: str,
    by_user,
    reason=None,
    outside_period: bool = False,
) -> ClassMember:
    """Give `official` a place on `klass`, or a place on its waiting list when it is full.

    `source` is "signup" (the official themselves: the class must be open to sign-up, its
    window open and the official eligible), "nominated" (a unit head) or "hr" (the official
    must be eligible too; outside the sign-up window only when the caller says so with
    `outside_period`, as Totara lets managers add outside the sign-up period). An official
    already enrolled or waiting is returned as they are; a cancelled one joins again (at the
    end of the queue). Refused (RuleViolation) for a class already over, an official booked
    into an overlapping session, an official the class is not open to (named, with why), or a
    sign-up the class does not allow. Audited; the official is told. Flushed; the class row
    stays locked until the caller commits."""
    if source not in set(EnrolSource):
        raise ValueError(f"unknown source {source!r}")
    klass = lock(klass)
    today = clock.today()
    notice = None
    if today > klass.ends_on:
        raise RuleViolation(_("This class is over."), "class_over")
    if source == EnrolSource.SIGNUP:
        if klass.join_mode != JoinMode.OPEN:
            raise RuleViolation(_("This class takes nominated officials only."), "nominated_only")
        if not rules.enrolment_open(today, klass.enrol_opens_on, klass.enrol_closes_on):
            raise RuleViolation(_("Sign-up for this class is closed."), "window_closed")
        if not is_eligible(klass, official.id):
            raise RuleViolation(_("This class is not open to your position or unit."), "eligible")
    else:
        refusal = eligibility.ineligible_error(klass, official)
        if refusal is not None:
            raise refusal
        notice = eligibility.outside_window(klass, today)
        if notice and not outside_period:
            raise eligibility.window_error(notice)
    member = _member(klass, official.id)
    if member is not None and member.status in ACTIVE:
        return member
    found = clashes(official.id, klass)
    if found:
        raise _clash_error(found)
    full = klass.capacity is not None and enrolled_count(klass.id) >= klass.capacity
    status = MemberStatus.WAITLISTED if full else MemberStatus.ENROLLED
    if member is None:
        member = ClassMember(class_id=klass.id, official_id=official.id)
        db.session.add(member)
    member.status, member.source = status, source
    member.queued_at, member.cancelled_at = clock.now(), None
    member.added_by_id = getattr(by_user, "id", None)
    member.reason = (reason or "").strip()[:500]
    db.session.flush()
    audit.record(
        by_user,
        "class.enrolled" if status == MemberStatus.ENROLLED else "class.waitlisted",
        "training_class",
        klass.id,
        after={
            "code": official.employee_code,
            "source": str(source),
            **({"outside_period": True} if notice else {}),
        },
    )
    tell(member, "class_enrolled" if status == MemberStatus.ENROLLED else "class_waitlisted")
    return member


def cancel(member: ClassMember, *, by_user, reason: str = "", by_official: bool = False) -> list:
    """Cancel an official's place (or their spot on the waiting list) and, in the same
    transaction, promote the first officials waiting into the places freed. An official
    cancelling themselves (`by_official`) must do so by the deadline (rules.cancel_deadline);
    nobody cancels a member whose result is recorded. Returns the members promoted."""
    klass = lock(member.training_class)
    if member.status == MemberStatus.CANCELLED:
        return []
    if member.result is not None or member.completion_id is not None:
        raise RuleViolation(_("A result is recorded: the place cannot be cancelled."), "result")
    if by_official and not rules.can_cancel(clock.today(), klass.cancel_closes_on, klass.starts_on):
        deadline = rules.cancel_deadline(klass.cancel_closes_on, klass.starts_on)
        raise RuleViolation(
            _(
                "The deadline to cancel was %(day)s: ask the training manager.",
                day=deadline.strftime("%d/%m/%Y"),
            ),
            "deadline",
        )
    member.status, member.cancelled_at = MemberStatus.CANCELLED, clock.now()
    member.reason = (reason or "").strip()[:500]
    db.session.flush()
    audit.record(
        by_user,
        "class.cancelled",
        "training_class",
        klass.id,
        after={"code": member.official.employee_code, "reason": member.reason},
    )
    tell(member, "class_cancelled")
    return promote_waitlist(klass, by_user)


def promote_waitlist(klass: TrainingClass, by_user) -> list[ClassMember]:
    """Fill the class's free places from its waiting list, first come first served; an official
    now booked elsewhere at the same time is skipped (they keep their turn). The caller holds
    the class lock (enrol, cancel, save_class). Returns the members promoted."""
    places = free_places(klass)
    waiting = db.session.scalars(
        select(ClassMember)
        .where(ClassMember.class_id == klass.id, ClassMember.status == MemberStatus.WAITLISTED)
        .order_by(ClassMember.queued_at, ClassMember.id)
    )
    promoted = []
    for member in waiting:
        if places is not None and len(promoted) >= places:
            break
        if clashes(member.official_id, klass):
            continue
        member.status = MemberStatus.ENROLLED
        promoted.append(member)
    db.session.flush()
    for member in promoted:
        audit.record(
            by_user,
            "class.promoted",
            "training_class",
            klass.id,
            after={"code": member.official.employee_code},
        )
        tell(member, "class_promoted")
    return promoted


def tell_update(klass: TrainingClass) -> None:
    """Send every official holding a place the updated invitation (the class's timetable,
    title, place or dates changed; its schedule version was bumped)."""
    for member in klass.members:
        if member.status == MemberStatus.ENROLLED:
            tell(member, "class_updated")


def tell_event_cancelled(klass: TrainingClass, event: dict, when: str) -> None:
    """Send every official holding a place the cancellation (.ics METHOD:CANCEL, same UID,
    the class's new schedule version as SEQUENCE) of `event` (calendar.event_of), which has
    left the timetable; `when` says which session it was, for the message."""
    for member in klass.members:
        if member.status == MemberStatus.ENROLLED:
            tell(
                member,
                "class_event_cancelled",
                key=f"{event['uid']}:{klass.schedule_version}",
                event=event,
                sequence=klass.schedule_version,
                when=when,
                replaced=event["all_day"],
            )


def tell(member: ClassMember, kind: str, key: str = "", **extra) -> None:
    """The official's message for a step (kind: class_enrolled, class_waitlisted,
    class_promoted, class_cancelled, class_updated, class_event_cancelled), once per step
    (`key` tells apart the steps of one kind at one schedule version; `extra` adds to the
    message's context)."""
    klass = member.training_class
    first = klass.class_sessions[0].starts_at if klass.class_sessions else None
    stem = f"class:{member.id}:{kind}:{member.queued_at.isoformat()}:{klass.schedule_version}"
    notify_official(
        member.official_id,
        kind,
        f"{stem}:{key}" if key else stem,
        {
            "title": klass.title,
            "starts_on": klass.starts_on,
            "first_session": first.strftime("%H:%M %d/%m/%Y") if first else "",
            "location": klass.location,
            "link": f"/me/classes/{klass.id}",
            "class_id": klass.id,
            "member_id": member.id,
            **extra,
        },
    )


# --- what an official sees -------------------------------------------------------------------


def my_members(official_id: int) -> list[ClassMember]:
    """The official's places and waiting-list spots (not cancelled), latest class first."""
    return list(
        db.session.scalars(
            select(ClassMember)
            .join(TrainingClass, TrainingClass.id == ClassMember.class_id)
            .where(ClassMember.official_id == official_id, ClassMember.status.in_(ACTIVE))
            .order_by(TrainingClass.starts_on.desc(), TrainingClass.id.desc())
        )
    )


def open_to(official_id: int, today) -> list[TrainingClass]:
    """Classes open to sign-up that the official may join and has not joined: not over, the
    sign-up window not closed, their post matching; soonest first."""
    joined = select(ClassMember.class_id).where(
        ClassMember.official_id == official_id, ClassMember.status.in_(ACTIVE)
    )
    candidates = db.session.scalars(
        select(TrainingClass)
        .where(
            TrainingClass.join_mode == JoinMode.OPEN,
            TrainingClass.ends_on >= today,
            (TrainingClass.enrol_closes_on.is_(None)) | (TrainingClass.enrol_closes_on >= today),
            TrainingClass.id.not_in(joined),
        )
        .order_by(TrainingClass.starts_on, TrainingClass.id)
        .limit(200)
    )
    return [klass for klass in candidates if is_eligible(klass, official_id)]


def visible_to(klass: TrainingClass, official_id: int, today) -> bool:
    """Whether the official may see the class on their own pages: they are (or were) on it, or
    it is open to them for sign-up."""
    if _member(klass, official_id) is not None:
        return True
    return (
        klass.join_mode == JoinMode.OPEN
        and klass.ends_on >= today
        and is_eligible(klass, official_id)
    )


def member_of(klass: TrainingClass, official_id: int) -> ClassMember | None:
    """The official's line on the class, whatever its status."""
    return _member(klass, official_id)


def waiting_position(member: ClassMember) -> int | None:
    """1 for the first official waiting, …; None when not waiting."""
    if member.status != MemberStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(ClassMember)
        .where(
            ClassMember.class_id == member.class_id,
            ClassMember.status == MemberStatus.WAITLISTED,
            (ClassMember.queued_at < member.queued_at)
            | ((ClassMember.queued_at == member.queued_at) & (ClassMember.id < member.id)),
        )
    )
    return ahead + 1


def upcoming_places(official_id: int, today) -> list[ClassMember]:
    """The official's places in classes not over yet, soonest first (for /me)."""
    return list(
        db.session.scalars(
            select(ClassMember)
            .join(TrainingClass, TrainingClass.id == ClassMember.class_id)
            .where(
                ClassMember.official_id == official_id,
                ClassMember.status == MemberStatus.ENROLLED,
                TrainingClass.ends_on >= today,
            )
            .order_by(TrainingClass.starts_on, TrainingClass.id)
        )
    )
