"""Read-side queries of obligations: each official's mandatory courses of a cycle, one per course,
the courses an official is required to take today (the catalog's "mandatory for me"), and the
months an official worked in a cycle (months in post, on leave, counted, not rated)."""

from collections.abc import Iterable
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, or_, select

from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations import engine
from lms.curricula.obligations.mandatory import MandatoryCourse, one_per_course
from lms.curricula.obligations.models import (
    MANDATORY,
    OPEN,
    RECERTIFICATION,
    WITHDRAWN,
    Obligation,
)
from lms.extensions import db


def mandatory_courses(official_ids: list[int], cycle_id: int) -> dict[int, list[MandatoryCourse]]:
    """Each official's mandatory courses of a cycle, one per course
    (lms.curricula.obligations.mandatory), with the day each done one was completed. One query
    per 1,000 officials."""
    found: dict[int, list[MandatoryCourse]] = {}
    for start in range(0, len(official_ids), 1000):
        rows = db.session.execute(
            select(
                Obligation.official_id,
                Obligation.course_id,
                Course.code,
                Course.title,
                Obligation.kind,
                Obligation.due_on,
                Obligation.status,
                Completion.completed_on,
            )
            .join(Course, Course.id == Obligation.course_id)
            .outerjoin(Completion, Completion.id == Obligation.completion_id)
            .where(
                Obligation.official_id.in_(official_ids[start : start + 1000]),
                Obligation.cycle_id == cycle_id,
                Obligation.status != WITHDRAWN,
            )
        )
        for official_id, *fields, done_on in rows:
            status = fields[-1]
            found.setdefault(official_id, []).append(
                MandatoryCourse(*fields, done_on if status != OPEN else None)
            )
    return {official_id: one_per_course(items) for official_id, items in found.items()}


def required_courses_of(official_id: int, course_ids: list[int] | None = None) -> set[int]:
    """Courses the official owes or has done as obligations of the cycle running today (open
    or done, not withdrawn) — what makes a course "mandatory for me" in the catalog, also when
    only a curriculum (not the course's own file) requires it. One query."""
    today = clock.today()
    stmt = (
        select(Obligation.course_id)
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(
            Obligation.official_id == official_id,
            Obligation.status != WITHDRAWN,
            Cycle.starts_on <= today,
            Cycle.ends_on >= today,
        )
    )
    if course_ids is not None:
        stmt = stmt.where(Obligation.course_id.in_(course_ids))
    return set(db.session.scalars(stmt))


def met_by_a_completion():
    """(Correlated EXISTS, for a query over Obligation joined to Cycle.) An open obligation that a
    completion already meets (a row the refresh has not caught up
    with, as in a cycle no longer refreshed): a completion of the course by the official, not
    revoked, valid when the cycle began or made since (first-time), or lasting past the due
    date (a renewal, for a recertification)."""
    lasting = or_(
        Completion.expires_on.is_(None),
        and_(Obligation.kind == MANDATORY, Completion.expires_on >= Cycle.starts_on),
        and_(Obligation.kind == RECERTIFICATION, Completion.expires_on > Obligation.due_on),
    )
    return (
        select(Completion.id)
        .where(
            Completion.official_id == Obligation.official_id,
            Completion.course_id == Obligation.course_id,
            Completion.revoked_at.is_(None),
            Completion.completed_on <= Cycle.ends_on,
            lasting,
        )
        .exists()
    )


def still_owed(*columns):
    """SELECT `columns` over the obligations still owed: open and met by no completion yet
    (met_by_a_completion, weighed against the obligation's own cycle), each joined to its
    course and its cycle. The deadline reminders and the heads' escalation narrow it further
    (due dates, accounts, leave, frozen statements)."""
    return (
        select(*columns)
        .join(Course, Course.id == Obligation.course_id)
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(Obligation.status == OPEN, ~met_by_a_completion())
    )


class MonthsSummary(NamedTuple):
    """An official's months in a cycle, under the statement JSON's names (`_asdict()`):
    months with a post on the 15th, of those on exempting leave, counted towards the target
    (the months worked), and whether fewer months were worked than LMS_NOT_RATED_MONTHS."""

    months_in_post: int
    months_on_leave: int
    months_counted: int
    not_rated: bool


def months_summaries(official_ids: Iterable[int], cycle) -> dict[int, MonthsSummary]:
    """`months_summary` of many officials at once (a unit's statements): a fixed number of
    queries per 500 officials. Officials with no post in the cycle get zeros (not rated)."""
    below = current_app.config.get("LMS_NOT_RATED_MONTHS", 6)
    found = engine.months(official_ids, cycle, below)
    return {
        oid: MonthsSummary(m.in_post, m.on_leave, m.counted, m.not_rated)
        for oid, m in found.items()
    }


def months_summary(official, cycle) -> MonthsSummary:
    """The months of `official` (an Official or its id) in `cycle` (a Cycle), for a statement
    (DESIGN.md §3 "Leave"): a month counts when on its 15th the official holds a post and is not
    on exempting leave; `not_rated` when fewer than LMS_NOT_RATED_MONTHS (default 6) months
    count. Computed from the posts and leave stored now (a frozen statement keeps its own)."""
    official_id = getattr(official, "id", official)
    return months_summaries([official_id], cycle)[official_id]
