"""The review of a submitted attempt: which parts its viewer sees now (the test's review
options at the review moment, lms.assessments.rules; staff see everything) and the review
itself, for the page and as JSON. Nothing of a part that is hidden leaves this module."""

from decimal import Decimal

from sqlalchemy import func, select

from lms.assessments import bank, kinds, rules
from lms.assessments.kinds_cloze import Cloze, gap_fractions, learner_text
from lms.assessments.models import IN_PROGRESS, Attempt, Quiz
from lms.assessments.quizzes import terms_of
from lms.common import clock
from lms.extensions import db
from lms.i18n import _

CORRECT, PARTIAL, WRONG, UNGRADED = "correct", "partial", "wrong", "ungraded"


def is_finished(quiz: Quiz, official_id: int) -> bool:
    """Whether the official can never start another attempt: every allowed attempt (with their
    override's extra ones) is used and none is running."""
    terms = terms_of(quiz, official_id)
    if not terms.max_attempts:
        return False
    used, running = db.session.execute(
        select(
            func.count(Attempt.id),
            func.count(Attempt.id).filter(Attempt.status == IN_PROGRESS),
        ).where(Attempt.quiz_id == quiz.id, Attempt.official_id == official_id)
    ).one()
    return used >= terms.max_attempts and not running


def moment_of(attempt: Attempt, now=None) -> str:
    """The review moment of the attempt's own learner now."""
    quiz = attempt.quiz
    terms = terms_of(quiz, attempt.official_id)
    return rules.review_moment(
        attempt.submitted_at,
        now or clock.now(),
        terms.closes_at,
        is_finished(quiz, attempt.official_id),
    )


def parts_by_attempt(
    quiz: Quiz, official_id: int, mine: list[Attempt], staff: bool, now=None
) -> dict[int, frozenset[str]]:
    """The visible parts of each submitted attempt of the official (`mine`: all their
    attempts on the test), in one read of their terms (the test page lists them)."""
    if staff:
        return {a.id: frozenset(rules.REVIEW_PARTS) for a in mine if a.status != IN_PROGRESS}
    terms = terms_of(quiz, official_id)
    running = any(a.status == IN_PROGRESS for a in mine)
    finished = bool(terms.max_attempts) and len(mine) >= terms.max_attempts and not running
    now = now or clock.now()
    return {
        a.id: rules.review_parts(
            quiz.review, rules.review_moment(a.submitted_at, now, terms.closes_at, finished)
        )
        for a in mine
        if a.status != IN_PROGRESS
    }


def visible_parts(attempt: Attempt, staff: bool, now=None) -> frozenset[str]:
    """The parts of the review its viewer sees now (`staff`: all of them)."""
    if staff:
        return frozenset(rules.REVIEW_PARTS)
    return rules.review_parts(attempt.quiz.review, moment_of(attempt, now))


def answers_later(attempt: Attempt, parts: frozenset[str]) -> bool:
    """Whether the right answers, hidden now, will be shown after close or the last attempt."""
    after_close = rules.review_parts(attempt.quiz.review, rules.AFTER_CLOSE)
    return rules.ANSWERS not in parts and rules.ANSWERS in after_close


def correctness(fraction: Decimal | None) -> str:
    """Right, partly right, wrong, or not graded yet."""
    if fraction is None:
        return UNGRADED
    if fraction >= 1:
        return CORRECT
    return PARTIAL if fraction > 0 else WRONG


def correctness_label(state: str) -> str:
    """The word shown for a question's correctness (Đúng/Sai/…, never True/False)."""
    return {
        CORRECT: _("Correct"),
        PARTIAL: _("Partially correct"),
        WRONG: _("Incorrect"),
        UNGRADED: _("Not graded yet"),
    }[state]


def right_answer(question) -> list[str]:
    """The right answer(s); a true/false answer is stored as "True"/"False" (as Moodle writes
    it) and is shown in the reader's language (Đúng/Sai)."""
    right = kinds.kind_of(question).right_answer(question)
    if question.kind != kinds.TrueFalse.name:
        return right
    words = {"True": _("True"), "False": _("False")}
    return [words.get(text, text) for text in right]


def details(attempt: Attempt, parts: frozenset[str]) -> list[dict]:
    """Per question, what the viewer may see: the view (with the response only when the
    learner's answers are shown), the correctness (and, for Cloze, each gap's, as Moodle marks
    every gap, when both the answers and the marks are shown), the mark, the feedback, the right
    answer."""
    rows = []
    for slot in attempt.slots:
        question = bank.to_question(slot.question)
        response = slot.response if rules.RESPONSES in parts else None
        view = kinds.kind_of(question).view(question, slot.shown or {}, response)
        gaps = []
        if question.kind == Cloze.name and rules.MARKS in parts and rules.RESPONSES in parts:
            gaps = [correctness(f) for f in gap_fractions(question, slot.response)]
        feedback = []
        if rules.FEEDBACK in parts:
            feedback = kinds.feedback(question, slot.response, slot.question.options)
        rows.append(
            {
                "slot": slot,
                "question": question,
                "view": view,
                "graded": question.is_graded,
                "correctness": correctness(slot.fraction) if rules.MARKS in parts else None,
                "gaps": gaps,
                "right": right_answer(question) if rules.ANSWERS in parts else [],
                "feedback": feedback,
                "general_feedback": question.general_feedback if rules.FEEDBACK in parts else "",
            }
        )
    return rows


def _number(value) -> str | None:
    return None if value is None else str(value)


def as_json(attempt: Attempt, parts: frozenset[str]) -> dict:
    """The review as JSON: only the visible parts (hidden ones are absent, not null)."""
    body = {
        "attempt": attempt.number,
        "status": attempt.status,
        "submitted_at": attempt.submitted_at.isoformat() + "Z" if attempt.submitted_at else None,
        "shown": [p for p in rules.REVIEW_PARTS if p in parts],
    }
    if rules.SCORE in parts:
        body["percent"] = _number(attempt.percent)
        body["passed"] = attempt.passed
    questions = []
    for row in details(attempt, parts):
        slot, question = row["slot"], row["question"]
        item = {"position": slot.position, "kind": question.kind, "text": learner_text(question)}
        if rules.RESPONSES in parts:
            item["response"] = slot.response
        if row["correctness"] is not None and row["graded"]:
            item["correctness"] = row["correctness"]
        if row["gaps"]:
            item["gaps"] = row["gaps"]
        if rules.SCORE in parts and row["graded"]:
            earned = None if slot.fraction is None else slot.fraction * slot.mark
            item["mark"] = _number(earned if earned is None else earned.quantize(Decimal("0.01")))
            item["max_mark"] = _number(slot.mark)
        if rules.ANSWERS in parts:
            item["right_answers"] = row["right"]
        if rules.FEEDBACK in parts:
            item["feedback"] = row["feedback"]
            item["general_feedback"] = row["general_feedback"]
        questions.append(item)
    body["questions"] = questions
    return body
