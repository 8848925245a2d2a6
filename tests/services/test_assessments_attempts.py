"""Attempts, grading and completion with a database: the server clock, saved answers, one open
attempt, the deadline (auto-submit, late answers refused), extra time, a single grading of two
submits, completion in the same transaction, essays, regrade with revocation, statistics."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms.assessments import attempts, bank, grading, kinds, queries, quizzes
from lms.assessments.models import GRADED, IN_PROGRESS, SUBMITTED, Attempt
from lms.audit.models import AuditEntry
from lms.catalog import enrolments
from lms.curricula.completions.models import CERT_ISSUED, CERT_REQUESTED, Completion
from lms.curricula.ledger.models import LedgerEntry
from lms.errors import RuleViolation
from lms.i18n import _
from lms.organisation.models import Official
from tests.factories import TEST_BANK, TEST_SETTINGS, make_test_course
from tests.past_cycles import assert_2025_stays_past, open_obligations

START = datetime(2026, 3, 2, 2, 0)  # 09:00 in Đà Nẵng


def official_id(code="T-LEARN"):
    from lms.extensions import db

    return db.session.scalar(select(Official.id).where(Official.employee_code == code))


def finish_lessons(course, who=None):
    who = who or official_id()
    for lesson in course.active_lessons:
        enrolments.mark_done(who, lesson, mandatory=True)


def form_for(attempt, right=True, only=None):
    """The form a learner would post: every shown question answered right (or wrong)."""
    form = MultiDict()
    for slot in attempt.slots:
        if only is not None and slot.question.key not in only:
            continue
        form.add("slots", str(slot.id))
        question = bank.to_question(slot.question)
        name = f"r{slot.id}"
        if question.kind in ("short_answer", "numerical", "essay"):
            good = question.answers[0].text if question.answers else "Bài làm"
            form.add(name, good if right else "sai")
            continue
        for pos, index in enumerate(slot.shown["answers"]):
            if (question.answers[index].fraction == 1) == right:
                form.add(name, str(pos))
                break
    return form


@pytest.fixture
def course(world, assets_dir, freeze):
    freeze(START)
    return make_test_course()


@pytest.fixture
def quiz(course):
    return quizzes.quiz_of(course)


def test_start_draws_the_questions_and_fixes_the_deadline_by_the_server_clock(db, quiz):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(1))
    db.session.commit()
    assert attempt.number == 1 and attempt.status == IN_PROGRESS
    assert attempt.deadline_at == START + timedelta(minutes=20)
    assert sorted(slot.question.key for slot in attempt.slots) == ["L1", "L2", "N1", "S1"]
    assert attempts.start_attempt(quiz, official_id()).id == attempt.id  # resumed, not a new one
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_answers_are_saved_as_they_change_and_shown_again(db, quiz):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(2))
    saved = attempts.save_responses(attempt, form_for(attempt, only={"L1", "S1"}))
    db.session.commit()
    assert saved == attempts.Saved(2, False)
    db.session.expire_all()
    slots = {slot.question.key: slot for slot in db.session.get(Attempt, attempt.id).slots}
    assert slots["S1"].response == {"text": "Hà Nội"}
    question = bank.to_question(slots["L1"].question)
    view = kinds.kind_of(question).view(question, slots["L1"].shown, slots["L1"].response)
    assert [o.text for o in view.options if o.checked] == ["2010"]
    # A page that shows L1 again without a choice clears it; questions not on the page stay.
    attempts.save_responses(attempt, MultiDict([("slots", str(slots["L1"].id))]))
    assert slots["L1"].response is None and slots["S1"].response == {"text": "Hà Nội"}


def test_submit_grades_once_even_when_sent_twice(db, quiz):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(3))
    attempts.save_responses(attempt, form_for(attempt))
    assert attempts.submit(attempt) is True
    assert attempts.submit(attempt) is False
    db.session.commit()
    assert attempt.status == GRADED and attempt.percent == Decimal("100.00") and attempt.passed
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_answers_after_the_deadline_are_refused_and_the_attempt_is_submitted(db, quiz, freeze):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(4))
    attempts.save_responses(attempt, form_for(attempt, only={"L1"}))
    db.session.commit()
    freeze(START + timedelta(minutes=20, seconds=1))
    saved = attempts.save_responses(attempt, form_for(attempt))
    db.session.commit()
    assert saved.closed and saved.changed == 0
    assert attempt.status == GRADED and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.percent == Decimal("25.00") and attempt.passed is False  # only L1 counted


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [(timedelta(minutes=20, microseconds=-1), True), (timedelta(minutes=20), False)],
    ids=["just-before", "at-the-deadline"],
)
def test_an_answer_at_the_deadline_itself_is_refused_by_every_save(
    db, quiz, freeze, moment, accepted
):
    """The deadline is the first moment answers are refused (issue 20, survivor 3): the page's
    save, the autosave and the closing job agree on it, to the microsecond."""
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(4))
    db.session.commit()
    freeze(START + moment)
    autosaved = attempts.autosave(attempt.id, official_id(), form_for(attempt, only={"L1"}))
    assert (autosaved is not None) is accepted
    db.session.commit()
    saved = attempts.save_responses(attempt, form_for(attempt))
    db.session.commit()
    assert saved.closed is not accepted
    assert (attempt.status == IN_PROGRESS) is accepted
    assert attempts.is_overdue(attempt) is not accepted
    if accepted:
        assert saved.changed == 3  # L1 came with the autosave; the other three now
        assert attempts.close_overdue_attempts() == 0
    else:  # submitted at its deadline, with nothing from the late saves
        assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline_at
        assert attempt.percent == Decimal("0.00")


def test_the_closing_job_submits_an_attempt_at_its_deadline_itself(db, quiz, freeze):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(4))
    db.session.commit()
    freeze(START + timedelta(minutes=20, microseconds=-1))
    assert attempts.close_overdue_attempts() == 0
    freeze(START + timedelta(minutes=20))
    assert attempts.close_overdue_attempts() == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == GRADED


def test_overdue_attempts_are_closed_by_the_job(db, quiz, freeze, runner):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(4))
    db.session.commit()
    freeze(START + timedelta(hours=1))
    result = runner.invoke(args=["questions", "close-overdue"])
    assert "1" in result.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == GRADED


def test_extra_time_moves_a_running_attempt_at_once(db, quiz, freeze):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(5))
    db.session.commit()
    assert quizzes.set_extra_time(quiz, official_id(), 15, None) == 1
    assert attempt.deadline_at == START + timedelta(minutes=35)
    freeze(START + timedelta(minutes=30))
    assert not attempts.save_responses(attempt, form_for(attempt)).closed
    second = quizzes.extra_minutes(quiz, official_id())
    assert second == 15


def test_max_attempts_window_and_empty_bank_refuse_a_start(db, quiz, freeze):
    for seed in range(3):
        attempt = attempts.start_attempt(quiz, official_id(), random.Random(seed))
        attempts.submit(attempt)
    with pytest.raises(RuleViolation, match=_("You have used all your attempts.")):
        attempts.start_attempt(quiz, official_id())
    quiz.max_attempts = 0
    quiz.closes_at = START
    with pytest.raises(RuleViolation, match=_("This test is closed.")):
        attempts.start_attempt(quiz, official_id())


def test_a_test_closing_soon_ends_the_attempt_at_closing(db, quiz):
    quiz.closes_at = START + timedelta(minutes=5)
    attempt = attempts.start_attempt(quiz, official_id())
    assert attempt.deadline_at == START + timedelta(minutes=5)


def test_passing_with_lessons_done_completes_the_course_in_the_same_transaction(db, course, quiz):
    finish_lessons(course)
    db.session.commit()
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(6))
    attempts.save_responses(attempt, form_for(attempt))
    db.session.commit()
    attempts.submit(attempt)  # grade, completion, credit and certificate request: one flush
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 1
    assert db.session.scalar(select(Completion)).certificate_state == CERT_REQUESTED
    db.session.commit()  # the queue issues the requested certificate after the commit
    completion = db.session.scalar(select(Completion))
    assert completion.source == "online" and completion.source_ref == f"attempt:{attempt.id}"
    assert completion.score == Decimal("100.00") and completion.completed_on == START.date()
    assert completion.certificate_state == CERT_ISSUED
    entry = db.session.scalar(select(LedgerEntry))
    assert entry.credits == course.credits and entry.completion_id == completion.id


def test_passing_online_in_2026_leaves_the_2025_obligation_open(db, course, quiz):
    """Past cycles stay past: the online path (issue 20, survivor 5)."""
    ids = open_obligations(official_id(), course.id)
    finish_lessons(course)
    db.session.commit()
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(6))
    attempts.save_responses(attempt, form_for(attempt))
    attempts.submit(attempt)
    db.session.commit()
    assert db.session.scalar(select(Completion)).completed_on == START.date()
    assert_2025_stays_past(ids, official_id(), met_in_2026=True)


def test_a_test_passed_before_the_lessons_completes_when_they_are_finished(db, course, quiz):
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(7))
    attempts.save_responses(attempt, form_for(attempt))
    attempts.submit(attempt)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 0
    finish_lessons(course)
    completion = grading.lessons_finished(official_id(), course.id)
    db.session.commit()
    assert completion.source_ref == f"attempt:{attempt.id}"
    assert grading.lessons_finished(official_id(), course.id).id == completion.id  # once


def test_a_failed_attempt_gives_no_completion(db, course, quiz):
    finish_lessons(course)
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(8))
    attempts.save_responses(attempt, form_for(attempt, right=False))
    attempts.submit(attempt)
    assert attempt.passed is False and attempt.percent == Decimal("0.00")
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 0


def test_regrade_after_a_correction_revokes_the_completion_and_reverses_the_credit(
    db, course, quiz, world
):
    finish_lessons(course)
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(9))
    attempts.save_responses(attempt, form_for(attempt, only={"L1", "L2"}))
    attempts.submit(attempt)
    db.session.commit()
    assert attempt.percent == Decimal("50.00") and attempt.passed
    # The author finds that L1's key was wrong: 2008 is right, not 2010.
    row = next(slot.question for slot in attempt.slots if slot.question.key == "L1")
    bank.edit_question(
        row, "::L1::Luật Cán bộ, công chức?{~2010 =2008 ~2019}", {}, world["manager"]
    )
    changed = grading.regrade(quiz, world["manager"])
    db.session.commit()
    assert changed == [attempt] and attempt.percent == Decimal("25.00") and not attempt.passed
    completion = db.session.scalar(select(Completion))
    assert completion.revoked_at is not None
    credits = db.session.scalars(select(LedgerEntry.credits).order_by(LedgerEntry.id)).all()
    assert credits == [course.credits, -course.credits]
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"attempt.regrade", "question.edit"} <= actions
    # Corrected back: the attempt passes again and the course is completed again.
    bank.edit_question(row, "::L1::Luật Cán bộ, công chức?{=2010 ~2008 ~2019}", {}, None)
    grading.regrade(quiz, None)
    db.session.commit()
    active = db.session.scalars(select(Completion).where(Completion.revoked_at.is_(None))).all()
    assert len(active) == 1 and attempt.passed


ESSAY_BANK = TEST_BANK + "\n::E1::Nêu ba giá trị cốt lõi của văn hóa công vụ.{}\n"


def test_an_essay_waits_in_the_scoped_queue_and_its_grade_completes_the_course(db, world, freeze):
    freeze(START)
    course = make_test_course("TE01", ESSAY_BANK, {**TEST_SETTINGS, "questions": 0})
    quiz = quizzes.quiz_of(course)
    finish_lessons(course)
    attempt = attempts.start_attempt(quiz, official_id(), random.Random(10))
    attempts.save_responses(attempt, form_for(attempt, only={"L1", "E1"}))
    attempts.submit(attempt)
    db.session.commit()
    assert attempt.status == SUBMITTED and attempt.percent is None
    queue = queries.grading_queue(["/nowhere/"], 1)
    assert queue.items == []
    queue = queries.grading_queue(None, 1)
    [slot] = queue.items
    assert slot.question.key == "E1"
    grading.grade_essay(slot, Decimal("1"), "Tốt", world["manager"])
    db.session.commit()
    assert attempt.status == GRADED and attempt.percent == Decimal("40.00") and not attempt.passed
    grading.grade_essay(slot, Decimal("1"), "Tốt", world["manager"])  # unchanged, still fine
    assert queries.grading_queue(None, 1).items == []


def test_statistics_count_attempts_pass_rate_and_item_indices(db, quiz, course):
    people = [official_id()]
    from tests.factories import make_official

    for n in range(3):
        people.append(make_official(f"ST-{n}", f"Người Thứ {n}", "P-HAICHAU").id)
    db.session.commit()
    for n, who in enumerate(people):
        attempt = attempts.start_attempt(quiz, who, random.Random(n))
        keys = [{"L1", "L2", "N1", "S1"}, {"L1", "L2", "N1"}, {"L1"}, set()][n]
        attempts.save_responses(attempt, form_for(attempt, only=keys))
        attempts.submit(attempt)
    db.session.commit()
    stats = queries.quiz_statistics(quiz)
    assert stats.attempts == 4 and stats.passed == 2 and stats.pass_rate == Decimal("50.00")
    assert stats.histogram == [1, 0, 1, 0, 0, 0, 0, 1, 0, 1]
    by_key = {row.question.key: row.stats for row in stats.questions}
    assert by_key["L1"].facility == pytest.approx(75.0)
    assert by_key["S1"].facility == pytest.approx(25.0)
    assert by_key["L2"].discrimination > 0
