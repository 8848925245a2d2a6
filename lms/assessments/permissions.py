"""Who may take, manage and grade tests. Views call these named predicates.

A course's bank, test, grading queue and statistics belong to its authors (training managers
whose scope covers the course's owner unit, and administrators), as in lms.catalog.permissions.
An attempt is seen by the official who made it and by the course's authors.
"""

from lms.auth.models import TRAINING_MANAGER
from lms.auth.scope import Scope
from lms.catalog.permissions import can_author, can_edit_course


def can_manage_tests(user, course) -> bool:
    """Bank, test settings, extra time, regrade and statistics of `course`."""
    return can_edit_course(user, course)


def can_use_grading_queue(user) -> bool:
    """The essay grading queue: training managers and administrators."""
    return can_author(user)


def grading_scope(user) -> list[str] | None:
    """Unit paths of the courses whose attempts the user grades (None: all)."""
    return Scope.of(user, TRAINING_MANAGER).path_list


def can_see_attempt(user, attempt) -> bool:
    """The attempt page and its review: its official, and the course's authors."""
    if user.official_id is not None and attempt.official_id == user.official_id:
        return True
    return can_edit_course(user, attempt.quiz.course)


def can_take(user, attempt) -> bool:
    """Answer and submit: only the official who started it."""
    return user.official_id is not None and attempt.official_id == user.official_id
