"""Training evaluation's part of "download all my data": the evaluations the user was asked
(course or class, trainer, effectiveness after training), when, about what and whether they
answered. One query, whatever the number.

The answers themselves are not in the download because the system does not know which are
theirs: an answer is stored without the user or the request (docs/surveys.md "One answer,
anonymous"), so no one — the person included — can find it again. The download says so."""

from sqlalchemy import select
from sqlalchemy.orm import aliased

from lms.catalog.models import Course
from lms.common.plain import plain
from lms.curricula.classes.models import Trainer, TrainingClass
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official
from lms.surveys.evaluation.models import EvaluationRequest


def requests(user_id: int) -> list[dict]:
    """Every evaluation asked of the user, oldest first: the questionnaire, as whom (learner,
    self, head), the course, class, trainer and official evaluated, the day and "answered"."""
    about = aliased(Official)
    rows = db.session.execute(
        select(EvaluationRequest, Course.code, Course.title, TrainingClass.title)
        .add_columns(Trainer.name, about.full_name)
        .join(Course, Course.id == EvaluationRequest.course_id)
        .outerjoin(TrainingClass, TrainingClass.id == EvaluationRequest.class_id)
        .outerjoin(Trainer, Trainer.id == EvaluationRequest.trainer_id)
        .outerjoin(about, about.id == EvaluationRequest.about_official_id)
        .where(EvaluationRequest.user_id == user_id)
        .order_by(EvaluationRequest.asked_on, EvaluationRequest.id)
    ).all()
    return [
        {
            "number": r.id,
            "questionnaire": r.questionnaire,
            "role": r.role,
            "course_code": code,
            "course_title": title,
            "class": klass,
            "trainer": trainer,
            "about_official": official,
            "asked_on": plain(r.asked_on),
            "answered": r.is_answered,
        }
        for r, code, title, klass, trainer, official in rows
    ]


def answers_note() -> str:
    """Why the download holds no evaluation answers."""
    return _(
        "Evaluation answers are stored anonymously, without your name or account and without "
        "a link to the request, so the system cannot tell which answers are yours and none "
        "can be included here."
    )
