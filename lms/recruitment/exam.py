"""The computer-based round: a candidate starts their paper (inside the session window, with the
room's session code, from an allowed network), answers with autosave, submits (or is submitted
at the deadline); multiple choice is graded at once with the question kinds of lms.assessments,
and the score goes to the results log. Invigilators add time for incidents."""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms.assessments import bank, kinds, scoring
from lms.assessments.attempts import autosave_statements, store_shown_answers
from lms.assessments.models import BankQuestion
from lms.audit.services import add_recorded, record
from lms.common import clock
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import results_log, rules
from lms.recruitment.models import (
    Candidate,
    ExamAttempt,
    ExamAttemptStatus,
    ExamSession,
    ExamSlot,
    Incident,
    SeatAssignment,
)

IN_PROGRESS, SUBMITTED = ExamAttemptStatus
CENT = Decimal("0.01")


def reason_text(reason: str) -> str:
    """What a candidate reads when they may not start (rules.why_not_start's reasons)."""
    return {
        rules.NOT_SEATED: _("You have no seat in an exam session now."),
        rules.NOT_YET: _("Your exam session has not started yet."),
        rules.OVER: _("Your exam session is over."),
        rules.BAD_CODE: _("The session code is not right. Ask the invigilator for it."),
        rules.BAD_NETWORK: _("The exam can only be taken from the computers of the exam room."),
        rules.DONE: _("You have submitted your paper."),
    }.get(reason, reason)


def seat_of(candidate: Candidate, now: datetime | None = None) -> SeatAssignment | None:
    """The candidate's seat in the session of round 1 that is running now, else the next one,
    else the last one (what their exam page shows)."""
    now = now or clock.now()
    seats = db.session.scalars(
        select(SeatAssignment)
        .join(ExamSession, ExamSession.id == SeatAssignment.session_id)
        .where(SeatAssignment.candidate_id == candidate.id, ExamSession.round == 1)
        .order_by(ExamSession.starts_at)
    ).all()
    running = [s for s in seats if s.session.starts_at <= now < s.session.ends_at]
    coming = [s for s in seats if s.session.starts_at > now]
    return (running or coming or seats[-1:] or [None])[0]


def attempt_of(session_id: int, candidate_id: int) -> ExamAttempt | None:
    """The candidate's paper in the session, or None."""
    return db.session.scalar(
        select(ExamAttempt).where(
            ExamAttempt.session_id == session_id, ExamAttempt.candidate_id == candidate_id
        )
    )


def bank_items(session: ExamSession) -> list[rules.BankItem]:
    """The live (not retired) questions of the session's bank, as the blueprint sees them."""
    if session.bank_course_id is None:
        return []
    rows = db.session.scalars(
        select(BankQuestion)
        .where(BankQuestion.course_id == session.bank_course_id, BankQuestion.retired_at.is_(None))
        .order_by(BankQuestion.position, BankQuestion.id)
    )
    return [rules.BankItem(r.id, r.category.path or "", tuple(r.tags or ())) for r in rows]


def start(seat: SeatAssignment, code_given: str, address: str | None, rng=None) -> ExamAttempt:
    """Start the candidate's paper, or return the one in progress (the same code is asked again
    after a browser restart). Raises RuleViolation with the reason (reason_text) when they may
    not. Each candidate gets their own draw and order; the deadline is rules.paper_deadline."""
    session, now = seat.session, clock.now()
    existing = attempt_of(session.id, seat.candidate_id)
    if existing is not None and existing.status == IN_PROGRESS and close_if_overdue(existing):
        existing = attempt_of(session.id, seat.candidate_id)
    allowed = rules.address_allowed(address, session.allowed_networks)
    reason = rules.why_not_start(
        now,
        session.starts_at,
        session.ends_at,
        code_given,
        session.code,
        allowed,
        submitted=existing is not None and existing.status == SUBMITTED,
    )
    if reason:
        raise RuleViolation(reason_text(reason), reason)
    if existing is not None:
        return existing
    rng = rng or random.SystemRandom()
    ids = rules.draw_paper(bank_items(session), session.blueprint or [], rng)
    if not ids:
        raise RuleViolation(_("The paper of this session has no questions yet."), "empty")
    questions = {
        q.id: q for q in db.session.scalars(select(BankQuestion).where(BankQuestion.id.in_(ids)))
    }
    deadline = rules.paper_deadline(
        now, session.duration_minutes, session.ends_at, seat.extra_minutes
    )
    try:
        with db.session.begin_nested():
            attempt = ExamAttempt(
                session_id=session.id,
                candidate_id=seat.candidate_id,
                status=IN_PROGRESS,
                started_at=now,
                deadline_at=deadline,
                ip_address=(address or "")[:64],
            )
            db.session.add(attempt)
            db.session.flush()
            for position, qid in enumerate(ids, 1):
                question = bank.to_question(questions[qid])
                db.session.add(
                    ExamSlot(
                        attempt_id=attempt.id,
                        question_id=qid,
                        position=position,
                        shown=kinds.kind_of(question).shown(question, rng, True),
                        mark=scoring.mark_of(question),
                    )
                )
            db.session.flush()
    except IntegrityError:
        winner = attempt_of(session.id, seat.candidate_id)
        if winner is None:
            raise RuleViolation(_("Please try again."), "busy") from None
        return winner
    record(
        None,
        "recruitment.exam_started",
        "candidate",
        seat.candidate.number,
        after={"session": session.id, "address": address or ""},
    )
    return attempt


def is_overdue(attempt: ExamAttempt, now: datetime | None = None) -> bool:
    """Whether the paper's deadline has come (answers from that moment on are refused)."""
    return (now or clock.now()) >= attempt.deadline_at


def close_if_overdue(attempt: ExamAttempt) -> bool:
    """Submit a paper whose deadline has come, with the answers saved before it; True if so."""
    if attempt.status == IN_PROGRESS and is_overdue(attempt):
        return submit(attempt, auto=True)
    return False


@dataclass(frozen=True)
class Saved:
    """What a save did: answers changed, or `closed` (the paper is over: nothing stored)."""

    changed: int
    closed: bool
    deadline_at: datetime | None = None
    at: datetime | None = None


_AUTOSAVE = autosave_statements(ExamAttempt, ExamSlot, "candidate_id")


def save(attempt_id: int, candidate_id: int, form) -> Saved:
    """Store the answers a page shows (its `slots` field) as they are now: the autosave and the
    page's POST, in the three statements of a test's autosave (attempts.store_shown_answers): a
    conditional UPDATE that takes the paper's row lock (this candidate's, in progress, before
    its deadline), one read of its slots, one UPDATE of the answers that changed. `closed` when
    the paper is over (an overdue one is submitted with the answers saved before)."""
    now = clock.now()
    stored = store_shown_answers(_AUTOSAVE, attempt_id, candidate_id, form, now)
    if stored is None:
        attempt = db.session.get(ExamAttempt, attempt_id)
        if attempt is not None and attempt.candidate_id == candidate_id:
            close_if_overdue(attempt)
        return Saved(0, True)
    changed, deadline_at = stored
    return Saved(changed, False, deadline_at, now)


def _grade(attempt: ExamAttempt) -> tuple[Decimal, Decimal]:
    """Grade every question (automatic kinds; an essay of round 1 counts 0 here) and return
    (score, maximum) in marks."""
    score = maximum = Decimal(0)
    for slot in attempt.slots:
        question = bank.to_question(slot.question)
        if not question.is_graded:
            continue
        fraction = kinds.grade(question, slot.response, slot.question.options or {})
        slot.fraction = fraction
        maximum += Decimal(slot.mark)
        score += Decimal(slot.mark) * (fraction or 0)
    return score.quantize(CENT), maximum.quantize(CENT)


def submit(attempt: ExamAttempt, actor=None, auto: bool = False) -> bool:
    """Submit and grade the paper and write the score to the results log; False when it was
    submitted already (another tab, the deadline), in which case nothing happens. The status
    changes by one conditional UPDATE, so of two submits at once exactly one grades."""
    now = clock.now()
    changed = db.session.execute(
        update(ExamAttempt)
        .where(ExamAttempt.id == attempt.id, ExamAttempt.status == IN_PROGRESS)
        .values(status=SUBMITTED, submitted_at=now, auto_submitted=auto)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    attempt.score, attempt.max_score = _grade(attempt)
    db.session.flush()
    payload = {
        "session_id": attempt.session_id,
        "subject": attempt.session.subject,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "questions": len(attempt.slots),
        "auto_submitted": auto,
    }
    results_log.append(attempt.candidate_id, "computer_score", payload, actor, system="exam")
    record(
        actor,
        "recruitment.exam_submitted",
        "candidate",
        attempt.candidate.number,
        after={"session": attempt.session_id, "score": attempt.score},
    )
    return True


def score_out_of_ten(attempt: ExamAttempt) -> Decimal | None:
    """The score on the 10-point scale candidates are told (None before grading)."""
    if attempt.score is None or not attempt.max_score:
        return None
    return (attempt.score * 10 / attempt.max_score).quantize(CENT)


def add_time(seat: SeatAssignment, minutes: int, note: str, actor) -> Incident:
    """Record an incident for a seated candidate with `minutes` added (0–120) to their time; the
    running paper's deadline moves too. Audited. Raises ValidationFailed on a bad value."""
    if not 0 <= minutes <= 120:
        raise ValidationFailed([("minutes", _("Add between 0 and 120 minutes."))])
    if not (note or "").strip():
        raise ValidationFailed([("note", _("Describe the incident."))])
    seat.extra_minutes += minutes
    attempt = attempt_of(seat.session_id, seat.candidate_id)
    if attempt is not None and attempt.status == IN_PROGRESS and minutes:
        attempt.deadline_at = rules.paper_deadline(
            attempt.started_at,
            seat.session.duration_minutes,
            seat.session.ends_at,
            seat.extra_minutes,
        )
    incident = Incident(
        session_id=seat.session_id,
        candidate_id=seat.candidate_id,
        note=note.strip(),
        minutes_added=minutes,
        actor_id=actor.id,
        created_at=clock.now(),
    )
    add_recorded(
        incident,
        actor,
        "recruitment.incident_recorded",
        "exam_session",
        seat.session_id,
        after={"candidate": seat.candidate.number, "minutes": minutes, "note": note.strip()},
    )
    return incident


def close_overdue(limit: int = 1000) -> int:
    """Submit every paper whose deadline has passed (the nightly/minutely job); how many."""
    rows = db.session.scalars(
        select(ExamAttempt)
        .where(ExamAttempt.status == IN_PROGRESS, ExamAttempt.deadline_at <= clock.now())
        .limit(limit)
    ).all()
    return sum(1 for attempt in rows if submit(attempt, auto=True))
