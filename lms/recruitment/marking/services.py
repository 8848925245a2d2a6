"""Anonymous marking of the written papers: appointing markers, opening marking (a random code
per paper, two markers each), a marker's mark (a third marker when the two differ beyond the
margin), closing, and opening the codes (audited), when every paper's mark goes to its
candidate's results log. Services flush; the caller commits."""

from sqlalchemy import func, select

from lms.audit.services import add_recorded, record
from lms.auth.models import User
from lms.common import clock
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import results_log
from lms.recruitment.marking import appeals, rules
from lms.recruitment.marking.models import (
    Mark,
    Marker,
    MarkingRound,
    MarkingState,
    MarkTurn,
    Paper,
    PaperSource,
)
from lms.recruitment.marking.rounds import (  # noqa: F401 (round_of, at_least: used by views)
    _markers,
    at_least,
    give_to_another_marker,
    parse_mark,
    round_of,
)
from lms.recruitment.models import Candidate, ExamAttempt, ExamSession, ResultKind


def _require_state(marking_round: MarkingRound, *states: str) -> None:
    if marking_round.state not in states:
        raise RuleViolation(_("This cannot be done at this stage of the marking."), "state")


def appoint_marker(recruitment, username: str, actor) -> Marker:
    """Appoint the user `username` to mark the recruitment's papers (idempotent); papers waiting
    for a third or an appeal marker get one. Raises ValidationFailed for an unknown or disabled
    account or a candidate's account."""
    marking_round = round_of(recruitment, create=True)
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.is_enabled or "candidate" in user.roles():
        raise ValidationFailed([("username", _("No staff account has this username."))])
    marker = db.session.scalar(
        select(Marker).where(Marker.round_id == marking_round.id, Marker.user_id == user.id)
    )
    if marker is None:
        marker = Marker(round_id=marking_round.id, user_id=user.id)
        add_recorded(marker, actor, "recruitment.marker_appointed", "recruitment",
                     recruitment.code, after={"marker": user.username})  # fmt: skip
        _assign_waiting(marking_round)
    return marker


def _answer_text(attempt: ExamAttempt) -> str:
    """The written answers of a computer paper of round 2, one block per question."""
    parts = [
        (slot.response or {}).get("text", "")
        for slot in attempt.slots
        if (slot.response or {}).get("text")
    ]
    return "\n\n".join(parts)


def open_marking(recruitment, actor) -> int:
    """Open the marking: one paper per candidate who sat a round-2 paper (its typed answers),
    each under a fresh random code, and the scanned handwritten papers uploaded before (their
    codes given at upload), each given to two different markers in turn. Returns the number
    of papers. Raises RuleViolation when not in draft or with fewer than two markers."""
    marking_round = round_of(recruitment, create=True)
    _require_state(marking_round, MarkingState.DRAFT)
    markers = _markers(marking_round)
    if len(markers) < 2:
        raise RuleViolation(_("Appoint at least two markers first."), "markers")
    attempts = db.session.scalars(
        select(ExamAttempt)
        .join(ExamSession, ExamSession.id == ExamAttempt.session_id)
        .where(ExamSession.recruitment_id == recruitment.id, ExamSession.round == 2)
        .order_by(ExamAttempt.id)
    ).all()
    texts: dict[int, list[str]] = {}
    for attempt in attempts:  # one paper per candidate, whatever the number of sessions
        texts.setdefault(attempt.candidate_id, []).append(_answer_text(attempt))
    taken = set(db.session.scalars(select(Paper.code)))
    # Scanned handwritten papers already have theirs (lms.recruitment.marking.scans).
    papers = list(db.session.scalars(select(Paper).where(Paper.round_id == marking_round.id)))
    by_candidate = {p.candidate_id: p for p in papers}
    for candidate_id, parts in texts.items():
        if candidate_id in by_candidate:
            typed = "\n\n".join(part for part in parts if part)
            by_candidate[candidate_id].answer_text = typed
            continue
        code = rules.new_code(taken)
        taken.add(code)
        paper = Paper(
            round_id=marking_round.id,
            candidate_id=candidate_id,
            code=code,
            source=PaperSource.TYPED,
            answer_text="\n\n".join(part for part in parts if part),
        )
        db.session.add(paper)
        papers.append(paper)
    db.session.flush()
    # Markers by code order, which is random: nobody can tell a candidate from who marks them.
    papers.sort(key=lambda p: p.code)
    for index, paper in enumerate(papers):
        first = markers[index % len(markers)]
        second = markers[(index + 1) % len(markers)]
        db.session.add(Mark(paper_id=paper.id, marker_id=first, turn=MarkTurn.FIRST))
        db.session.add(Mark(paper_id=paper.id, marker_id=second, turn=MarkTurn.SECOND))
    marking_round.state = MarkingState.OPEN
    marking_round.opened_at = clock.now()
    db.session.flush()
    record(actor, "recruitment.marking_opened", "recruitment", recruitment.code,
           after={"papers": len(papers), "markers": len(markers)})  # fmt: skip
    return len(papers)


def _turns(paper: Paper) -> dict[str, Mark]:
    return {m.turn: m for m in paper.marks}


def _assign_waiting(marking_round: MarkingRound) -> None:
    """Papers that need a third marker (or an appeal's) and have none get one."""
    from lms.recruitment.marking.models import Appeal, AppealState

    papers = db.session.scalars(select(Paper).where(Paper.round_id == marking_round.id)).all()
    for paper in papers:
        turns = _turns(paper)
        first, second = turns.get(MarkTurn.FIRST), turns.get(MarkTurn.SECOND)
        if (
            first is not None
            and second is not None
            and first.mark is not None
            and second.mark is not None
            and MarkTurn.THIRD not in turns
            and rules.needs_third_marker(
                first.mark, second.mark, marking_round.maximum, marking_round.margin_percent
            )
        ):
            give_to_another_marker(paper, MarkTurn.THIRD)
    waiting = db.session.scalars(
        select(Paper)
        .join(Appeal, Appeal.paper_id == Paper.id)
        .where(Paper.round_id == marking_round.id, Appeal.state == AppealState.FILED)
    ).all()
    for paper in waiting:
        if MarkTurn.APPEAL not in _turns(paper):
            give_to_another_marker(paper, MarkTurn.APPEAL)


def submit_mark(mark: Mark, text: str, note: str, actor) -> Paper:
    """The marker's mark of one paper (once). Then the paper's mark by the rule: when both
    first marks are in and close, their mean; when they are far apart, a third marker is
    given the paper and their mark stands; an appeal's re-marking goes through
    lms.recruitment.marking.appeals. The marks reach the results log when the codes are opened
    (`reveal_codes`).
    Raises RuleViolation when marking is not open or the mark was already submitted."""
    paper = mark.paper
    marking_round = db.session.get(MarkingRound, paper.round_id)
    if mark.submitted_at is not None:
        raise RuleViolation(_("You have already submitted this mark."), "submitted")
    if mark.turn == MarkTurn.APPEAL:
        value = parse_mark(text, marking_round.maximum)
        return appeals.decide(mark, value, note, actor)
    _require_state(marking_round, MarkingState.OPEN)
    value = parse_mark(text, marking_round.maximum)
    mark.mark = value
    mark.note = (note or "").strip()[:2000]
    mark.submitted_at = clock.now()
    db.session.flush()
    record(actor, "recruitment.mark_submitted", "recruitment", marking_round.recruitment.code,
           after={"code": paper.code, "turn": mark.turn, "mark": value})  # fmt: skip
    _settle(paper, marking_round, actor)
    return paper


def _settle(paper: Paper, marking_round: MarkingRound, actor) -> None:
    turns = _turns(paper)
    marks = {turn: m.mark for turn, m in turns.items()}
    first, second = marks.get(MarkTurn.FIRST), marks.get(MarkTurn.SECOND)
    final = rules.written_mark(
        first, second, marks.get(MarkTurn.THIRD), marking_round.maximum,
        marking_round.margin_percent,
    )  # fmt: skip
    if final is None and first is not None and second is not None and MarkTurn.THIRD not in turns:
        give_to_another_marker(paper, MarkTurn.THIRD)
    if final is not None and final != paper.mark:
        paper.mark = final
        db.session.flush()


def _log_marks(marking_round: MarkingRound, actor) -> int:
    """Write each paper's mark, with every marker's, to its candidate's results log: done when
    the codes are opened, not as marks come in, because a results-log line (and its audit
    entry) names the candidate — written during marking, it would tie a code to a candidate."""
    papers = db.session.scalars(
        select(Paper).where(Paper.round_id == marking_round.id).order_by(Paper.id)
    ).all()
    for paper in papers:
        payload = {"code": paper.code, "mark": paper.mark, "maximum": marking_round.maximum}
        payload |= {m.turn: m.mark for m in paper.marks if m.mark is not None}
        results_log.append(
            paper.candidate_id, ResultKind.WRITTEN_MARK, payload, actor, system="marking"
        )
    return len(papers)


def close_marking(recruitment, actor) -> None:
    """Close the marking: refused while any paper has no mark (a mark or a third marker
    missing)."""
    marking_round = round_of(recruitment)
    if marking_round is None:
        raise RuleViolation(_("This cannot be done at this stage of the marking."), "state")
    _require_state(marking_round, MarkingState.OPEN)
    missing = db.session.scalar(
        select(func.count())
        .select_from(Paper)
        .where(Paper.round_id == marking_round.id, Paper.mark.is_(None))
    )
    if missing:
        raise RuleViolation(_("%(num)s papers have no mark yet.", num=missing), "unmarked")
    marking_round.state = MarkingState.CLOSED
    marking_round.closed_at = clock.now()
    db.session.flush()
    record(actor, "recruitment.marking_closed", "recruitment", recruitment.code)


def reveal_codes(recruitment, actor, address: str | None = None) -> None:
    """Open the mapping from codes to candidates (ráp phách), once marking is closed; the
    officer who did it and when are kept and audited, and each paper's mark goes to its
    candidate's results log."""
    marking_round = round_of(recruitment)
    if marking_round is None:
        raise RuleViolation(_("This cannot be done at this stage of the marking."), "state")
    _require_state(marking_round, MarkingState.CLOSED)
    marking_round.state = MarkingState.REVEALED
    marking_round.revealed_at = clock.now()
    marking_round.revealed_by_id = actor.id
    db.session.flush()
    papers = _log_marks(marking_round, actor)
    record(actor, "recruitment.codes_revealed", "recruitment", recruitment.code,
           after={"papers": papers}, address=address)  # fmt: skip


def candidate_of_code(marking_round: MarkingRound, code: str) -> Candidate | None:
    """The candidate behind a code — only once the codes are opened (None before)."""
    if not at_least(marking_round, MarkingState.REVEALED):
        return None
    return db.session.scalar(
        select(Candidate)
        .join(Paper, Paper.candidate_id == Candidate.id)
        .where(Paper.round_id == marking_round.id, Paper.code == code)
    )
