"""The notice "a mandatory course is assigned to you": which obligations a refresh announces to
their official, and the notifications it queues."""

from datetime import date

from sqlalchemy import select

from lms.common import clock
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations.models import OPEN
from lms.extensions import db
from lms.organisation import leave

# --- "a mandatory course is assigned to you" ------------------------------------------------
#
# The rule (docs/operations.md): an obligation is announced when a refresh CREATES it, OPEN,
# in the cycle that contains today, for an official who already had a target in that cycle
# before this refresh — that is, whose obligations had been computed before and changed
# because their post or their position's curriculum changed. The first computation of a cycle
# for an official (the cycle's first bulk refresh, the first import of the registry, a new
# hire) announces nothing: that would mail every official at once. Those officials see their
# obligations on their page and get the 30-day, 7-day and overdue reminders like everyone.
# An official on exempting leave today is not announced to either (issue 21: no notices during
# maternity or long sick leave); the course waits on their page, and the reminders start again
# after their return.


def announces(cycle: Cycle, had_target: bool, status: str, today: date) -> bool:
    """Whether a newly created obligation is announced to its official (the rule above)."""
    return had_target and status == OPEN and cycle.starts_on <= today <= cycle.ends_on


def announce(new_obligations: list[dict], had_target: set[int], cycle: Cycle) -> int:
    """Notify `course_assigned` for the new obligations the rule selects, but not to officials
    on exempting leave today (key "obligation:<cycle>:<course>:<kind>", so a re-run never
    notifies twice); returns how many were notified."""
    today = clock.today()
    chosen = [
        row
        for row in new_obligations
        if announces(cycle, row["official_id"] in had_target, row["status"], today)
    ]
    if not chosen:
        return 0
    away = set(
        db.session.scalars(
            leave.on_exempting_leave(today).where(
                leave.LeavePeriod.official_id.in_({row["official_id"] for row in chosen})
            )
        )
    )
    chosen = [row for row in chosen if row["official_id"] not in away]
    if not chosen:
        return 0
    from lms.auth.models import User
    from lms.catalog.models import Course
    from lms.jobs import notify
    from lms.jobs.notifications import site_path

    users = dict(
        db.session.execute(
            select(User.official_id, User.id).where(
                User.official_id.in_({row["official_id"] for row in chosen})
            )
        ).all()
    )
    courses = {
        course.id: course
        for course in db.session.scalars(
            select(Course).where(Course.id.in_({row["course_id"] for row in chosen}))
        )
    }
    for row in chosen:
        user_id, course = users.get(row["official_id"]), courses.get(row["course_id"])
        if user_id is None or course is None:
            continue
        notify(
            user_id,
            "course_assigned",
            f"obligation:{cycle.id}:{row['course_id']}:{row['kind']}",
            {
                "course_code": course.code,
                "course_title": course.title,
                "course_title_en": course.title_en or course.title,
                "due_on": row["due_on"],
                "cycle": cycle.year,
                "link": site_path("catalog.course_detail", code=course.code),
            },
        )
    return len(chosen)
