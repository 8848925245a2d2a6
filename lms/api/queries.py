"""Read-side queries of the API. Every one is limited to the caller's reach in SQL and sends a
fixed number of statements whatever the page size."""

from datetime import datetime

from sqlalchemy import exists, or_, select

from lms.auth.scope import Scope
from lms.catalog.models import Course
from lms.certificates.models import Certificate
from lms.common.pagination import Page, paginate
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, PositionAssignment
from lms.organisation.queries import (
    CurrentUnit,
    OfficialFilters,
    filtered,
    join_current_post,
    registry_select,
    unit_by_code,
    with_post,
)


def changed_since(since: datetime):
    """Officials whose record changed, or who took a new post, at or after `since`."""
    new_post = exists().where(
        PositionAssignment.official_id == Official.id, PositionAssignment.created_at >= since
    )
    return or_(Official.updated_at >= since, new_post)


def officials_page(
    reach: Scope, filters: OfficialFilters, since: datetime | None, page: int, per_page: int
) -> Page:
    """One page of (Official, current primary assignment or None) within `reach`, filtered like
    the registry (q: name with or without diacritics, or employee code; unit subtree), ordered
    the Vietnamese way (given name first). Two queries."""
    stmt = with_post(filtered(registry_select(reach), filters))
    if since is not None:
        stmt = stmt.where(changed_since(since))
    result = paginate(stmt.order_by(Official.sort_name, Official.id), page, per_page, False)
    return Page([tuple(row) for row in result.items], result.page, result.per_page, result.total)


def official(reach: Scope, employee_code: str):
    """(Official, current assignment or None) for the code if within `reach`, else None."""
    if reach.is_empty:
        return None
    code = employee_code.strip().upper()
    stmt = with_post(registry_select(reach)).where(Official.employee_code == code)
    row = db.session.execute(stmt).first()
    return tuple(row) if row else None


def unit(reach: Scope, code: str) -> OrgUnit | None:
    """The unit with this code if it lies within the caller's unit scope (own record aside)."""
    found = unit_by_code(code)
    if found is None or not reach.covers_unit(found.path):
        return None
    return found


def cycle(year: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.year == year))


def ledger_page(
    official_id: int, year: int | None, since: datetime | None, page: int, per_page: int
) -> Page:
    """One page of (LedgerEntry, cycle year, course code or None) of an official, oldest first;
    `year` narrows to a cycle, `since` to entries written at or after it. Two queries."""
    stmt = (
        select(LedgerEntry, Cycle.year, Course.code)
        .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
        .outerjoin(Course, Course.id == LedgerEntry.course_id)
        .where(LedgerEntry.official_id == official_id)
    )
    if year is not None:
        stmt = stmt.where(Cycle.year == year)
    if since is not None:
        stmt = stmt.where(LedgerEntry.created_at >= since)
    result = paginate(stmt.order_by(LedgerEntry.seq), page, per_page, False)
    return Page([tuple(row) for row in result.items], result.page, result.per_page, result.total)


def ledger_entry_by_ref(official_id: int, source: str, source_ref: str) -> LedgerEntry | None:
    """The official's first entry from `source` with this reference (reversals aside)."""
    return db.session.scalar(
        select(LedgerEntry)
        .where(
            LedgerEntry.official_id == official_id,
            LedgerEntry.source == source,
            LedgerEntry.source_ref == source_ref,
            LedgerEntry.reverses_id.is_(None),
        )
        .order_by(LedgerEntry.seq)
        .limit(1)
    )


def certificate(reach: Scope, serial: str):
    """The certificate with this serial if its holder is within `reach` (placed in a unit of the
    scope, or the caller), else None."""
    if reach.is_empty:
        return None
    stmt = join_current_post(
        select(Certificate).join(Official, Official.id == Certificate.official_id)
    ).where(Certificate.serial == serial.strip())
    condition = reach.officials_filter(CurrentUnit.path, Official.id)
    return db.session.scalar(stmt if condition is None else stmt.where(condition))
