"""Training evaluation (Circular 10/2017): who is asked to answer which questionnaire about what
(`EvaluationRequest`, with the user: the "has answered" marker, so no one is asked twice), and
what an answered evaluation was about (`EvaluationResponse`, beside the engine's anonymous
SurveyResponse: never the user, nor the request).

The two are not linked: staff reports read responses and their context only, so a response
cannot be traced back to the learner who gave it."""

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db

# Who answers: a learner of a course or class; the official (self) or their head, months later.
LEARNER, SELF, HEAD = "learner", "self", "head"
ROLES = (LEARNER, SELF, HEAD)


class EvaluationRequest(db.Model):
    """An evaluation asked of a user: the course or class evaluation (TT10-COURSE), a trainer
    of the class (TT10-TRAINERS), or the effectiveness after training (TT10-EFFECTIVENESS) of
    an official's completion, of the official (`role` self) or of their head (head).

    Invariants: (user, key) unique — the key names the completion or class, the trainer and the
    official it is about, so the same evaluation is never asked twice; `is_answered` is set
    once, when the (anonymous) response is stored, and a second answer is refused."""

    __tablename__ = "evaluation_requests"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(96))
    questionnaire: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default=LEARNER)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("class_trainers.id"))
    about_official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    asked_on: Mapped[date]
    is_answered: Mapped[bool] = mapped_column(default=False)


class EvaluationResponse(db.Model):
    """What one anonymous evaluation response was about: the questionnaire, the answering role,
    the course, the class and trainer (if any) and the unit of the official evaluated (the
    reports group by it). Holds no user and no request."""

    __tablename__ = "evaluation_responses"

    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"), primary_key=True)
    questionnaire: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16), default=LEARNER)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("class_trainers.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
