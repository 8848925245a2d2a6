"""Taking a test: start (or resume) an attempt, save answers as they change, submit once, and
close attempts whose deadline passed. The server clock (`clock.now()`) is the only clock.
Services flush and raise RuleViolation; routes commit."""

import random
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, Update, bindparam, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError

from lms.assessments import bank, kinds, retake, rules, scoring
from lms.assessments.models import (
    IN_PROGRESS,
    SUBMITTED,
    Attempt,
    AttemptSlot,
    BankQuestion,
    Quiz,
)
from lms.assessments.quizzes import pool_of, terms_of
from lms.catalog.models import PUBLISHED
from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, format_exact

RESPONSE_FIELD = "r{slot}"  # a question's form field; matching items add "-N"
SLOTS_FIELD = "slots"  # the questions a submitted page showed (so clearing a choice counts)


def open_attempt(quiz: Quiz, official_id: int) -> Attempt | None:
    """The official's attempt in progress on this test, if any."""
    return db.session.scalar(
        select(Attempt).where(
            Attempt.quiz_id == quiz.id,
            Attempt.official_id == official_id,
            Attempt.status == IN_PROGRESS,
        )
    )


def attempts_of(quiz: Quiz, official_id: int) -> list[Attempt]:
    """The official's attempts on this test, first first."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.official_id == official_id)
            .order_by(Attempt.number)
        )
    )


def why_not_start(quiz: Quiz, official_id: int, now, pool: dict | None = None) -> str | None:
    """Why the official cannot start a new attempt now (None: they can): the test is not
    published, not open yet or closed (for them: their override may close it later), their
    attempts are used (counted in their current window: a renewal or a new cycle of a
    repeatable course opens a new one, retake.window), the delay after an attempt that did not
    pass is not over, or there are no questions. `pool`: the test's questions by category,
    when the caller has read them."""
    if quiz.course.status != PUBLISHED:
        return _("This test is not open.")
    terms = terms_of(quiz, official_id)
    window = rules.window_state(now, quiz.opens_at, terms.closes_at)
    if window == rules.NOT_YET:
        return _("This test opens at %(moment)s.", moment=format_exact(quiz.opens_at))
    if window == rules.CLOSED:
        return _("This test is closed.")
    used = attempts_used(quiz, official_id)
    last = db.session.scalar(
        select(func.max(Attempt.number)).where(
            Attempt.quiz_id == quiz.id, Attempt.official_id == official_id
        )
    )
    if terms.max_attempts and used >= terms.max_attempts:
        return _("You have used all your attempts.")
    if last is not None and quiz.delay_minutes:
        previous = db.session.scalar(
            select(Attempt).where(
                Attempt.quiz_id == quiz.id,
                Attempt.official_id == official_id,
                Attempt.number == last,
            )
        )
        opens = rules.reopens_at(previous.submitted_at, previous.passed, quiz.delay_minutes)
        if opens is not None and now < opens:
            return _("You can start a new attempt from %(moment)s.", moment=format_exact(opens))
    if not (_pool(quiz) if pool is None else pool):
        return _("This test has no questions yet.")
    return None


def _pool(quiz: Quiz) -> dict[str, list[int]]:
    return pool_of(quiz.course_id)


def attempts_used(quiz: Quiz, official_id: int) -> int:
    """The attempts that count against the test's limit: those of the official's current
    window (retake.window: since a renewal or a new cycle opened it; all when none)."""
    since = retake.window(official_id, quiz.course).since
    return db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.quiz_id == quiz.id,
            Attempt.official_id == official_id,
            Attempt.started_at >= since if since is not None else true(),
        )
    )


def attempts_left(quiz: Quiz, official_id: int) -> int | None:
    """How many attempts the official may still start (None: no limit)."""
    limit = terms_of(quiz, official_id).max_attempts
    return max(limit - attempts_used(quiz, official_id), 0) if limit else None


def attempts_since(quiz_id: int, official_id: int, since: datetime) -> list[Attempt]:
    """The official's attempts at the test started at or after `since`, first first (an
    in-person class's final test counts those from the class's first day)."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(
                Attempt.quiz_id == quiz_id,
                Attempt.official_id == official_id,
                Attempt.started_at >= since,
            )
            .order_by(Attempt.number)
        )
    )


def start_attempt(quiz: Quiz, official_id: int, rng: random.Random | None = None) -> Attempt:
    """Start a new attempt, or return the one in progress (one open attempt per official).

    Draws the questions and fixes the shown order of their answers and the deadline. Two starts
    at once give one attempt: the unique indexes refuse the second insert, which then returns
    the first one.

    Raises RuleViolation when the test is not open, closed, has no questions, no attempts
    are left, or the delay after the last attempt is not over (why_not_start).
    """
    now = clock.now()
    existing = open_attempt(quiz, official_id)
    if existing is not None:
        close_if_overdue(existing)
        if existing.status == IN_PROGRESS:
            return existing
    pool = _pool(quiz)
    reason = why_not_start(quiz, official_id, now, pool)
    if reason:
        raise RuleViolation(reason, "cannot_start")
    rng = rng or random.SystemRandom()
    ids = scoring.draw(pool, quiz.draws or {}, quiz.question_count, rng, quiz.shuffle_questions)
    number = 1 + (
        db.session.scalar(
            select(func.max(Attempt.number)).where(
                Attempt.quiz_id == quiz.id, Attempt.official_id == official_id
            )
        )
        or 0
    )
    terms = terms_of(quiz, official_id)
    deadline = scoring.deadline(now, quiz.time_limit_minutes, terms.extra_minutes, terms.closes_at)
    rows = db.session.scalars(select(BankQuestion).where(BankQuestion.id.in_(ids)))
    questions = {row.id: row for row in rows}
    try:
        with db.session.begin_nested():
            attempt = Attempt(
                quiz_id=quiz.id,
                official_id=official_id,
                number=number,
                status=IN_PROGRESS,
                started_at=now,
                deadline_at=deadline,
            )
            db.session.add(attempt)
            db.session.flush()
            for position, qid in enumerate(ids, 1):
                question = bank.to_question(questions[qid])
                db.session.add(
                    AttemptSlot(
                        attempt_id=attempt.id,
                        question_id=qid,
                        position=position,
                        shown=kinds.kind_of(question).shown(question, rng, quiz.shuffle_answers),
                        mark=scoring.mark_of(question),
                    )
                )
            db.session.flush()
    except IntegrityError:
        winner = open_attempt(quiz, official_id)
        if winner is None:
            raise RuleViolation(_("Please try again."), "busy") from None
        return winner
    return attempt


def is_overdue(attempt: Attempt, now=None) -> bool:
    """Whether the attempt's deadline has passed."""
    now = now or clock.now()
    return attempt.deadline_at is not None and now >= attempt.deadline_at


@dataclass(frozen=True)
class Saved:
    """The outcome of saving: `closed` when the attempt was already over (answers refused);
    `at` the moment stored as the attempt's `saved_at`, beside the attempt's deadline."""

    changed: int
    closed: bool
    at: datetime | None = field(default=None, compare=False)
    deadline_at: datetime | None = field(default=None, compare=False)


def form_values(form, slot_id: int, shown: dict | None) -> dict[str, list[str]]:
    """The fields of one question from a submitted form (a MultiDict or a dict of lists)."""
    name = RESPONSE_FIELD.format(slot=slot_id)
    getlist = form.getlist if hasattr(form, "getlist") else (lambda k: form.get(k, []))
    values = {"": getlist(name)}
    for n in range(len((shown or {}).get("answers", []))):
        values[f"-{n}"] = getlist(f"{name}-{n}")
    return values


def shown_slot_ids(form) -> set[int]:
    """The slots a submitted page showed (its `slots` field): a cleared choice sends no field
    of its own, so only these are read back."""
    getlist = form.getlist if hasattr(form, "getlist") else (lambda k: form.get(k, []))
    return {int(v) for v in getlist(SLOTS_FIELD) if v.isascii() and v.isdigit() and len(v) < 12}


def read_response(kind: str, slot_id: int, shown: dict | None, form) -> dict | None:
    """One question's response as the form now holds it."""
    return kinds.REGISTRY[kind].read(shown or {}, form_values(form, slot_id, shown))


def save_responses(attempt: Attempt, form) -> Saved:
    """Store the answers of the questions a page showed (its `slots` field) as they are now,
    through the attempt's loaded slots (the page's POST, which may go on to submit).

    After the deadline nothing is stored: the attempt is submitted with the answers saved
    before it (auto-submit), and `closed` is returned. An attempt no longer in progress also
    returns `closed`.
    """
    if attempt.status != IN_PROGRESS or close_if_overdue(attempt):
        return Saved(0, True)
    shown_ids = shown_slot_ids(form)
    changed = 0
    for slot in attempt.slots:
        if slot.id not in shown_ids:
            continue
        response = read_response(slot.question.kind, slot.id, slot.shown, form)
        if response != slot.response:
            slot.response = response
            changed += 1
    attempt.saved_at = clock.now()
    db.session.flush()
    return Saved(changed, False, attempt.saved_at, attempt.deadline_at)


@dataclass(frozen=True)
class AutosaveStatements:
    """The autosave's three statements on one pair of tables, an attempt and its slots (a test's
    here, a recruitment exam paper's in lms.recruitment.exam), built once: Core statements with
    bound parameters, so that each request skips building, ORM-compiling and keying them again.
    Used through `store_shown_answers`."""

    lock: Update  # takes the attempt's row lock if it is its owner's, in progress, not overdue
    slots: Select  # the attempt's slots with their question's kind
    write: Update  # one slot's response (run as an executemany)


def autosave_statements(attempt_model, slot_model, owner_column: str) -> AutosaveStatements:
    """The autosave statements for an attempt model (with `status`, `deadline_at`, `saved_at`
    and the owner's key column `owner_column`) and its slot model (`attempt_id`, `shown`,
    `response`, `question_id` to the bank)."""
    attempts, slots, questions = (
        attempt_model.__table__,
        slot_model.__table__,
        BankQuestion.__table__,
    )
    lock = (
        attempts.update()
        .where(
            attempts.c.id == bindparam("attempt"),
            attempts.c[owner_column] == bindparam("owner"),
            attempts.c.status == IN_PROGRESS,
            or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at > bindparam("now")),
        )
        .values(saved_at=bindparam("now", type_=attempts.c.saved_at.type))
        .returning(attempts.c.deadline_at)
    )
    # The question's kind by primary key for each slot, not a join: while the slots table has no
    # statistics (a new database, or autovacuum off), PostgreSQL planned the join as a hash of
    # the whole question bank, 1.5 ms a save (docs/performance.md).
    read_slots = select(
        slots.c.id,
        slots.c.shown,
        slots.c.response,
        select(questions.c.kind)
        .where(questions.c.id == slots.c.question_id)
        .scalar_subquery()
        .label("kind"),
    ).where(slots.c.attempt_id == bindparam("attempt"))
    write = (
        slots.update()
        .where(slots.c.id == bindparam("slot"))
        .values(response=bindparam("response", type_=slots.c.response.type))
    )
    return AutosaveStatements(lock, read_slots, write)


def store_shown_answers(
    statements: AutosaveStatements, attempt_id: int, owner_id: int, form, now: datetime
) -> tuple[int, datetime | None] | None:
    """Store the answers a page showed (its `slots` field) in three statements and no ORM
    objects; (answers changed, the attempt's deadline), or None when the attempt is not its
    owner's, not in progress or past its deadline (nothing stored).

    1. A conditional UPDATE of the attempt's `saved_at` (the owner's, in progress, before its
       deadline) takes its row lock, so a submit that comes at the same moment waits and
       then grades these answers.
    2. One read of the attempt's slots with their question's kind (reading a response needs
       only the kind and the shown order); those the page did not show are skipped.
    3. One UPDATE (executemany) of the responses that changed.
    """
    head = db.session.execute(
        statements.lock, {"attempt": attempt_id, "owner": owner_id, "now": now}
    ).one_or_none()
    if head is None:
        return None
    changes = []
    shown_ids = shown_slot_ids(form)
    if shown_ids:
        # All the attempt's slots (tens of rows), filtered here: the page's list of slot ids is
        # the client's, and as SQL parameters it could be any length.
        for slot_id, shown, stored, kind in db.session.execute(
            statements.slots, {"attempt": attempt_id}
        ):
            if slot_id not in shown_ids:
                continue
            response = read_response(kind, slot_id, shown, form)
            if response != stored:
                changes.append({"slot": slot_id, "response": response})
    if changes:
        db.session.execute(statements.write, changes)
    return len(changes), head.deadline_at


_AUTOSAVE = autosave_statements(Attempt, AttemptSlot, "official_id")


def autosave(attempt_id: int, official_id: int, form) -> Saved | None:
    """The page's autosave, the request test takers send most (one every few seconds each):
    the same answers as `save_responses`, in three statements and no ORM objects
    (`store_shown_answers`).

    None when no such attempt is open: the caller then answers through `save_responses`,
    which tells a closed attempt from an overdue one (and submits that).
    """
    now = clock.now()
    stored = store_shown_answers(_AUTOSAVE, attempt_id, official_id, form, now)
    if stored is None:
        return None
    changed, deadline_at = stored
    return Saved(changed, False, now, deadline_at)


def submit(attempt: Attempt, actor=None, auto: bool = False) -> bool:
    """Submit the attempt and grade it; False when it was already submitted (by another tab,
    or the deadline job), in which case nothing happens. The status changes through one
    conditional UPDATE, so of two submits at once exactly one grades."""
    from lms.assessments.grading import grade_attempt

    now = clock.now()
    at = min(now, attempt.deadline_at) if attempt.deadline_at else now
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == IN_PROGRESS)
        .values(status=SUBMITTED, submitted_at=at, auto_submitted=auto)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    grade_attempt(attempt, actor)
    return True


def close_if_overdue(attempt: Attempt) -> bool:
    """Auto-submit an attempt in progress whose deadline passed; True when it is over."""
    if attempt.status == IN_PROGRESS and is_overdue(attempt):
        submit(attempt, None, auto=True)
        return True
    return attempt.status != IN_PROGRESS


def close_overdue_attempts(limit: int = 1000) -> int:
    """Submit every attempt still in progress after its deadline (for a periodic job);
    returns how many this call submitted."""
    overdue = db.session.scalars(
        select(Attempt)
        .where(Attempt.status == IN_PROGRESS, Attempt.deadline_at <= clock.now())
        .order_by(Attempt.id)
        .limit(limit)
    ).all()
    return sum(1 for attempt in overdue if submit(attempt, None, auto=True))
