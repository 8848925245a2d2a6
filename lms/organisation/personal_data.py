"""An official's registry record for "download all my data": the personal fields and every post
held (unit, position, rank, dates, decision), in two queries whatever the history; and which
audited lists of officials held them (lms.audit.reads), for the processing log."""

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from lms.audit import reads
from lms.audit.models import AuditEntry
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


def lists_about(official_id: int):
    """SQL condition: audit entries of lists (lms.audit.reads) that held the official — by
    their ids when the list kept them, else by a scope covering a unit where the official held
    a post on the day of the read (the filters may have left them out: such an entry says the
    list could have held them)."""
    ids = reads.elements("official_ids")
    listed = exists(select(ids.c.value).where(ids.c.value == reads.id_value(official_id)))
    scope = reads.elements("scope")
    prefix = scope.c.value
    if db.session.get_bind().dialect.name == "postgresql":
        prefix = prefix.collate("C")  # unit paths are compared byte by byte (PathKey)
    posted = exists(
        select(PositionAssignment.id)
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .join(scope, OrgUnit.path.startswith(prefix))
        .where(
            PositionAssignment.official_id == official_id,
            PositionAssignment.started_on <= AuditEntry.at,
            or_(
                PositionAssignment.ended_on.is_(None), PositionAssignment.ended_on >= AuditEntry.at
            ),
        )
    )
    kept_ids = reads.has_key("official_ids")
    return and_(AuditEntry.action.in_(reads.LISTS), or_(listed, and_(~kept_ids, posted)))
