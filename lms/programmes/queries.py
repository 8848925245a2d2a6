"""Read-side queries for programmes and programme certificates, limited in SQL to what the
viewer may see: their own chứng chỉ, or those of officials whose current unit lies in their
scope."""

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from lms.auth.scope import Scope
from lms.extensions import db
from lms.organisation.models import Official
from lms.organisation.queries import CurrentUnit, join_current_post
from lms.programmes.models import Programme, ProgrammeCertificate, ProgrammeRequirement


def _visible(stmt: Select, scope: Scope | list[str] | None) -> Select:
    condition = Scope.from_paths(scope).officials_filter(
        CurrentUnit.path, ProgrammeCertificate.official_id
    )
    return stmt if condition is None else stmt.where(condition)


def _base() -> Select:
    return join_current_post(
        select(ProgrammeCertificate).join(Official, Official.id == ProgrammeCertificate.official_id)
    )


def by_serial(serial: str, scope: Scope | list[str] | None) -> ProgrammeCertificate | None:
    """The chứng chỉ with this serial if the viewer owns it or their scope covers its holder
    (None otherwise, whether or not it exists)."""
    stmt = _base().where(ProgrammeCertificate.serial == (serial or "").strip().upper()[:64])
    return db.session.scalar(_visible(stmt, scope))


def in_scope(scope: Scope | list[str] | None, limit: int = 200) -> list[ProgrammeCertificate]:
    """The latest chứng chỉ of the officials in scope, newest first."""
    stmt = _base().order_by(ProgrammeCertificate.issued_on.desc(), ProgrammeCertificate.id.desc())
    return list(db.session.scalars(_visible(stmt, scope).limit(limit)))


def of_official(official_id: int) -> list[ProgrammeCertificate]:
    """An official's chứng chỉ (their certification history), newest first."""
    return list(
        db.session.scalars(
            select(ProgrammeCertificate)
            .where(ProgrammeCertificate.official_id == official_id)
            .order_by(ProgrammeCertificate.completed_on.desc(), ProgrammeCertificate.id.desc())
        )
    )


def all_programmes() -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .options(selectinload(Programme.sets), selectinload(Programme.requirements))
            .order_by(Programme.code)
        )
    )


def required_of(position_codes: set[str], rank_codes: set[str]) -> list[Programme]:
    """The programmes that the positions or ranks require, in code order."""
    wanted = [
        (ProgrammeRequirement.kind == "position") & ProgrammeRequirement.code.in_(position_codes),
        (ProgrammeRequirement.kind == "rank") & ProgrammeRequirement.code.in_(rank_codes),
    ]
    ids = select(ProgrammeRequirement.programme_id).where(wanted[0] | wanted[1])
    return list(
        db.session.scalars(select(Programme).where(Programme.id.in_(ids)).order_by(Programme.code))
    )
