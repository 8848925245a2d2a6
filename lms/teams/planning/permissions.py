"""Who may do what with the needs and the plan: HR officers and heads submit their units'
needs; the Department — an administrator, or an HR officer whose grant covers a whole tree (a
unit with no parent) — consolidates, approves and returns; HR officers and heads read plan vs
actual for their units; administrators reopen an approved plan."""

from lms.auth.models import ADMINISTRATOR, HEAD, HR_OFFICER
from lms.auth.permissions import has_role
from lms.auth.scope import Scope

NEEDS_ROLES = (HR_OFFICER, HEAD)


def can_submit_needs(user) -> bool:
    return has_role(user, HR_OFFICER, HEAD, ADMINISTRATOR)


def needs_scope(user) -> Scope:
    """The units whose needs `user` enters: their HR and head grants (everything for admins)."""
    return Scope.of(user, *NEEDS_ROLES)


def is_department(user) -> bool:
    """The Department of Home Affairs' planners."""
    if has_role(user, ADMINISTRATOR):
        return True
    return any(
        g.role == HR_OFFICER and g.unit is not None and g.unit.parent_id is None
        for g in getattr(user, "grants", [])
    )


def can_reopen_plan(user) -> bool:
    return has_role(user, ADMINISTRATOR)
