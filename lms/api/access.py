"""Who may read and write what through the API: the roles each kind of data needs.

A token acts with its user's role grants (DESIGN.md §1), each over an org-unit subtree, plus,
for a user linked to an official, that official's own record: `reach` is that, as the one
scope model of the web and the exports (lms.auth.scope). The table is in docs/api.md.
"""

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER
from lms.auth.scope import Scope

# The registry, statements and compliance counts: HR officers, reviewers (read-only) and
# administrators, as on the web (the registry and the dashboard).
REGISTRY = (HR_OFFICER, REVIEWER, ADMINISTRATOR)
# Ledgers and certificates also to training managers, who record the class results and run
# the courses that write them.
TRAINING_RECORD = (HR_OFFICER, REVIEWER, TRAINING_MANAGER, ADMINISTRATOR)
# Adding credits: HR officers over the official's unit, and administrators.
CREDIT_WRITERS = (HR_OFFICER, ADMINISTRATOR)


def reach(token, roles: tuple[str, ...], include_self: bool = True) -> Scope:
    """What `token` reaches through `roles`; `include_self` adds its user's own official."""
    return Scope.of_token(token, *roles, include_self=include_self)
