"""Read-side queries for the officials registry, always scoped to the viewer's units in SQL."""

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from lms.audit.queries import namer
from lms.auth.scope import Scope
from lms.common import vntext
from lms.common.pagination import Page, paginate
from lms.common.tabular import iter_chunks
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, Position, PositionAssignment, Rank

Current = aliased(PositionAssignment, name="current_assignment")
CurrentUnit = aliased(OrgUnit, name="current_unit")


@dataclass(frozen=True)
class OfficialFilters:
    """Registry filters; every field optional."""

    q: str = ""
    unit_code: str = ""
    position_code: str = ""
    rank_code: str = ""
    gender: str = ""
    category: str = ""
    status: str = ""


def scope_condition(unit_path_column, scope: Scope | list[str] | None):
    """SQL condition: the unit path lies in one of the scope's subtrees (None = no limit)."""
    return Scope.from_paths(scope).unit_filter(unit_path_column)


# --- an official's current primary post -------------------------------------------------------
# The current post is the open primary assignment: is_primary and no end date (at most one per
# official, by the partial unique index uq_position_assignments_open_primary, which these
# conditions match so that the index serves them). Every query that places an official in a
# unit goes through here.


def is_current_post(post=PositionAssignment):
    """SQL condition: the assignment row `post` (the model or an alias) is a current post."""
    return and_(post.is_primary.is_(True), post.ended_on.is_(None))


def join_current_post(
    stmt: Select, official_id=Official.id, *, post=Current, unit=CurrentUnit, outer: bool = True
) -> Select:
    """`stmt` joined with the current primary post (`post`) of the official `official_id` and
    with that post's unit (`unit`): outer joins (officials placed nowhere stay, with NULLs),
    or inner joins with `outer=False` (only placed officials)."""
    join = stmt.outerjoin if outer else stmt.join
    stmt = join(post, and_(post.official_id == official_id, is_current_post(post)))
    join = stmt.outerjoin if outer else stmt.join
    return join(unit, unit.id == post.unit_id)


def officials_by_code(codes: list[str]) -> dict[str, tuple[int, str | None]]:
    """employee code → (official id, unit path of the current primary post or None), for the
    imports that name officials by code (read in chunks of 900 codes)."""
    stmt = join_current_post(
        select(Official.employee_code, Official.id, OrgUnit.path),
        post=PositionAssignment,
        unit=OrgUnit,
    )
    found = {}
    for chunk in iter_chunks(sorted(set(codes)), 900):
        for code, official_id, path in db.session.execute(
            stmt.where(Official.employee_code.in_(chunk))
        ):
            found[code] = (official_id, path)
    return found


def current_post_of(official_id: int) -> PositionAssignment | None:
    """The official's current primary assignment, if any (one query)."""
    return db.session.scalar(
        select(PositionAssignment).where(
            PositionAssignment.official_id == official_id, is_current_post()
        )
    )


def current_unit_paths(official_ids) -> dict[int, str]:
    """Official id → the unit path of their current primary post, for the officials placed
    (one query)."""
    return dict(
        db.session.execute(
            select(PositionAssignment.official_id, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
            .where(PositionAssignment.official_id.in_(official_ids), is_current_post())
        ).all()
    )


def unit_by_code(code: str | None) -> OrgUnit | None:
    """The unit named by a code typed in a URL or a query string, in any letter case and with
    spaces around it ignored ("snv-ccvc", " SNV-CCVC " → SNV-CCVC); None when there is none.
    Every unit code read from a URL or a filter goes through here. Should two stored codes
    differ only by case, the exact spelling wins, and a code matching both otherwise finds none.
    """
    key = (code or "").strip()
    if not key or len(key) > 64:
        return None
    found = db.session.scalars(
        select(OrgUnit).where(or_(OrgUnit.code == key, func.upper(OrgUnit.code) == key.upper()))
    ).all()
    exact = [unit for unit in found if unit.code == key]
    if exact:
        return exact[0]
    return found[0] if len(found) == 1 else None


def unit_path_by_code(code: str | None) -> str | None:
    """The path of `unit_by_code(code)`, or None."""
    unit = unit_by_code(code)
    return unit.path if unit is not None else None


def narrowed_scope(scope: Scope | list[str] | None, unit_code: str = "") -> list[str] | None:
    """The unit paths a registry read covers: the scope, or only the subtree of the unit filter
    (nothing when that unit is unknown or outside the scope). For audit entries of lists."""
    scope = Scope.from_paths(scope)
    if unit_code:
        scope = scope.narrowed(unit_path_by_code(unit_code))
    return scope.path_list


def registry_select(scope: Scope | list[str] | None) -> Select:
    """Officials with their current primary post (`Current`, its unit `CurrentUnit`; outer
    joined), limited to the scope (its subtrees, and the viewer's own record if it has one)."""
    stmt = join_current_post(select(Official))
    condition = Scope.from_paths(scope).officials_filter(CurrentUnit.path, Official.id)
    return stmt if condition is None else stmt.where(condition)


def filtered(stmt: Select, filters: OfficialFilters) -> Select:
    """Apply the registry filters (name or code, unit subtree, position, rank, …) to `stmt`."""
    q = vntext.normalize(filters.q) or ""
    if q:
        key = vntext.search_key(q)
        stmt = stmt.where(
            or_(
                Official.search_name.contains(key, autoescape=True),
                Official.employee_code == q.upper(),
            )
        )
    if filters.unit_code:
        root = unit_path_by_code(filters.unit_code)
        stmt = stmt.where(CurrentUnit.path.startswith(root or "//", autoescape=True))
    if filters.position_code:
        stmt = stmt.where(
            Current.position_id.in_(
                select(Position.id).where(Position.code == filters.position_code)
            )
        )
    if filters.rank_code:
        stmt = stmt.where(
            Current.rank_id.in_(select(Rank.id).where(Rank.code == filters.rank_code))
        )
    for column in ("gender", "category", "status"):
        value = getattr(filters, column)
        if value:
            stmt = stmt.where(getattr(Official, column) == value)
    return stmt


def official_ids(scope: Scope | list[str] | None, filters: OfficialFilters) -> Select:
    """The ids of the officials a registry search or export with `filters` finds."""
    return filtered(registry_select(scope), filters).with_only_columns(Official.id)


@dataclass(frozen=True)
class RegistryRow:
    """One registry line: the official and their current primary post (or None)."""

    official: Official
    assignment: PositionAssignment | None


def with_post(stmt: Select) -> Select:
    """Add the current primary post (unit, position, rank) to a registry select, eagerly: the
    registry page and the API's officials."""
    return (
        stmt.add_columns(Current)
        .outerjoin(Position, Position.id == Current.position_id)
        .outerjoin(Rank, Rank.id == Current.rank_id)
        .options(
            contains_eager(Current.unit, alias=CurrentUnit),
            contains_eager(Current.position),
            contains_eager(Current.rank),
        )
    )


def search_officials(
    scope: Scope | list[str] | None, filters: OfficialFilters, page: int, per_page: int
) -> Page:
    """One page of RegistryRow for the officials in scope, ordered the Vietnamese way (given name
    first). Two queries (count and page) whatever the page size."""
    stmt = with_post(filtered(registry_select(scope), filters)).order_by(
        Official.sort_name, Official.id
    )
    result = paginate(stmt, page, per_page, scalars=False)
    rows = [RegistryRow(official, assignment) for official, assignment in result.items]
    return Page(rows, result.page, result.per_page, result.total)


def official_in_scope(employee_code: str, scope: Scope | list[str] | None) -> Official | None:
    """The official with this code if the viewer's scope covers them, else None."""
    stmt = registry_select(scope).where(Official.employee_code == employee_code.strip().upper())
    return db.session.scalar(stmt)


def units_for_choice(scope: Scope | list[str] | None) -> list[OrgUnit]:
    """Units the viewer may pick (open and closed), in tree order."""
    stmt = select(OrgUnit).order_by(OrgUnit.path)
    condition = Scope.from_paths(scope).unit_filter(OrgUnit.path)
    return list(db.session.scalars(stmt if condition is None else stmt.where(condition)))


def unit_choices() -> list[tuple[str, str]]:
    """Every unit as an (id, "code — name") choice, in tree order (auth's grant form)."""
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    return [(str(u.id), f"{u.code} — {u.name}") for u in units]


def official_id_by_code(employee_code: str) -> int | None:
    """The id of the official with this employee code (exact), or None."""
    return db.session.scalar(select(Official.id).where(Official.employee_code == employee_code))


@namer("official")
def official_names(codes: list[str]) -> dict[str, str]:
    """Employee code → "code – full name", for the audit log (one query)."""
    rows = db.session.execute(
        select(Official.employee_code, Official.full_name).where(Official.employee_code.in_(codes))
    )
    return {code: f"{code} – {name}" for code, name in rows}


def export_unit(scope: Scope | list[str] | None, unit_code: str = "") -> OrgUnit | None:
    """The unit an export is about, for its file name and title: the unit filter, else the top
    of the viewer's scope when it has one (the city for the whole registry); None for a scope
    of several separate subtrees."""
    if unit_code:
        return unit_by_code(unit_code)
    paths = Scope.from_paths(scope).top_paths()
    if paths is None:
        tops = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).limit(2))
        tops = list(tops)
    else:
        tops = list(db.session.scalars(select(OrgUnit).where(OrgUnit.path.in_(paths[:2]))))
        tops = tops if len(paths) == 1 else []
    return tops[0] if len(tops) == 1 else None
