"""An official's test attempts for "download all my data": each attempt with its score and,
question by question, the answer given, its mark and the grader's comment (two queries)."""

from collections import defaultdict

from sqlalchemy import select

from lms.assessments.kinds import match_choices
from lms.assessments.models import Attempt, AttemptSlot, BankQuestion, Quiz
from lms.assessments.questions import MATCHING, TRUE_FALSE, Question
from lms.assessments.scoring import answers_from_json
from lms.catalog.models import Course
from lms.common.plain import fields, plain
from lms.extensions import db
from lms.i18n import _


def _choice(answers, index) -> str:
    return answers[index].text if isinstance(index, int) and 0 <= index < len(answers) else "?"


def answer_text(kind: str, raw_answers: list, response: dict | None) -> str:
    """The answer a learner gave, in words ("" when unanswered). Choices are named by their
    text; a true/false answer reads Đúng/Sai in the reader's language."""
    if not response:
        return ""
    answers = answers_from_json(raw_answers or [])
    if "text" in response:
        return str(response["text"])
    if "choice" in response:
        text = _choice(answers, response["choice"])
        if kind == TRUE_FALSE:
            return {"True": _("True"), "False": _("False")}.get(text, text)
        return text
    if "choices" in response:
        return "; ".join(_choice(answers, i) for i in response["choices"])
    if "pairs" in response and kind == MATCHING:
        names = match_choices(Question(kind=kind, name="", text="", answers=answers))
        pairs = []
        for item, chosen in sorted(response["pairs"].items(), key=lambda pair: int(pair[0])):
            target = names[chosen] if isinstance(chosen, int) and 0 <= chosen < len(names) else "?"
            pairs.append(f"{_choice(answers, int(item))} → {target}")
        return "; ".join(pairs)
    return ""


def attempts(official_id: int) -> list[dict]:
    """Every attempt of the official, oldest first, with the answers given."""
    rows = db.session.execute(
        select(Attempt, Course.code, Course.title)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Course, Course.id == Quiz.course_id)
        .where(Attempt.official_id == official_id)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    slots = db.session.execute(
        select(AttemptSlot, BankQuestion.name, BankQuestion.text, BankQuestion.kind)
        .add_columns(BankQuestion.answers)
        .join(BankQuestion, BankQuestion.id == AttemptSlot.question_id)
        .join(Attempt, Attempt.id == AttemptSlot.attempt_id)
        .where(Attempt.official_id == official_id)
        .order_by(AttemptSlot.attempt_id, AttemptSlot.position)
    )
    questions = defaultdict(list)
    for slot, name, text, kind, answers in slots:
        questions[slot.attempt_id].append(
            {
                "position": slot.position,
                "question": name,
                "text": text,
                "kind": kind,
                "answer": answer_text(kind, answers, slot.response),
                "mark": plain(slot.mark),
                "fraction": plain(slot.fraction),
                "comment": slot.comment,
            }
        )
    names = ("number", "status", "started_at", "submitted_at", "graded_at", "auto_submitted")
    return [
        {
            "course_code": code,
            "course_title": title,
            **fields(attempt, *names, "percent", "passed"),
            "questions": questions[attempt.id],
        }
        for attempt, code, title in rows
    ]
