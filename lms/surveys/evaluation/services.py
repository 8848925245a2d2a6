"""Asking and answering training evaluations (docs/surveys.md "Training evaluation").

A learner who completes a course online or passes an in-person class is asked the course (or
class) evaluation, TT10-COURSE, and, after a class, one TT10-TRAINERS per trainer of its
sessions; months later the official and their head are asked TT10-EFFECTIVENESS (the daily
job, lms/surveys/jobs.py). Each ask is an EvaluationRequest of the user, once per key; each
answer goes through the engine (lms.surveys.services.record_response) as an anonymous response
with its context (EvaluationResponse), and only marks the request answered."""

from datetime import date

from flask import current_app
from sqlalchemy import distinct, select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.classes.models import ClassMember, ClassSession, TrainingClass
from lms.curricula.completions.models import Completion
from lms.curricula.ledger.models import IN_PERSON, ONLINE
from lms.errors import NotFound, RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.jobs import notify
from lms.jobs.notifications import site_path
from lms.surveys import rules
from lms.surveys import services as engine
from lms.surveys.evaluation.models import (
    HEAD,
    LEARNER,
    SELF,
    EvaluationRequest,
    EvaluationResponse,
)
from lms.teams.queries import head_users_of, post_on

COURSE, TRAINERS, EFFECTIVENESS = "TT10-COURSE", "TT10-TRAINERS", "TT10-EFFECTIVENESS"
ASKED_AFTER = (ONLINE, IN_PERSON)  # completions that are evaluated (not imported records)
NOTICE = "evaluation_requested"


def required_for_certificate() -> bool:
    """LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE: the certificate's PDF waits for the course
    evaluation (the certificate exists and verifies meanwhile)."""
    return bool(current_app.config.get("LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE", False))


def effectiveness_months() -> int:
    """LMS_EFFECTIVENESS_AFTER_MONTHS, kept within 3–6 (default 3)."""
    months = int(current_app.config.get("LMS_EFFECTIVENESS_AFTER_MONTHS", 3) or 3)
    return min(max(months, 3), 6)


def _user_of(official_id: int) -> User | None:
    return db.session.scalar(
        select(User).where(User.official_id == official_id, User.is_enabled.is_(True))
    )


def ask(user: User, key: str, questionnaire: str, on: date, **about) -> EvaluationRequest | None:
    """Ask `user` to answer `questionnaire` about what `about` names (course_id, completion_id,
    class_id, trainer_id, about_official_id, unit_id, role), once per (user, key), and tell
    them (inbox and email, kind evaluation_requested). None when it was asked before.
    Flushed."""
    found = db.session.scalar(
        select(EvaluationRequest.id).where(
            EvaluationRequest.user_id == user.id, EvaluationRequest.key == key
        )
    )
    if found is not None:
        return None
    request = EvaluationRequest(
        user_id=user.id, key=key, questionnaire=questionnaire, asked_on=on, **about
    )
    db.session.add(request)
    db.session.flush()
    course = db.session.get(Course, request.course_id)
    notify(
        user.id,
        NOTICE,
        f"evaluation:{key}",
        {
            "questionnaire": questionnaire,
            "course_code": course.code,
            "course_title": course.title,
            "link": site_path("surveys.evaluation_form", request_id=request.id),
        },
    )
    return request


def _class_of(completion: Completion) -> TrainingClass | None:
    """The class whose member's pass wrote `completion` (source_ref member:<id>[:<n>])."""
    parts = completion.source_ref.split(":")
    if completion.source != IN_PERSON or len(parts) < 2 or parts[0] != "member":
        return None
    if not parts[1].isdigit():
        return None
    member = db.session.get(ClassMember, int(parts[1]))
    return member.training_class if member is not None else None


def trainers_of(klass: TrainingClass) -> list[int]:
    """The ids of the trainers of the class's sessions."""
    return list(
        db.session.scalars(
            select(distinct(ClassSession.trainer_id)).where(
                ClassSession.class_id == klass.id, ClassSession.trainer_id.is_not(None)
            )
        )
    )


def ask_after_completion(completion: Completion) -> list[EvaluationRequest]:
    """The evaluations of a new completion (online course or in-person class): the course or
    class evaluation, and one per trainer of the class. Nothing for an imported record, an
    official without an account, or a revoked completion. Flushed."""
    if completion.source not in ASKED_AFTER or completion.revoked_at is not None:
        return []
    user = _user_of(completion.official_id)
    if user is None:
        return []
    post = post_on(completion.official_id, completion.completed_on) or post_on(
        completion.official_id
    )
    unit_id = post.unit_id if post is not None else None
    today = clock.today()
    klass = _class_of(completion)
    common = {"course_id": completion.course_id, "completion_id": completion.id}
    common |= {"unit_id": unit_id, "role": LEARNER}
    asked = []
    if klass is None:
        asked.append(ask(user, f"course:{completion.id}", COURSE, today, **common))
    else:
        common["class_id"] = klass.id
        asked.append(ask(user, f"class:{klass.id}", COURSE, today, **common))
        for trainer_id in trainers_of(klass):
            key = f"trainer:{klass.id}:{trainer_id}"
            asked.append(ask(user, key, TRAINERS, today, trainer_id=trainer_id, **common))
    return [r for r in asked if r is not None]


def on_course_completed(completion: Completion) -> None:
    """curricula's course_completed signal: ask the new completion's evaluations."""
    ask_after_completion(completion)


def ask_effectiveness(completion: Completion, on: date) -> list[EvaluationRequest]:
    """The effectiveness survey of a completion, asked of the official (role self) and of each
    head of their unit (role head), once each. Flushed."""
    post = post_on(completion.official_id, on)
    unit_id = post.unit_id if post is not None else None
    common = {
        "course_id": completion.course_id,
        "completion_id": completion.id,
        "about_official_id": completion.official_id,
        "unit_id": unit_id,
    }
    asked = []
    user = _user_of(completion.official_id)
    if user is not None:
        key = f"effect:{completion.id}:self"
        asked.append(ask(user, key, EFFECTIVENESS, on, role=SELF, **common))
    for head in head_users_of(completion.official_id, on):
        key = f"effect:{completion.id}:head"
        asked.append(ask(head, key, EFFECTIVENESS, on, role=HEAD, **common))
    return [r for r in asked if r is not None]


def request_of(request_id: int, user) -> EvaluationRequest | None:
    """The user's own request by id (None for another user's or an unknown one)."""
    request = db.session.get(EvaluationRequest, request_id)
    if request is None or request.user_id != getattr(user, "id", None):
        return None
    return request


def submit(request: EvaluationRequest, answers: dict[str, list[str]], actor) -> None:
    """Answer a request: the response is stored by the engine without the user (free text
    masked) with what it was about, and the request only marked answered. Raises RuleViolation
    "answered" for a second answer, ValidationFailed for missing or impossible answers, NotFound
    when the questionnaire was never imported. Flushed."""
    if request.user_id != getattr(actor, "id", None):
        raise NotFound(_("Unknown evaluation."))
    if request.is_answered:
        raise RuleViolation(_("You have already answered this evaluation."), "answered")
    version = engine.latest_version(request.questionnaire)
    if version is None:
        raise NotFound(_("Unknown evaluation."))
    response = engine.record_response(
        version,
        answers,
        rules.COURSE_CHANNEL,
        clock.today(),
        course_id=request.course_id,
    )
    db.session.add(
        EvaluationResponse(
            response_id=response.id,
            questionnaire=request.questionnaire,
            role=request.role,
            course_id=request.course_id,
            class_id=request.class_id,
            trainer_id=request.trainer_id,
            unit_id=request.unit_id,
        )
    )
    request.is_answered = True
    db.session.flush()


def open_requests(user_id: int) -> list[EvaluationRequest]:
    """The user's evaluations not answered yet, oldest first."""
    return list(
        db.session.scalars(
            select(EvaluationRequest)
            .where(EvaluationRequest.user_id == user_id, EvaluationRequest.is_answered.is_(False))
            .order_by(EvaluationRequest.asked_on, EvaluationRequest.id)
        )
    )


def certificate_waits(completion_id: int, user_id: int) -> EvaluationRequest | None:
    """The course or class evaluation of the completion that `user_id` has still to answer
    before the certificate's PDF is theirs (None: nothing waits, or the setting is off)."""
    if not required_for_certificate():
        return None
    return db.session.scalar(
        select(EvaluationRequest)
        .where(
            EvaluationRequest.user_id == user_id,
            EvaluationRequest.completion_id == completion_id,
            EvaluationRequest.questionnaire == COURSE,
            EvaluationRequest.is_answered.is_(False),
        )
        .limit(1)
    )
