"""Read-only queries of recruitment exams: recruitments in a user's scope, candidates, seat lists,
the room's state for the invigilator, incidents."""

from sqlalchemy import func, select

from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.recruitment.models import (
    Candidate,
    ExamAttempt,
    ExamRoom,
    ExamSession,
    Incident,
    Invigilator,
    Recruitment,
    RecruitmentPosition,
    SeatAssignment,
)
from lms.recruitment.permissions import recruitment_scope


def _rows(model, *where, order_by) -> list:
    """The rows of `model` meeting `where`, in the order of `order_by` (a column or a tuple)."""
    order = order_by if isinstance(order_by, tuple) else (order_by,)
    return list(db.session.scalars(select(model).where(*where).order_by(*order)))


def recruitment_by_code(code: str) -> Recruitment | None:
    """The recruitment with that code (any case), or None."""
    return db.session.scalar(select(Recruitment).where(Recruitment.code == (code or "").upper()))


def recruitments_run_by(user) -> list[Recruitment]:
    """The recruitments whose organising unit is in the user's HR scope, newest first."""
    stmt = select(Recruitment).join(OrgUnit, OrgUnit.id == Recruitment.unit_id)
    condition = recruitment_scope(user).unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    return list(db.session.scalars(stmt.order_by(Recruitment.year.desc(), Recruitment.code)))


def sessions_invigilated_by(user_id: int) -> list[ExamSession]:
    """The sessions a user is named invigilator of, by start."""
    return list(
        db.session.scalars(
            select(ExamSession)
            .join(Invigilator, Invigilator.session_id == ExamSession.id)
            .where(Invigilator.user_id == user_id)
            .order_by(ExamSession.starts_at)
        )
    )


def candidates_per_position(recruitment_id: int) -> dict[int, int]:
    """{position id: number of candidates}."""
    return dict(
        db.session.execute(
            select(Candidate.position_id, func.count(Candidate.id))
            .where(Candidate.recruitment_id == recruitment_id)
            .group_by(Candidate.position_id)
        ).all()
    )


def sessions_of(recruitment_id: int) -> list[ExamSession]:
    """The recruitment's sessions, by round and start."""
    return _rows(
        ExamSession,
        ExamSession.recruitment_id == recruitment_id,
        order_by=(ExamSession.round, ExamSession.starts_at),
    )


def candidates_of(recruitment_id: int) -> list[Candidate]:
    """The recruitment's candidates, by candidate number."""
    return _rows(Candidate, Candidate.recruitment_id == recruitment_id, order_by=Candidate.number)


def seat_list(session_id: int) -> list[SeatAssignment]:
    """The session's seats, by seat number, with their candidates."""
    return _rows(
        SeatAssignment, SeatAssignment.session_id == session_id, order_by=SeatAssignment.seat
    )


def _unseated_stmt(session: ExamSession):
    seated_this_round = (
        select(SeatAssignment.candidate_id)
        .join(ExamSession, ExamSession.id == SeatAssignment.session_id)
        .where(
            ExamSession.recruitment_id == session.recruitment_id,
            ExamSession.round == session.round,
        )
    )
    return select(Candidate).where(
        Candidate.recruitment_id == session.recruitment_id, Candidate.id.not_in(seated_this_round)
    )


def unseated(session: ExamSession) -> list[Candidate]:
    """The recruitment's candidates with no seat in any session of this round, by number."""
    return list(db.session.scalars(_unseated_stmt(session).order_by(Candidate.number)))


def unseated_count(session: ExamSession) -> int:
    """How many candidates have no seat in this round yet."""
    return db.session.scalar(select(func.count()).select_from(_unseated_stmt(session).subquery()))


def room_state(session: ExamSession) -> list[tuple[SeatAssignment, ExamAttempt | None]]:
    """Each seat with the candidate's paper (None: not started), by seat."""
    papers = {
        a.candidate_id: a
        for a in db.session.scalars(select(ExamAttempt).where(ExamAttempt.session_id == session.id))
    }
    return [(seat, papers.get(seat.candidate_id)) for seat in seat_list(session.id)]


def incidents_of(session_id: int) -> list[Incident]:
    """The session's incidents, newest first."""
    return _rows(
        Incident,
        Incident.session_id == session_id,
        order_by=(Incident.created_at.desc(), Incident.id.desc()),
    )


def positions_of(recruitment_id: int) -> list[RecruitmentPosition]:
    """The recruitment's positions, by code."""
    return _rows(
        RecruitmentPosition,
        RecruitmentPosition.recruitment_id == recruitment_id,
        order_by=RecruitmentPosition.code,
    )


def rooms_of(recruitment_id: int) -> list[ExamRoom]:
    """The recruitment's rooms, by name."""
    return _rows(ExamRoom, ExamRoom.recruitment_id == recruitment_id, order_by=ExamRoom.name)
