"""Races on PostgreSQL, with threads that each have their own session: two submits of one
attempt (two tabs) grade once and complete once; two starts at once give one attempt.
Run with TEST_DATABASE_URL=postgresql+psycopg://… (skipped on SQLite, which serialises writers
anyway)."""

import os
import random
import threading

import pytest
from sqlalchemy import func, select

from lms.assessments import attempts, quizzes
from lms.assessments.models import Attempt
from lms.curricula.completions.models import Completion
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db as _db
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START, finish_lessons, form_for, official_id

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="concurrency tests need PostgreSQL (TEST_DATABASE_URL)",
)
ROUNDS = 5


def run_together(app, work, count=2):
    """Run work(index) in `count` threads, each in its own app context (own session and
    connection), released together by a barrier; returns their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(index):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = work(index)
                _db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the test below
                _db.session.rollback()
                results[index] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def quiz(world, assets_dir, freeze):
    freeze(START)
    course = make_test_course()
    finish_lessons(course)
    quiz = quizzes.quiz_of(course)
    quiz.max_attempts = 0  # one attempt per round
    _db.session.commit()
    return quiz


assets_dir = pytest.fixture(lambda tmp_path, app, monkeypatch: _assets(tmp_path, app, monkeypatch))


def _assets(tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    return tmp_path / "assets"


def test_two_submits_at_once_grade_once_and_complete_once(app, quiz):
    learner = official_id()
    for round_ in range(ROUNDS):
        attempt = attempts.start_attempt(quiz, learner, random.Random(round_))
        attempts.save_responses(attempt, form_for(attempt))
        _db.session.commit()
        attempt_id = attempt.id

        def submit(_index, attempt_id=attempt_id):
            return attempts.submit(_db.session.get(Attempt, attempt_id))

        results = run_together(app, submit)
        assert sorted(results, key=str) == [False, True], results
    _db.session.expire_all()
    assert _db.session.scalar(select(func.count()).select_from(Completion)) == 1
    assert _db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 1


def test_two_starts_at_once_give_one_attempt(app, quiz):
    learner, quiz_id, model = official_id(), quiz.id, type(quiz)
    for _round in range(ROUNDS):

        def start(index):
            quiz_row = _db.session.get(model, quiz_id)
            return attempts.start_attempt(quiz_row, learner, random.Random(index)).id

        first, second = run_together(app, start)
        assert first == second and isinstance(first, int), (first, second)
        open_count = _db.session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.status == "in_progress")
        )
        assert open_count == 1
        attempt = _db.session.get(Attempt, first)
        attempts.submit(attempt)
        _db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(Attempt)) == ROUNDS


def test_an_autosave_and_a_submit_at_once_grade_what_was_stored(app, quiz):
    """The autosave takes the attempt's row lock first: either its answer is stored before the
    submit grades (and counts), or it finds the attempt submitted and stores nothing. An answer
    stored after grading, ungraded, would be a lost answer."""
    learner = official_id()
    outcomes = set()
    for round_ in range(ROUNDS * 2):
        attempt = attempts.start_attempt(quiz, learner, random.Random(round_))
        _db.session.commit()
        attempt_id, form = attempt.id, form_for(attempt, only={"L1"})

        def work(index, attempt_id=attempt_id, form=form):
            if index == 0:
                return attempts.autosave(attempt_id, learner, form)
            return attempts.submit(_db.session.get(Attempt, attempt_id))

        saved, submitted = run_together(app, work)
        assert submitted is True, submitted
        _db.session.expire_all()
        [slot] = [s for s in _db.session.get(Attempt, attempt_id).slots if s.question.key == "L1"]
        if saved is None:  # the submit came first
            assert slot.response is None and slot.fraction == 0
        else:
            assert saved.changed == 1 and slot.response is not None and slot.fraction == 1
        outcomes.add(saved is None)
    assert outcomes, "no round ran"
