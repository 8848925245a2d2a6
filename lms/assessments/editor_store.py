"""Saving an existing question from the editor's form: a new version of the bank question, in
place, audited (`question.edit`).

What happens to the attempts that already used the question (docs/content-authors.md):

* their responses refer to answers by position, so once a question has been drawn in an
  attempt its type and its number of answers (of a Cloze question: its gaps and the answers of
  each) cannot change (write a new question and remove
  this one instead);
* a change of its key (an answer's text or grade, a tolerance, a pair, a grading option)
  is refused unless the manager asks for a regrade: the submitted attempts that drew the
  question are then graded again with the new key (lms.assessments.grading.regrade, audited
  per changed score), so no score silently disagrees with the key;
* a change of wording or feedback only is saved without a regrade.
"""

from dataclasses import replace

from sqlalchemy import func, select

from lms.assessments import bank, gift_export, grading, kinds_cloze, quizzes
from lms.assessments.models import IN_PROGRESS, Attempt, AttemptSlot, BankQuestion
from lms.assessments.questions import CLOZE, Question
from lms.catalog.models import Course
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _


def attempts_using(row: BankQuestion) -> int:
    """How many attempts (any state) drew the question."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(AttemptSlot.attempt_id))).where(
                AttemptSlot.question_id == row.id
            )
        )
        or 0
    )


def _answer_keys(answers) -> tuple:
    return tuple((a.text, a.fraction, a.tolerance, a.min, a.max, a.match_text) for a in answers)


def _key(question: Question) -> tuple:
    if question.kind == CLOZE:
        gaps = kinds_cloze.gaps_of(question.text)
        return (CLOZE, tuple((g.kind, g.mark, _answer_keys(g.answers)) for g in gaps))
    return (question.kind, _answer_keys(question.answers))


def _shape(question: Question) -> tuple:
    """What responses refer to: the kind and the number of answers (of each gap)."""
    if question.kind == CLOZE:
        gaps = kinds_cloze.gaps_of(question.text)
        return (CLOZE, tuple((g.is_choice, len(g.answers)) for g in gaps))
    return (question.kind, len(question.answers))


def _store(row: BankQuestion, question: Question, actor) -> bool:
    """Write a question GIFT cannot carry (Cloze) over the row, as bank.edit_question does."""
    course = db.session.get(Course, row.course_id)
    category_id = bank.category(course, question.category).id
    # the answers live in the text's gaps; the position stays
    values = bank.question_fields(question, category_id, row.position) | {"answers": []}
    return bank.new_version(row, values, actor)


def key_changed(row: BankQuestion, question: Question) -> bool:
    """Whether saving `question` over the row changes how responses are graded."""
    return _key(bank.to_question(row)) != _key(question)


def save(row: BankQuestion, question: Question, actor, regrade: bool = False) -> bool:
    """Save the editor's question over the bank row (its key in the bank stays); returns
    whether anything changed (the version then grows, the change is audited).

    Raises ValidationFailed when the question is used in attempts and its type or number of
    answers changes, or its key changes without `regrade`.
    """
    current = bank.to_question(row)
    if question.category is None:
        question = replace(question, category=current.category)
    if question == current:
        return False
    used = attempts_using(row)
    if used and _shape(question) != _shape(current):
        message = _(
            "This question is used in %(count)d attempt(s): its type and the number of its "
            "answers cannot change. Write a new question and remove this one from the bank.",
            count=used,
        )
        raise ValidationFailed([("lines", message)])
    changed_key = key_changed(row, question)
    if used and changed_key and not regrade:
        message = _(
            "This question is used in %(count)d attempt(s) and its key changed: tick "
            "“Regrade the attempts” to save it and grade those attempts again.",
            count=used,
        )
        raise ValidationFailed([("regrade", message)])
    if CLOZE in (question.kind, current.kind):
        if not _store(row, question, actor):
            return False
    else:
        source = gift_export.export([question], comments=True)
        if not bank.edit_question(row, source, dict(row.options or {}), actor):
            return False
    if used and changed_key:
        course = db.session.get(Course, row.course_id)
        quiz = quizzes.quiz_of(course)
        if quiz is not None:
            grading.regrade(quiz, actor, {row.id})
    return True


def running_attempts(row: BankQuestion) -> int:
    """Attempts in progress that drew the question (they are graded with the saved key)."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(Attempt.id)))
            .join(AttemptSlot, AttemptSlot.attempt_id == Attempt.id)
            .where(AttemptSlot.question_id == row.id, Attempt.status == IN_PROGRESS)
        )
        or 0
    )
