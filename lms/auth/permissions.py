"""Named permission predicates on roles and scopes. Views call these; never test roles inline.

Scopes (who may see which officials) are lms.auth.scope.Scope; `scope_paths` and
`path_in_scope` speak of one as its list of org-unit paths (None: no limit).
"""

from flask import abort

from lms.auth.models import (
    ADMINISTRATOR,
    HR_OFFICER,
    REVIEWER,
    TRAINING_MANAGER,
)
from lms.auth.scope import Scope


def has_role(user, *roles: str) -> bool:
    """Whether an authenticated user holds any of `roles`."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.roles() & set(roles))


def is_admin(user) -> bool:
    """System administrator."""
    return has_role(user, ADMINISTRATOR)


def scope_paths(user, *roles: str) -> list[str] | None:
    """Unit paths the user covers through any of `roles` (lms.auth.scope.Scope.of, as paths);
    None = everything (administrator); [] = nothing."""
    return Scope.of(user, *roles).path_list


def path_in_scope(path: str | None, scope: list[str] | None) -> bool:
    """Whether a unit path lies inside a scope from `scope_paths` (Scope.covers_unit)."""
    return Scope.from_paths(scope).covers_unit(path)


def can_manage_users(user) -> bool:
    """Accounts, role grants and the audit log: administrators only."""
    return is_admin(user)


def can_use_registry(user) -> bool:
    """The officials registry (search, profiles): HR officers, reviewers and administrators."""
    return has_role(user, HR_OFFICER, REVIEWER, ADMINISTRATOR)


def can_edit_registry(user) -> bool:
    """Editing officials and recording position changes: HR officers and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def gets_staff_notices(user) -> bool:
    """The notices about one's units (the weekly digest and the like: lms.jobs.notifications
    STAFF_KINDS) can be chosen by email: HR officers and training managers."""
    return has_role(user, HR_OFFICER, TRAINING_MANAGER)


def require(allowed: bool) -> None:
    """Abort with 403 unless `allowed`. Use after loading the objects a view needs."""
    if not allowed:
        abort(403)
