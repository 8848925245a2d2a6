"""Named permission predicates on roles and scopes. Views call these; never test roles inline.

A scope is a list of org-unit paths: the user may act on a unit whose path starts with one of
them. `None` means no limit (administrators).
"""

from flask import abort

from lms.auth.models import (
    ADMINISTRATOR,
    HR_OFFICER,
    REVIEWER,
)


def has_role(user, *roles: str) -> bool:
    """Whether an authenticated user holds any of `roles`."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.roles() & set(roles))


def is_admin(user) -> bool:
    """System administrator."""
    return has_role(user, ADMINISTRATOR)


def scope_paths(user, *roles: str) -> list[str] | None:
    """Unit paths the user covers through any of `roles`; None = everything (administrator);
    [] = nothing."""
    if is_admin(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted({g.unit.path for g in user.grants if g.role in roles and g.unit is not None})


def path_in_scope(path: str | None, scope: list[str] | None) -> bool:
    """Whether a unit path lies inside a scope from `scope_paths`."""
    if scope is None:
        return True
    return path is not None and any(path.startswith(prefix) for prefix in scope)


def can_manage_users(user) -> bool:
    """Accounts, role grants and the audit log: administrators only."""
    return is_admin(user)


def can_use_registry(user) -> bool:
    """The officials registry (search, profiles): HR officers, reviewers and administrators."""
    return has_role(user, HR_OFFICER, REVIEWER, ADMINISTRATOR)


def can_edit_registry(user) -> bool:
    """Editing officials and recording position changes: HR officers and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def require(allowed: bool) -> None:
    """Abort with 403 unless `allowed`. Use after loading the objects a view needs."""
    if not allowed:
        abort(403)
