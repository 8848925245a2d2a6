"""Side by side: each one-stop unit's satisfaction index beside the training of the officials
in its one-stop positions (LMS_ONE_STOP_POSITIONS) — the share who completed every one-stop
course (LMS_ONE_STOP_COURSES) and their credits per official in the year — and the correlation
over units (a correlation, not a cause)."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, func, or_, select

from lms.auth.scope import Scope
from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db
from lms.organisation.models import OrgUnit, Position, PositionAssignment
from lms.surveys import reports, rules


def _codes(setting: str) -> list[str]:
    return [c.strip().upper() for c in current_app.config[setting].split(",") if c.strip()]


@dataclass(frozen=True)
class UnitRow:
    """One unit: its index row and the training of its one-stop officials."""

    index: reports.IndexRow
    officials: int
    completed: int
    credits: float

    @property
    def completed_share(self) -> float | None:
        return None if not self.officials else round(100 * self.completed / self.officials, 1)

    @property
    def credits_per_official(self) -> float | None:
        return None if not self.officials else round(self.credits / self.officials, 2)


def _one_stop_officials(unit: OrgUnit, day: date) -> list[int]:
    """Officials whose primary post on `day` is a one-stop position in the unit's subtree."""
    stmt = (
        select(PositionAssignment.official_id)
        .join(Position, Position.id == PositionAssignment.position_id)
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(
            Position.code.in_(_codes("LMS_ONE_STOP_POSITIONS") or [""]),
            PositionAssignment.is_primary.is_(True),
            PositionAssignment.started_on <= day,
            or_(PositionAssignment.ended_on.is_(None), PositionAssignment.ended_on >= day),
            OrgUnit.path.startswith(unit.path, autoescape=True),
        )
    )
    return sorted(set(db.session.scalars(stmt)))


def _completed_all(official_ids: list[int], day: date) -> int:
    """How many of the officials hold a valid completion of every one-stop course on `day`."""
    courses = _codes("LMS_ONE_STOP_COURSES")
    if not official_ids or not courses:
        return 0
    stmt = (
        select(Completion.official_id)
        .join(Course, Course.id == Completion.course_id)
        .where(
            Completion.official_id.in_(official_ids),
            Course.code.in_(courses),
            Completion.revoked_at.is_(None),
            Completion.completed_on <= day,
            or_(Completion.expires_on.is_(None), Completion.expires_on >= day),
        )
        .group_by(Completion.official_id)
        .having(func.count(func.distinct(Course.code)) == len(courses))
    )
    return len(list(db.session.scalars(stmt)))


def _credits(official_ids: list[int], year: int) -> float:
    if not official_ids:
        return 0.0
    stmt = select(func.coalesce(func.sum(LedgerEntry.credits), 0)).where(
        LedgerEntry.official_id.in_(official_ids),
        and_(
            LedgerEntry.earned_on >= date(year, 1, 1), LedgerEntry.earned_on <= date(year, 12, 31)
        ),
    )
    return float(db.session.scalar(stmt) or 0)


def rows(scope: Scope, year: int) -> list[UnitRow]:
    """The units of the scope with citizen responses in `year`, best index first, each with
    its one-stop officials' training as of the year's end (or today, this year)."""
    day = min(clock.today(), date(year, 12, 31))
    found = []
    for index in reports.ranking(scope, year):
        unit = db.session.get(OrgUnit, index.key)
        officials = _one_stop_officials(unit, day)
        found.append(
            UnitRow(
                index, len(officials), _completed_all(officials, day), _credits(officials, year)
            )
        )
    return found


def correlation(found: list[UnitRow], measure: str) -> tuple[float | None, int]:
    """(Pearson r, n) between the index and `measure` ("completed_share" or
    "credits_per_official") over the units that have both."""
    pairs = [
        (row.index.index, getattr(row, measure))
        for row in found
        if row.index.index is not None and getattr(row, measure) is not None
    ]
    r = rules.pearson([p[0] for p in pairs], [p[1] for p in pairs])
    return (None if r is None else round(r, 2)), len(pairs)
