"""Who may see which officials: one scope model for the web, the exports and the API.

A `Scope` is what a viewer covers through some roles: the org-unit subtrees of their grants of
those roles (by unit path prefix; `paths is None` = every unit, for administrators) and, when
asked for, the official record of their own. Built from a user's role grants, or from an API
token's user (a token acts with its user's grants, DESIGN.md §1). Queries apply it in SQL
(`unit_filter`, `officials_filter`), checks on one loaded object in Python (`covers_unit`).

Query and service functions also take a scope given as its unit paths (a list, None =
everything), as job parameters store it and tests write it: `Scope.from_paths` reads either.
This module imports no later domain: the columns to filter are passed in.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import false, or_

from lms.auth.models import ADMINISTRATOR


@dataclass(frozen=True)
class Scope:
    """Unit subtrees (paths; None = everything) plus, perhaps, one official of the viewer's own,
    and the roles it was built for."""

    paths: tuple[str, ...] | None
    own_official_id: int | None = None
    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, user, *roles: str, include_self: bool = False) -> "Scope":
        """What `user` covers through any of `roles`: everything for an administrator (whatever
        `roles`), nothing for an anonymous user, else the paths of their grants of those roles;
        `include_self` adds the official record the user is linked to."""
        own = getattr(user, "official_id", None) if include_self else None
        if not getattr(user, "is_authenticated", False):
            return cls((), None, roles)
        if ADMINISTRATOR in user.roles():
            return cls(None, own, roles)
        paths = {g.unit.path for g in user.grants if g.role in roles and g.unit is not None}
        return cls(tuple(sorted(paths)), own, roles)

    @classmethod
    def of_token(cls, token, *roles: str, include_self: bool = True) -> "Scope":
        """What an API token reaches: its user's grants of `roles` and (unless told otherwise)
        that user's own official record."""
        return cls.of(token.user, *roles, include_self=include_self)

    @classmethod
    def from_paths(cls, scope: "Scope | Iterable[str] | None") -> "Scope":
        """A Scope as is, or the scope of unit paths `scope` (None: everything)."""
        if isinstance(scope, Scope):
            return scope
        return cls(None if scope is None else tuple(scope))

    @property
    def is_everything(self) -> bool:
        """No limit: every unit (and so every official)."""
        return self.paths is None

    @property
    def is_empty(self) -> bool:
        """Nothing at all: no unit and no official of one's own."""
        return self.paths == () and self.own_official_id is None

    @property
    def path_list(self) -> list[str] | None:
        """The unit paths as a list (None: everything), for job parameters and audit entries."""
        return None if self.paths is None else list(self.paths)

    def covers_unit(self, path: str | None) -> bool:
        """Whether the unit with this path lies in one of the subtrees."""
        if self.paths is None:
            return True
        return path is not None and any(path.startswith(prefix) for prefix in self.paths)

    def covers_official(self, official_id: int | None, unit_path: str | None) -> bool:
        """Whether an official placed in the unit `unit_path` (None: placed nowhere) is seen."""
        own = official_id is not None and official_id == self.own_official_id
        return own or self.covers_unit(unit_path)

    def unit_filter(self, unit_path_column):
        """SQL condition: the unit path lies in one of the subtrees; None when there is no
        limit (the caller adds no WHERE at all)."""
        if self.paths is None:
            return None
        if not self.paths:
            return false()
        return or_(*[unit_path_column.startswith(path, autoescape=True) for path in self.paths])

    def officials_filter(self, unit_path_column, official_id_column=None):
        """SQL condition on official rows joined with their current unit's path: placed in
        the subtrees, or the viewer's own record (`official_id_column` needed then); None when
        there is no limit."""
        by_unit = self.unit_filter(unit_path_column)
        if by_unit is None or self.own_official_id is None:
            return by_unit
        if official_id_column is None:
            raise ValueError("a scope with an own official needs the official id column")
        own = official_id_column == self.own_official_id
        return own if not self.paths else or_(by_unit, own)

    def narrowed(self, path: str | None) -> "Scope":
        """The part of this scope under one unit (nothing when the unit is unknown or outside
        it): the subtree of a unit filter, for the audit entry of a list."""
        if path is None or not self.covers_unit(path):
            return Scope((), None, self.roles)
        return Scope((path,), None, self.roles)

    def top_paths(self) -> list[str] | None:
        """The subtrees' roots: the paths not inside another of the scope (None: everything)."""
        if self.paths is None:
            return None
        return [p for p in self.paths if not any(p != q and p.startswith(q) for q in self.paths)]
