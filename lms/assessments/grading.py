"""Grading: automatic grading of a submitted attempt, the essay grades of a grader, regrading
after a question was corrected (audited), and the course completion that a passed test with
the lessons done gives (written in the same transaction). Services flush; callers commit."""

from decimal import Decimal

from sqlalchemy import func, select

from lms.assessments import bank, kinds, retake, scoring
from lms.assessments.models import GRADED, IN_PROGRESS, SUBMITTED, Attempt, AttemptSlot, Quiz
from lms.audit import services as audit
from lms.catalog.models import Course, Enrolment
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion, revoke_completion
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import ONLINE
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _


def source_ref(attempt: Attempt) -> str:
    """How a completion names the attempt it came from."""
    return f"attempt:{attempt.id}"


def _new_ref(attempt: Attempt) -> str:
    """The source_ref of a new completion from `attempt`: "attempt:<id>", or "attempt:<id>/2"…
    when completions from it were revoked before (record_completion is idempotent on the ref,
    and a regrade may pass an attempt again after it had failed)."""
    base = source_ref(attempt)
    earlier = db.session.scalar(
        select(func.count())
        .select_from(Completion)
        .where(
            Completion.source == ONLINE,
            (Completion.source_ref == base) | Completion.source_ref.like(base + "/%"),
        )
    )
    return base if not earlier else f"{base}/{earlier + 1}"


def _auto_fraction(slot: AttemptSlot) -> Decimal | None:
    question = bank.to_question(slot.question)
    return kinds.grade(question, slot.response, slot.question.options or {})


def _finish(attempt: Attempt) -> None:
    """Set the score when every question has a grade (else the attempt waits for a grader);
    an attempt that gets its final score now tells its official (once per attempt)."""
    score = scoring.percent((slot.mark, slot.fraction) for slot in attempt.slots)
    was_graded = attempt.status == GRADED
    attempt.percent = score
    attempt.passed = scoring.passed(score, attempt.quiz.pass_mark)
    if score is None:
        attempt.status, attempt.graded_at = SUBMITTED, None
    else:
        attempt.status, attempt.graded_at = GRADED, clock.now()
        if not was_graded:
            notify_graded(attempt)


def notify_graded(attempt: Attempt) -> None:
    """Notify the official's user account that the attempt is graded, with its score (key
    "attempt:<id>": a regrade or a corrected essay mark does not notify again)."""
    from lms.jobs import notify_official
    from lms.jobs.notifications import site_path

    course = attempt.quiz.course
    notify_official(
        attempt.official_id,
        "test_graded",
        f"attempt:{attempt.id}",
        {
            "course_code": course.code,
            "course_title": course.title,
            "course_title_en": course.title_en or course.title,
            "score": attempt.percent,
            "passed": bool(attempt.passed),
            "link": site_path("assessments.attempt_review", attempt_id=attempt.id),
        },
    )


def grade_attempt(attempt: Attempt, actor=None) -> None:
    """Grade a just-submitted attempt automatically; a passed one completes the course when
    the lessons are done. An essay leaves it waiting for a grader."""
    for slot in attempt.slots:
        slot.fraction = _auto_fraction(slot)
    _finish(attempt)
    db.session.flush()
    apply_completion(attempt, actor)


def active_completion(official_id: int, course_id: int) -> Completion | None:
    """The official's standing online completion of the course in their current window
    (retake.window: a completion before a renewal window or a new cycle of a repeatable course
    belongs to an earlier one), if any."""
    course = db.session.get(Course, course_id)
    opened_on = retake.window(official_id, course).opened_on
    stmt = select(Completion).where(
        Completion.official_id == official_id,
        Completion.course_id == course_id,
        Completion.source == ONLINE,
        Completion.source_ref.like("attempt:%"),
        Completion.revoked_at.is_(None),
    )
    if opened_on is not None:
        stmt = stmt.where(Completion.completed_on >= opened_on)
    return db.session.scalar(stmt.order_by(Completion.completed_on.desc(), Completion.id.desc()))


def _completion_from(attempt: Attempt) -> Completion | None:
    """The standing completion recorded from this attempt, in whichever window."""
    base = source_ref(attempt)
    return db.session.scalar(
        select(Completion).where(
            Completion.source == ONLINE,
            (Completion.source_ref == base) | Completion.source_ref.like(base + "/%"),
            Completion.revoked_at.is_(None),
        )
    )


def _lessons_done(official_id: int, course_id: int) -> bool:
    done = db.session.scalar(
        select(Enrolment.lessons_done_at).where(
            Enrolment.official_id == official_id, Enrolment.course_id == course_id
        )
    )
    return done is not None


def _best_passed(quiz: Quiz, official_id: int) -> Attempt | None:
    """The official's best passed attempt of their current window (an attempt passed before a
    renewal window opened renews nothing)."""
    since = retake.window(official_id, quiz.course).since
    stmt = select(Attempt).where(
        Attempt.quiz_id == quiz.id,
        Attempt.official_id == official_id,
        Attempt.status == GRADED,
        Attempt.passed.is_(True),
    )
    if since is not None:
        stmt = stmt.where(Attempt.started_at >= since)
    return db.session.scalar(stmt.order_by(Attempt.percent.desc(), Attempt.id).limit(1))


def apply_completion(attempt: Attempt, actor=None) -> Completion | None:
    """Make the official's online completion of the course follow their attempts.

    A failed attempt whose completion exists has it revoked (credits reversed), in whichever
    window it was; then, when the lessons are done and a passed attempt of the current window
    (retake.window) exists with no completion in that window yet, the best one completes the
    course (completion, ledger credit as `rules.earns_credits` allows, certificate request).
    Returns the active completion of the current window.
    """
    quiz, official_id = attempt.quiz, attempt.official_id
    course_id = quiz.course_id
    own = _completion_from(attempt)
    if own is not None and not attempt.passed:
        revoke_completion(own, _("The test was regraded and is no longer passed."), actor)
    current = active_completion(official_id, course_id)
    if current is not None or not _lessons_done(official_id, course_id):
        return current
    best = _best_passed(quiz, official_id)
    if best is None:
        return None
    data = CompletionData(
        official_id=official_id,
        course_id=course_id,
        completed_on=clock.today(),
        source=ONLINE,
        source_ref=_new_ref(best),
        score=best.percent,
    )
    return record_completion(data, actor).completion


def lessons_finished(official_id: int, course_id: int, actor=None) -> Completion | None:
    """Call when an official finishes the lessons of a course (catalog's mark_done): a test
    passed before completes the course now. Returns the completion, if any."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course_id))
    if quiz is None:
        return None
    best = _best_passed(quiz, official_id)
    return apply_completion(best, actor) if best is not None else None


def own_attempt_message() -> str:
    return _("This is your own attempt: another grader marks it.")


def grade_essay(slot: AttemptSlot, fraction: Decimal, comment: str, actor) -> Attempt:
    """A grader's mark for an essay (0–1) with a comment (audited); when it was the last
    ungraded question the attempt gets its score and completion.

    Raises RuleViolation for an attempt still in progress or the grader's own attempt (its mark
    decides their own credits: separation of duties), ValidationFailed for a mark out of range.
    """
    attempt = slot.attempt
    if attempt.status == IN_PROGRESS:
        raise RuleViolation(_("The attempt is still in progress."), "in_progress")
    if ledger.is_own_record(actor, attempt.official_id):  # the mark decides their own credits
        raise RuleViolation(own_attempt_message(), "own_record")
    if not (Decimal(0) <= fraction <= Decimal(1)):
        raise ValidationFailed([("mark", _("The mark is between 0 and the question's mark."))])
    before = {"fraction": slot.fraction, "comment": slot.comment, "percent": attempt.percent}
    slot.fraction, slot.comment = fraction, comment.strip()
    slot.graded_by_id = getattr(actor, "id", None)
    _finish(attempt)
    db.session.flush()
    after = {"fraction": slot.fraction, "comment": slot.comment, "percent": attempt.percent}
    audit.record(actor, "attempt.grade", "attempt_slot", slot.id, *audit.diff(before, after))
    apply_completion(attempt, actor)
    return attempt


def regrade(quiz: Quiz, actor, question_ids: set[int] | None = None) -> list[Attempt]:
    """Grade every submitted attempt of the test again with the questions as they are now
    (after a correction); an essay keeps its grader's mark. Each changed score is audited, and
    completions follow the new results (revoked with credits reversed, or recorded). Returns
    the attempts whose score changed."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.status.in_((SUBMITTED, GRADED)))
        .order_by(Attempt.id)
    ).all()
    changed = []
    for attempt in attempts:
        before = {"percent": attempt.percent, "passed": attempt.passed}
        for slot in attempt.slots:
            if question_ids is not None and slot.question_id not in question_ids:
                continue
            if slot.question.kind == "essay" and slot.graded_by_id is not None:
                continue
            slot.fraction = _auto_fraction(slot)
        _finish(attempt)
        db.session.flush()
        after = {"percent": attempt.percent, "passed": attempt.passed}
        if after != before:
            changed.append(attempt)
            audit.record(actor, "attempt.regrade", "attempt", attempt.id, before, after)
        apply_completion(attempt, actor)
    return changed
