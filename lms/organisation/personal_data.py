"""An official's registry record for "download all my data": the personal fields and every post
held (unit, position, rank, dates, decision), in two queries whatever the history."""

from sqlalchemy import select
from sqlalchemy.orm import aliased

from lms.common.plain import fields
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, Position, PositionAssignment, Rank


def record(official: Official) -> dict:
    """The registry record with its posts, newest first."""
    rank = aliased(Rank)
    posts = db.session.execute(
        select(PositionAssignment, OrgUnit.code, OrgUnit.name, Position.code, Position.name)
        .add_columns(rank.code, rank.name)
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .join(Position, Position.id == PositionAssignment.position_id)
        .outerjoin(rank, rank.id == PositionAssignment.rank_id)
        .where(PositionAssignment.official_id == official.id)
        .order_by(PositionAssignment.started_on.desc(), PositionAssignment.id.desc())
    )
    personal = ("employee_code", "full_name", "gender", "date_of_birth", "category", "email")
    return {
        **fields(official, *personal, "phone", "status", "created_at", "updated_at"),
        "assignments": [
            {
                "unit_code": unit_code,
                "unit": unit_name,
                "position_code": position_code,
                "position": position_name,
                "rank_code": rank_code,
                "rank": rank_name,
                **fields(post, "is_primary", "started_on", "ended_on", "decision_no"),
            }
            for post, unit_code, unit_name, position_code, position_name, rank_code, rank_name in (
                posts
            )
        ],
    }
