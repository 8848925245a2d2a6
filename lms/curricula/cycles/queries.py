"""Read-side queries of the curricula manager screens: every position with its curricula."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.curricula.cycles.models import Curriculum, CurriculumCourse
from lms.extensions import db
from lms.organisation.models import Position

# --- curricula list (managers) -------------------------------------------------------------


@dataclass(frozen=True)
class PositionRow:
    """A position with its curricula: the general one (or None) and rank-specific variants."""

    position: Position
    general: Curriculum | None
    variants: list[Curriculum]


def positions_with_curricula() -> list[PositionRow]:
    """Every position with its curricula and their courses, ordered by position code (three
    queries)."""
    positions = list(db.session.scalars(select(Position).order_by(Position.code)))
    curricula = db.session.scalars(
        select(Curriculum).options(
            selectinload(Curriculum.courses).joinedload(CurriculumCourse.course),
            selectinload(Curriculum.rank),
        )
    ).all()
    by_position: dict[int, list[Curriculum]] = {}
    for curriculum in curricula:
        by_position.setdefault(curriculum.position_id, []).append(curriculum)
    rows = []
    for position in positions:
        mine = by_position.get(position.id, [])
        general = next((c for c in mine if c.rank_id is None), None)
        variants = sorted((c for c in mine if c.rank_id is not None), key=lambda c: c.rank.code)
        rows.append(PositionRow(position, general, variants))
    return rows
