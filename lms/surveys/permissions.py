"""Who may see the surveys' reports: the satisfaction index of the units in one's scope."""

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER
from lms.auth.permissions import has_role
from lms.auth.scope import Scope

REPORT_ROLES = (HR_OFFICER, REVIEWER)


def can_view_satisfaction(user) -> bool:
    """The index, ranking, exports and posters: HR officers and reviewers (their units) and
    administrators."""
    return has_role(user, HR_OFFICER, REVIEWER, ADMINISTRATOR)


def report_scope(user) -> Scope:
    """The units whose reports `user` sees."""
    return Scope.of(user, *REPORT_ROLES)
