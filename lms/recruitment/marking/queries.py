"""Read-only queries of the marking pages. What a marker reads (`marker_*`) selects a paper's
code and answer and the marker's own mark only — never a candidate, a name, a number or another
marker's mark — so no template can show them by mistake."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.recruitment.marking.models import Mark, Marker, MarkingRound, MarkingState, Paper
from lms.recruitment.models import Candidate, Recruitment


@dataclass(frozen=True)
class MarkerTask:
    """One paper given to a marker, as the marker may see it."""

    mark_id: int
    recruitment_code: str
    recruitment_name: str
    code: str
    turn: str
    own_mark: Decimal | None
    submitted_at: datetime | None
    answer_text: str = ""
    maximum: Decimal = Decimal(100)
    can_submit: bool = False
    scan_kind: str | None = None  # the kind of the paper's scan (pdf, png, jpg), if scanned


def _task(row, with_text: bool) -> MarkerTask:
    mark, code, text, rcode, rname, state, maximum, scan_kind = row
    can_submit = mark.submitted_at is None and (state == MarkingState.OPEN or mark.turn == "appeal")
    return MarkerTask(
        mark.id, rcode, rname, code, mark.turn, mark.mark, mark.submitted_at,
        text if with_text else "", maximum, can_submit, scan_kind,
    )  # fmt: skip


def _marker_select():
    return (
        select(
            Mark,
            Paper.code,
            Paper.answer_text,
            Recruitment.code,
            Recruitment.name,
            MarkingRound.state,
            MarkingRound.maximum,
            Paper.scan_kind,
        )  # fmt: skip
        .join(Paper, Paper.id == Mark.paper_id)
        .join(MarkingRound, MarkingRound.id == Paper.round_id)
        .join(Recruitment, Recruitment.id == MarkingRound.recruitment_id)
    )


def marker_tasks(user) -> list[MarkerTask]:
    """The papers given to `user`, those still to mark first, by code."""
    rows = db.session.execute(
        _marker_select().where(Mark.marker_id == user.id).order_by(Recruitment.code, Paper.code)
    ).all()
    tasks = [_task(row, with_text=False) for row in rows]
    return sorted(tasks, key=lambda t: (t.submitted_at is not None, t.recruitment_code, t.code))


def marker_task(user, mark_id: int) -> MarkerTask | None:
    """One paper given to `user` (None when the mark is not theirs)."""
    row = db.session.execute(
        _marker_select().where(Mark.id == mark_id, Mark.marker_id == user.id)
    ).first()
    return _task(row, with_text=True) if row else None


def marker_scan(user, mark_id: int) -> tuple[str, str, str] | None:
    """(code, stored path, kind) of the scan of a paper given to `user` — the paper's code
    and file only (None when the mark is not theirs or the paper has no scan)."""
    row = db.session.execute(
        select(Paper.code, Paper.scan_path, Paper.scan_kind)
        .join(Mark, Mark.paper_id == Paper.id)
        .where(Mark.id == mark_id, Mark.marker_id == user.id, Paper.scan_path.is_not(None))
    ).first()
    return tuple(row) if row else None


def markers(marking_round: MarkingRound | None) -> list[tuple[User, int, int]]:
    """Each marker of the round with the papers given and marked."""
    if marking_round is None:
        return []
    given = func.count(Mark.id)
    done = func.count(Mark.submitted_at)
    rows = db.session.execute(
        select(User, given, done)
        .join(Marker, Marker.user_id == User.id)
        .outerjoin(Paper, Paper.round_id == Marker.round_id)
        .outerjoin(Mark, (Mark.paper_id == Paper.id) & (Mark.marker_id == User.id))
        .where(Marker.round_id == marking_round.id)
        .group_by(User.id)
        .order_by(User.username)
    ).all()
    return [(user, n_given, n_done) for user, n_given, n_done in rows]


@dataclass(frozen=True)
class PaperLine:
    """A paper on the secretary's page: code, marks by turn, mark; the candidate only once
    the codes are opened."""

    code: str
    marks: dict
    mark: Decimal | None
    candidate: Candidate | None


def papers_for_secretary(marking_round: MarkingRound | None) -> list[PaperLine]:
    """The round's papers by code (with their candidates once the codes are opened); none
    before marking opens, when the only papers are scans just uploaded — listed as they come,
    their codes would tie each code to the candidate whose scan was uploaded."""
    if marking_round is None or marking_round.state == MarkingState.DRAFT:
        return []
    revealed = marking_round.state in (MarkingState.REVEALED, MarkingState.PUBLISHED)
    papers = db.session.scalars(
        select(Paper).where(Paper.round_id == marking_round.id).order_by(Paper.code)
    ).all()
    marks: dict[int, dict] = {}
    for mark in db.session.scalars(
        select(Mark).join(Paper).where(Paper.round_id == marking_round.id)
    ):
        marks.setdefault(mark.paper_id, {})[mark.turn] = mark.mark
    return [
        PaperLine(p.code, marks.get(p.id, {}), p.mark, p.candidate if revealed else None)
        for p in papers
    ]


def labels() -> dict:
    """The states' words the marking templates print (each from its Labelled enum)."""
    from lms.recruitment.marking.models import AppealState, MarkTurn
    from lms.recruitment.marking.rules import Standing

    return {
        "turns": MarkTurn,
        "turn_order": [str(t) for t in MarkTurn],
        "states": MarkingState,
        "standings": Standing,
        "appeal_states": AppealState,
    }
