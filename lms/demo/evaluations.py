"""Demo training evaluations (issue 26): the course evaluation and the effectiveness survey
answered by several demo officials — and, for the effectiveness survey, by their heads — about
the course most of them completed, so /manage/evaluations shows groups large enough to be broken
down (the officials' and the heads' parts apart); and two evaluations still to answer for the
demo `learner` (the course evaluation and the effectiveness survey of their latest completion),
which show as tasks on /me.

The answers are stored like real ones (lms.surveys.services.record_response, with their
EvaluationResponse context and no user); the answered officials with an account get their
request marked answered, without a notice. Needs the questionnaires (`courses import`) and the
completions (`demo activity`). Idempotent: every request the demo makes has a key starting with
"demo:", and once one exists nothing is added."""

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from lms.auth.models import User
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.extensions import db
from lms.surveys import rules
from lms.surveys import services as engine
from lms.surveys.evaluation import services
from lms.surveys.evaluation.models import (
    HEAD,
    LEARNER,
    SELF,
    EvaluationRequest,
    EvaluationResponse,
)
from lms.teams.queries import post_on

KEY = "demo:"
LEARNER_USERNAME = "learner"
RESPONDENTS = 8  # officials answering about the course (at least LMS_SURVEY_MIN_GROUP)
HEADS = 5  # heads' effectiveness answers
COMMENTS = (
    "Nội dung thiết thực, áp dụng được ngay tại bộ phận một cửa.",
    "Nên có thêm tình huống thực tế.",
    "Thời lượng hơi ngắn so với nội dung.",
)


def _score(rng: random.Random, good: float) -> str:
    return str(rng.choice((4, 5, 5)) if rng.random() < good else rng.choice((2, 3, 3)))


def _answers(rng: random.Random, items, good: float) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for item in items:
        if item.kind == rules.LIKERT:
            answers[item.code] = [_score(rng, good)]
        elif item.kind == rules.SINGLE:
            answers[item.code] = [str(rng.choice((1, 1, 0, 2)) % max(len(item.options), 1))]
        elif item.kind == rules.TEXT and rng.random() < 0.4:
            answers[item.code] = [rng.choice(COMMENTS)]
    return answers


def _answer(rng, version, questionnaire, role, completion, on, good) -> None:
    """One anonymous answer about the completion's course, as services.submit stores it."""
    post = post_on(completion.official_id, on) or post_on(completion.official_id)
    response = engine.record_response(
        version,
        _answers(rng, engine.items_of(version), good),
        rules.COURSE_CHANNEL,
        on,
        course_id=completion.course_id,
    )
    db.session.add(
        EvaluationResponse(
            response_id=response.id,
            questionnaire=questionnaire,
            role=role,
            course_id=completion.course_id,
            unit_id=post.unit_id if post is not None else None,
        )
    )


def load_evaluations(seed: int = 10) -> dict[str, int]:
    """Add the demo evaluations once; returns {"answers": …, "requests": …} added (zeros when
    done before, or when the questionnaires or enough completions are missing). Flushed."""
    added = {"answers": 0, "requests": 0}
    done = db.session.scalar(select(func.count()).where(EvaluationRequest.key.like(f"{KEY}%")))
    course_version = engine.latest_version(services.COURSE)
    effect_version = engine.latest_version(services.EFFECTIVENESS)
    if done or course_version is None or effect_version is None:
        return added
    learner = db.session.scalar(select(User).where(User.username == LEARNER_USERNAME))
    learner_official = learner.official_id if learner is not None else None
    live = Completion.revoked_at.is_(None)
    course_id = db.session.scalar(
        select(Completion.course_id)
        .where(live)
        .group_by(Completion.course_id)
        .order_by(func.count(func.distinct(Completion.official_id)).desc(), Completion.course_id)
        .limit(1)
    )
    completions = []
    if course_id is not None:
        seen: set[int] = set()
        for completion in db.session.scalars(
            select(Completion)
            .where(live, Completion.course_id == course_id)
            .order_by(Completion.completed_on, Completion.id)
        ):
            if completion.official_id not in seen and completion.official_id != learner_official:
                seen.add(completion.official_id)
                completions.append(completion)
    completions = completions[:RESPONDENTS]
    rng = random.Random(seed)
    today = clock.today()
    first = date(today.year, 1, 1)

    def day() -> date:
        return max(first, today - timedelta(days=rng.randrange(0, 90)))

    if len(completions) >= HEADS:
        users = dict(
            db.session.execute(
                select(User.official_id, User).where(
                    User.official_id.in_([c.official_id for c in completions])
                )
            ).all()
        )
        for completion in completions:
            _answer(rng, course_version, services.COURSE, LEARNER, completion, day(), 0.8)
            _answer(rng, effect_version, services.EFFECTIVENESS, SELF, completion, day(), 0.85)
            added["answers"] += 2
            user = users.get(completion.official_id)
            if user is not None:  # their request, answered (no notice: it is done)
                db.session.add(
                    EvaluationRequest(
                        user_id=user.id,
                        key=f"{KEY}course:{completion.id}",
                        questionnaire=services.COURSE,
                        role=LEARNER,
                        course_id=completion.course_id,
                        completion_id=completion.id,
                        asked_on=completion.completed_on,
                        is_answered=True,
                    )
                )
                added["requests"] += 1
        for completion in completions[:HEADS]:
            _answer(rng, effect_version, services.EFFECTIVENESS, HEAD, completion, day(), 0.6)
            added["answers"] += 1
    added["requests"] += _learner_requests(learner, today)
    db.session.flush()
    return added


def _learner_requests(learner: User | None, today: date) -> int:
    """The learner's two open evaluations about their latest completion (inbox notices)."""
    if learner is None or learner.official_id is None:
        return 0
    completion = db.session.scalar(
        select(Completion)
        .where(Completion.official_id == learner.official_id, Completion.revoked_at.is_(None))
        .order_by(Completion.completed_on.desc(), Completion.id.desc())
        .limit(1)
    )
    if completion is None:
        return 0
    post = post_on(learner.official_id)
    common = {
        "course_id": completion.course_id,
        "completion_id": completion.id,
        "unit_id": post.unit_id if post is not None else None,
    }
    asked = [
        services.ask(
            learner, f"{KEY}course:{completion.id}", services.COURSE, today, role=LEARNER, **common
        ),
        services.ask(
            learner,
            f"{KEY}effect:{completion.id}:self",
            services.EFFECTIVENESS,
            today,
            role=SELF,
            about_official_id=learner.official_id,
            **common,
        ),
    ]
    return sum(1 for request in asked if request is not None)
