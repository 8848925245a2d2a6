"""Who may read and write what through the API, as SQL conditions on the caller's grants.

A token acts with its user's role grants (DESIGN.md §1), each over an org-unit subtree, plus,
for a user linked to an official, that official's own record. The table is in docs/api.md.
"""

from dataclasses import dataclass

from sqlalchemy import or_

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER
from lms.auth.permissions import scope_paths
from lms.organisation.models import Official
from lms.organisation.queries import scope_condition

# The registry, statements and compliance counts: HR officers, reviewers (read-only) and
# administrators, as on the web (the registry and the dashboard).
REGISTRY = (HR_OFFICER, REVIEWER, ADMINISTRATOR)
# Ledgers and certificates also to training managers, who record the class results and run
# the courses that write them.
TRAINING_RECORD = (HR_OFFICER, REVIEWER, TRAINING_MANAGER, ADMINISTRATOR)
# Adding credits: HR officers over the official's unit, and administrators.
CREDIT_WRITERS = (HR_OFFICER, ADMINISTRATOR)


@dataclass(frozen=True)
class Reach:
    """What a caller sees for some roles: unit subtrees (None = everything) and, perhaps, one
    official of their own."""

    scope: list[str] | None
    own_official_id: int | None

    def condition(self, unit_path_column):
        """SQL condition on an official row joined with its current unit's path."""
        if self.scope is None:
            return None
        by_unit = scope_condition(unit_path_column, self.scope)
        if self.own_official_id is None:
            return by_unit
        own = Official.id == self.own_official_id
        return own if not self.scope else or_(by_unit, own)

    @property
    def is_empty(self) -> bool:
        return self.scope == [] and self.own_official_id is None


def reach(user, roles: tuple[str, ...], include_self: bool = True) -> Reach:
    """The caller's reach through `roles`; `include_self` adds their own official record."""
    own = getattr(user, "official_id", None) if include_self else None
    return Reach(scope_paths(user, *roles), own)
