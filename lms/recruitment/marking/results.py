"""Results of a recruitment: each position's candidates with their first-round parts, written
mark, priority points, total, rank and standing against the quota (rules.rank_position), the
publication, the public look-up by candidate number and date of birth, and the letterhead of
the published list. Computed from the stored marks every time, so an appeal's change shows at
once. Services flush; the caller commits."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from lms.audit.services import record
from lms.common import clock
from lms.common.vntext import sort_key
from lms.compliance.documents import Letterhead, letterhead
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.marking import rules
from lms.recruitment.marking.models import MarkingState, Paper
from lms.recruitment.marking.rounds import round_of
from lms.recruitment.marking.rules import Entry, Ranked
from lms.recruitment.models import (
    Candidate,
    ExamAttempt,
    ExamSession,
    RecruitmentPosition,
    SeatAssignment,
)


@dataclass(frozen=True)
class Row:
    """One candidate on a position's list."""

    candidate: Candidate
    first_round: tuple[tuple[Decimal | None, Decimal], ...]
    written: Decimal | None
    ranked: Ranked


def _first_round(recruitment) -> dict[int, list[tuple[Decimal | None, Decimal]]]:
    """Each candidate's round-1 parts (score, maximum): one per round-1 seat, a seat without a
    submitted paper scoring nothing."""
    rows = db.session.execute(
        select(SeatAssignment.candidate_id, ExamAttempt.score, ExamAttempt.max_score)
        .join(ExamSession, ExamSession.id == SeatAssignment.session_id)
        .outerjoin(
            ExamAttempt,
            (ExamAttempt.session_id == SeatAssignment.session_id)
            & (ExamAttempt.candidate_id == SeatAssignment.candidate_id),
        )
        .where(ExamSession.recruitment_id == recruitment.id, ExamSession.round == 1)
        .order_by(SeatAssignment.candidate_id, ExamSession.starts_at)
    ).all()
    parts: dict[int, list] = {}
    for candidate_id, score, maximum in rows:
        parts.setdefault(candidate_id, []).append((score, maximum or Decimal(1)))
    return parts


def rankings(recruitment) -> list[tuple[RecruitmentPosition, list[Row]]]:
    """Every position of the recruitment with its ranked list (empty lists included)."""
    marking_round = round_of(recruitment)
    maximum = marking_round.maximum if marking_round else rules.DEFAULT_MAXIMUM
    marks = {}
    if marking_round is not None:
        marks = dict(
            db.session.execute(
                select(Paper.candidate_id, Paper.mark).where(Paper.round_id == marking_round.id)
            ).all()
        )
    parts = _first_round(recruitment)
    candidates = db.session.scalars(
        select(Candidate).where(Candidate.recruitment_id == recruitment.id)
    ).all()
    out = []
    for position in recruitment.positions:
        mine = [c for c in candidates if c.position_id == position.id]
        entries = [
            Entry(
                c.id,
                tuple(parts.get(c.id, ())),
                marks.get(c.id),
                Decimal(c.priority_points or 0),
                maximum,
            )
            for c in mine
        ]
        by_id = {c.id: c for c in mine}
        ranked = rules.rank_position(entries, position.quota)
        rows = [
            Row(
                by_id[r.candidate_id],
                tuple(parts.get(r.candidate_id, ())),
                marks.get(r.candidate_id),
                r,
            )  # fmt: skip
            for r in ranked
        ]
        out.append((position, rows))
    return out


def publish(recruitment, actor, today: date | None = None) -> None:
    """Publish the results (after the codes are opened): the list gets its number and date and
    the public look-up and the appeal window open."""
    marking_round = round_of(recruitment)
    if marking_round is None or marking_round.state != MarkingState.REVEALED:
        raise RuleViolation(_("This cannot be done at this stage of the marking."), "state")
    marking_round.state = MarkingState.PUBLISHED
    marking_round.published_on = today or clock.today()
    marking_round.publication_number = marking_round.id
    db.session.flush()
    record(actor, "recruitment.results_published", "recruitment", recruitment.code,
           after={"published_on": marking_round.published_on})  # fmt: skip


def is_published(recruitment) -> bool:
    """Whether the results of `recruitment` are public."""
    marking_round = round_of(recruitment)
    return marking_round is not None and marking_round.state == MarkingState.PUBLISHED


def lookup(
    recruitment, number: str, born_on: date | None
) -> tuple[RecruitmentPosition, Row] | None:
    """The published result of the candidate with this number and date of birth; None for
    anything else — an unknown number, a wrong date, unpublished results — alike."""
    if recruitment is None or born_on is None or not is_published(recruitment):
        return None
    candidate = db.session.scalar(
        select(Candidate).where(
            Candidate.recruitment_id == recruitment.id,
            Candidate.number == (number or "").strip().upper(),
            Candidate.born_on == born_on,
        )
    )
    if candidate is None:
        return None
    for position, rows in rankings(recruitment):
        for row in rows:
            if row.candidate.id == candidate.id:
                return position, row
    return None


def published_letterhead(recruitment) -> Letterhead:
    """The Decree 30 letterhead of the published list: a notice (thông báo) of the organising
    unit, numbered "<n>/TB-<agency code>", dated the publication day."""
    marking_round = round_of(recruitment)
    head = letterhead(recruitment.unit.path, None, marking_round.published_on or clock.today())
    number = marking_round.publication_number
    return replace(head, number=f"{number if number else '…'}/TB-{head.agency_code}")


def ordered_by_name(rows: list[Row]) -> list[Row]:
    """Rows in the Vietnamese name order (the officer's list after the codes are opened)."""
    return sorted(rows, key=lambda r: sort_key(r.candidate.full_name))
