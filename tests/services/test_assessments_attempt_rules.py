"""Attempt rules with a database and a frozen clock: the delay after a failed attempt (refused
a minute before, allowed at and after, with the moment it opens as dd/mm/yyyy HH:mm), the test
window (before, at and after each bound), per-official overrides (extra attempt, later close,
extra time; audited; a running attempt's deadline follows), and the manager's bank warnings."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.assessments import attempts, quizzes
from lms.assessments.models import IN_PROGRESS
from lms.audit.models import AuditEntry
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, form_for, official_id

DAY, MINUTE = timedelta(days=1), timedelta(minutes=1)


@pytest.fixture
def quiz(world, assets_dir, freeze):
    freeze(START)
    quiz = quizzes.quiz_of(make_test_course())  # 4 questions, 20 minutes, 3 attempts
    quiz.delay_minutes = 24 * 60
    db.session.commit()
    return quiz


def _finish(quiz, right=False):
    attempt = attempts.start_attempt(quiz, official_id())
    attempts.save_responses(attempt, form_for(attempt, right=right))
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def _refusal(quiz, now) -> str | None:
    return attempts.why_not_start(quiz, official_id(), now)


def test_a_failed_attempt_makes_the_learner_wait_24_hours(quiz, freeze):
    first = _finish(quiz)
    assert first.passed is False and first.submitted_at == START
    # START is 09:00 on 02/03/2026 in Đà Nẵng: the test opens again at 09:00 on 03/03/2026.
    for now in (START, START + DAY - DAY / 2, START + DAY - MINUTE):
        assert _refusal(quiz, now) == "Anh/chị có thể làm lượt mới từ 03/03/2026 09:00."
    assert _refusal(quiz, START + DAY) is None
    assert _refusal(quiz, START + DAY + MINUTE) is None
    freeze(START + DAY - MINUTE)
    with pytest.raises(RuleViolation) as refused:
        attempts.start_attempt(quiz, official_id())
    assert "03/03/2026 09:00" in refused.value.message
    freeze(START + DAY)
    assert attempts.start_attempt(quiz, official_id()).number == 2


def test_no_delay_after_a_pass(quiz):
    _finish(quiz, right=True)
    assert _refusal(quiz, START + MINUTE) is None


def test_the_window_refuses_before_it_opens_and_from_its_close(quiz):
    quiz.opens_at, quiz.closes_at = START + DAY, START + 2 * DAY
    db.session.commit()
    assert _refusal(quiz, START + DAY - MINUTE) == "Bài kiểm tra mở lúc 03/03/2026 09:00."
    assert _refusal(quiz, START + DAY) is None
    assert _refusal(quiz, START + 2 * DAY - MINUTE) is None
    assert _refusal(quiz, START + 2 * DAY) == "Bài kiểm tra này đã đóng."
    assert _refusal(quiz, START + 2 * DAY + MINUTE) == "Bài kiểm tra này đã đóng."


def test_an_attempt_started_before_the_close_is_submitted_at_the_close(quiz, freeze):
    quiz.closes_at = START + 10 * MINUTE
    db.session.commit()
    attempt = attempts.start_attempt(quiz, official_id())
    assert attempt.deadline_at == quiz.closes_at  # not start + 20 minutes
    freeze(quiz.closes_at)
    assert attempts.close_overdue_attempts() == 1
    assert attempt.status != IN_PROGRESS and attempt.auto_submitted


def test_an_extra_attempt_and_a_later_close_for_one_official(quiz, world, freeze):
    quiz.delay_minutes = 0
    quiz.closes_at = START + DAY
    db.session.commit()
    for _ in range(3):
        _finish(quiz)
    assert _refusal(quiz, START + MINUTE) == "Anh/chị đã sử dụng hết số lượt làm bài."
    later = START + 2 * DAY
    quizzes.set_override(quiz, official_id(), quizzes.Override(0, 1, later), world["manager"])
    db.session.commit()
    assert _refusal(quiz, START + MINUTE) is None
    assert _refusal(quiz, START + DAY + MINUTE) is None  # the test closed, not for them
    assert _refusal(quiz, later) == "Bài kiểm tra này đã đóng."
    freeze(later - 5 * MINUTE)
    fourth = attempts.start_attempt(quiz, official_id())
    assert fourth.number == 4 and fourth.deadline_at == later
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "quiz.override")).one()
    assert entry.after["extra_attempts"] == 1 and entry.after["official_id"] == official_id()


def test_extra_time_in_an_override_moves_a_running_deadline(quiz, world):
    attempt = attempts.start_attempt(quiz, official_id())
    db.session.commit()
    assert attempt.deadline_at == START + 20 * MINUTE
    quizzes.set_override(quiz, official_id(), quizzes.Override(15), world["manager"])
    assert attempt.deadline_at == START + 35 * MINUTE
    quizzes.set_override(quiz, official_id(), quizzes.Override(0), world["manager"])
    assert attempt.deadline_at == START + 20 * MINUTE
    with pytest.raises(ValidationFailed):
        quizzes.set_override(quiz, official_id(), quizzes.Override(-1), world["manager"])


def test_the_manager_is_warned_about_a_bank_too_small_for_the_test(quiz):
    warnings = quizzes.bank_warnings(quiz)  # draws all 4 of 4 questions, 3 attempts
    assert len(warnings) == 2
    assert "4 của 4 câu hỏi" in warnings[0]
    assert "4 câu hỏi × 3 lượt" in warnings[1]
    quiz.question_count, quiz.max_attempts = 2, 2
    assert quizzes.bank_warnings(quiz) == []  # half of the bank, 2 × 2 = 4
