"""The marking round of a recruitment and who marks what: finding the round, its stage, its
markers, giving a paper to a marker who has not marked it, reading a typed mark. Shared by the
marking services and the appeals (lms.recruitment.marking.services, .appeals)."""

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.marking import rules
from lms.recruitment.marking.models import Mark, Marker, MarkingRound, MarkingState, Paper

# A typed mark: digits (ASCII), with a decimal comma or point and up to two decimals.
MARK_TEXT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")
ORDER = [
    MarkingState.DRAFT,
    MarkingState.OPEN,
    MarkingState.CLOSED,
    MarkingState.REVEALED,
    MarkingState.PUBLISHED,
]


def round_of(recruitment, create: bool = False) -> MarkingRound | None:
    """The marking of `recruitment` (made, in draft, when `create`)."""
    found = db.session.scalar(
        select(MarkingRound).where(MarkingRound.recruitment_id == recruitment.id)
    )
    if found is None and create:
        found = MarkingRound(recruitment_id=recruitment.id)
        db.session.add(found)
        db.session.flush()
    return found


def at_least(marking_round: MarkingRound | None, state: str) -> bool:
    """Whether the round has reached `state` (the states only move forward)."""
    return marking_round is not None and ORDER.index(marking_round.state) >= ORDER.index(state)


def _markers(marking_round: MarkingRound) -> list[int]:
    return list(
        db.session.scalars(
            select(Marker.user_id).where(Marker.round_id == marking_round.id).order_by(Marker.id)
        )
    )


def _load(marking_round: MarkingRound, user_ids) -> dict[int, int]:
    """Marks given to each marker in the round (who is least busy)."""
    rows = db.session.execute(
        select(Mark.marker_id, func.count())
        .join(Paper, Paper.id == Mark.paper_id)
        .where(Paper.round_id == marking_round.id)
        .group_by(Mark.marker_id)
    ).all()
    counts = dict(rows)
    return {uid: counts.get(uid, 0) for uid in user_ids}


def give_to_another_marker(paper: Paper, turn: str) -> Mark | None:
    """Give `paper` to the least busy marker of its round who has not marked it yet, for
    `turn` (third or appeal); None when every marker already has (the paper waits for a new
    marker to be appointed)."""
    marking_round = db.session.get(MarkingRound, paper.round_id)
    done = {m.marker_id for m in paper.marks}
    free = [uid for uid in _markers(marking_round) if uid not in done]
    if not free:
        return None
    load = _load(marking_round, free)
    marker_id = min(free, key=lambda uid: (load[uid], uid))
    mark = Mark(paper_id=paper.id, marker_id=marker_id, turn=turn)
    db.session.add(mark)
    db.session.flush()
    db.session.refresh(paper, ["marks"])
    return mark


def parse_mark(text: str, maximum: Decimal) -> Decimal:
    """A typed mark ("72,5" or "72.5") checked against the scale; ValidationFailed otherwise."""
    typed = str(text or "").strip().replace(",", ".")
    try:
        if not MARK_TEXT.fullmatch(typed):
            raise ValueError(typed)
        return rules.check_mark(Decimal(typed), maximum)
    except (InvalidOperation, ValueError):
        message = _("A mark from 0 to %(max)s in steps of 0.25.", max=f"{maximum:g}")
        raise ValidationFailed([("mark", message)]) from None
