"""Nominations: a head sends ("cử") officials of their team to a course, with a reason and,
perhaps, the day it is wanted by. Each official is enrolled in the course (catalog), told
(notification "nominated"), and sees the nomination on /me (lms.compliance's ME_NOTES)."""

from datetime import date

from sqlalchemy import select

from lms.audit.services import record as audit
from lms.catalog.enrolments import enrol
from lms.catalog.models import PUBLISHED, Course
from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.jobs.notifications import notify_official, site_path
from lms.organisation.models import Official
from lms.teams.models import Nomination


def open_nomination(official_id: int, course_id: int) -> Nomination | None:
    """The official's open (not withdrawn) nomination to the course, if any."""
    return db.session.scalar(
        select(Nomination).where(
            Nomination.official_id == official_id,
            Nomination.course_id == course_id,
            Nomination.withdrawn_at.is_(None),
        )
    )


def nominate(
    officials: list[Official], course: Course, reason: str, wanted_by: date | None, actor
) -> list[Nomination]:
    """Nominate each official to `course` (published): a Nomination, an enrolment (kept when
    there is one), a notification; audited (`nomination.created`). Officials already nominated
    to the course are skipped. Raises ValidationFailed for a course not published, no reason,
    a date in the past. Flushed; returns the nominations made."""
    reason = (reason or "").strip()
    reasons = []
    if course.status != PUBLISHED:
        reasons.append(("course", _("Choose a published course.")))
    if not reason:
        reasons.append(("reason", _("Say why these officials are nominated.")))
    if wanted_by is not None and wanted_by < clock.today():
        reasons.append(("wanted_by", _("The date cannot be in the past.")))
    if reasons:
        raise ValidationFailed(reasons)
    made = []
    for official in officials:
        if open_nomination(official.id, course.id) is not None:
            continue
        nomination = Nomination(
            official_id=official.id,
            course_id=course.id,
            nominated_by_id=getattr(actor, "id", None),
            reason=reason,
            wanted_by=wanted_by,
        )
        db.session.add(nomination)
        enrol(official.id, course, "nominated")
        db.session.flush()
        audit(
            actor,
            "nomination.created",
            "nomination",
            nomination.id,
            after={
                "official": official.employee_code,
                "course": course.code,
                "reason": reason,
                "wanted_by": wanted_by.isoformat() if wanted_by else None,
            },
        )
        notify_official(
            official.id,
            "nominated",
            f"nomination:{nomination.id}",
            {
                "course_code": course.code,
                "course_title": course.title,
                "reason": reason,
                "by": getattr(actor, "display_name", ""),
                "wanted_by": wanted_by,
                "link": site_path("catalog.course_detail", code=course.code),
            },
        )
        made.append(nomination)
    return made


def withdraw(nomination: Nomination, actor) -> None:
    """Withdraw an open nomination (the enrolment stays: the official may go on). Audited."""
    if nomination.withdrawn_at is not None:
        return
    nomination.withdrawn_at = clock.now()
    nomination.withdrawn_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit(actor, "nomination.withdrawn", "nomination", nomination.id)


def open_nominations_of(official_id: int) -> list[Nomination]:
    """An official's open nominations, newest first (/me; one query)."""
    return list(
        db.session.scalars(
            select(Nomination)
            .where(Nomination.official_id == official_id, Nomination.withdrawn_at.is_(None))
            .order_by(Nomination.created_at.desc(), Nomination.id.desc())
        )
    )


def published_courses() -> list[Course]:
    """The courses a head may nominate to: every published course, by code."""
    return list(
        db.session.scalars(select(Course).where(Course.status == PUBLISHED).order_by(Course.code))
    )
