"""An official's frozen training statements, for "download all my data"."""

from sqlalchemy import select

from lms.common.plain import fields
from lms.compliance.models import Statement
from lms.curricula.cycles.models import Cycle
from lms.extensions import db


def _rows(stmt):
    return db.session.execute(stmt).all()


def statements(official_id: int) -> list[dict]:
    """The frozen training statements (superseded ones too, marked)."""
    rows = _rows(
        select(Statement, Cycle.year)
        .join(Cycle, Cycle.id == Statement.cycle_id)
        .where(Statement.official_id == official_id)
        .order_by(Cycle.year, Statement.id)
    )
    names = ("unit_code", "unit_name", "position_name", "rank_name", "target_credits")
    result = ("earned_credits", "mandatory_required", "mandatory_completed", "status")
    return [
        {"cycle": year, **fields(s, *names, *result, "certificates", "closed_at", "superseded_at")}
        for s, year in rows
    ]
