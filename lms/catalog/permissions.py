"""Who may author, see and study a course. Views call these named predicates; roles are never
tested inline.

Training managers author the courses owned by a unit in their scope (administrators: every
course). Published courses are open to every logged-in user; drafts only to their authors.
"""

from lms.auth.models import ADMINISTRATOR, TRAINING_MANAGER
from lms.auth.permissions import has_role, is_admin
from lms.auth.scope import Scope
from lms.catalog.models import ARCHIVED, ELECTIVE, PUBLISHED


def can_author(user) -> bool:
    """The authoring screens (/courses/manage/…): training managers and administrators."""
    return has_role(user, TRAINING_MANAGER, ADMINISTRATOR)


def author_scope(user) -> list[str] | None:
    """Unit paths whose courses the user may edit (None: all, for administrators)."""
    return Scope.of(user, TRAINING_MANAGER).path_list


def can_edit_course(user, course) -> bool:
    """Edit, publish or archive `course`: an administrator, or a training manager whose scope
    covers the course's owner unit."""
    if is_admin(user):
        return True
    if not has_role(user, TRAINING_MANAGER) or course.owner_unit is None:
        return False
    return Scope.of(user, TRAINING_MANAGER).covers_unit(course.owner_unit.path)


def can_view_course(user, course, enrolment) -> bool:
    """The course page: published courses for everyone; drafts for their authors; archived
    courses also for the officials who were enrolled."""
    if course.status == PUBLISHED or can_edit_course(user, course):
        return True
    return course.status == ARCHIVED and enrolment is not None


def can_read_lessons(user, course, enrolment, mandatory: bool) -> bool:
    """Open the lessons: enrolled officials, officials whose position makes the course
    mandatory (published courses only), and the course's authors (to preview)."""
    if can_edit_course(user, course):
        return True
    if enrolment is not None:
        return course.status in (PUBLISHED, ARCHIVED)
    return course.status == PUBLISHED and mandatory and user.official_id is not None


def can_track_progress(user, course, enrolment, mandatory: bool) -> bool:
    """Mark lessons done: an official enrolled in (or required to take) a published course."""
    if user.official_id is None or course.status != PUBLISHED:
        return False
    return enrolment is not None or mandatory


def can_self_enrol(user, course, enrolment) -> bool:
    """Enrol oneself: an official not yet enrolled, in a published elective."""
    return (
        user.official_id is not None
        and course.status == PUBLISHED
        and course.kind == ELECTIVE
        and enrolment is None
    )
