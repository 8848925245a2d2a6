"""Who may see and do what in compliance: the dashboards, closing a cycle, the
performance-review view."""

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER
from lms.auth.permissions import has_role


def can_view_compliance(user) -> bool:
    """Dashboards and lists: HR officers, reviewers (read-only) and administrators."""
    return has_role(user, HR_OFFICER, REVIEWER, ADMINISTRATOR)


def can_close(user) -> bool:
    """Closing a cycle: HR officers (their units) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def can_review(user) -> bool:
    """Reviewers, HR officers and administrators read statements (in their scope)."""
    return has_role(user, REVIEWER, HR_OFFICER, ADMINISTRATOR)
