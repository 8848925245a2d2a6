"""Reports of training evaluation (docs/surveys.md "Training evaluation"): per course, class,
trainer or unit (of the official evaluated) and period, the number of responses and, for groups
of at least LMS_SURVEY_MIN_GROUP respondents only, each item's mean and distribution and the
(masked) comments. A smaller group shows its count and nothing else, so no answer can be traced
to a person. Each group is also split by who answered (EvaluationResponse.role: the learner;
for the effectiveness survey the official themself and their head, never merged), in SQL, and
the smallest-group rule applies to each part. Responses are counted within the viewer's scope
(the unit of the official evaluated); a class, trainer or unit outside it is not found."""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from lms.auth.scope import Scope
from lms.catalog.models import Course
from lms.curricula.classes.models import ClassSession, Trainer, TrainingClass
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.surveys import rules
from lms.surveys.evaluation import services
from lms.surveys.evaluation.models import ROLES, EvaluationResponse
from lms.surveys.models import SurveyAnswer, SurveyItem, SurveyResponse

# What a report is about → the questionnaire it reads.
SUBJECTS = {
    "course": services.COURSE,
    "trainers": services.TRAINERS,
    "effectiveness": services.EFFECTIVENESS,
}
# How responses are grouped → the column of EvaluationResponse.
GROUPINGS = {
    "course": EvaluationResponse.course_id,
    "class": EvaluationResponse.class_id,
    "trainer": EvaluationResponse.trainer_id,
    "unit": EvaluationResponse.unit_id,
}


def min_group() -> int:
    """LMS_SURVEY_MIN_GROUP: the fewest respondents a group needs to be shown (default 5)."""
    return max(int(current_app.config.get("LMS_SURVEY_MIN_GROUP", 5) or 5), 1)


@dataclass(frozen=True)
class Period:
    """From `start` to `end` (days included)."""

    start: date
    end: date


@dataclass
class ItemStat:
    """One item of a group: answers, mean (Likert and numbers) and the count of each answer
    (Likert 1–5, or each option of a choice)."""

    code: str
    text_vi: str
    text_en: str
    kind: str
    answers: int = 0
    mean: float | None = None
    counts: list[int] = field(default_factory=list)
    labels: list = field(default_factory=list)


@dataclass
class Group:
    """The responses of one kind of respondent (`role`: learner, self or head) about a course,
    class, trainer or unit; `items` and `comments` only when `shown` (at least min_group
    respondents of that kind)."""

    key: int
    label: str
    responses: int
    shown: bool
    role: str = ROLES[0]
    items: list[ItemStat] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _base(stmt, subject: str, period: Period, scope: Scope):
    stmt = stmt.join(SurveyResponse, SurveyResponse.id == EvaluationResponse.response_id).where(
        EvaluationResponse.questionnaire == SUBJECTS[subject],
        SurveyResponse.submitted_on >= period.start,
        SurveyResponse.submitted_on <= period.end,
    )
    if not scope.is_everything:
        stmt = stmt.join(OrgUnit, OrgUnit.id == EvaluationResponse.unit_id).where(
            scope.unit_filter(OrgUnit.path)
        )
    return stmt


def labels(by: str, keys: list[int]) -> dict[int, str]:
    """The names of the groups: course code and title, class title, trainer or unit name."""
    if not keys:
        return {}
    model, columns = {
        "course": (Course, (Course.code, Course.title)),
        "class": (TrainingClass, (TrainingClass.title,)),
        "trainer": (Trainer, (Trainer.name,)),
        "unit": (OrgUnit, (OrgUnit.name,)),
    }[by]
    rows = db.session.execute(select(model.id, *columns).where(model.id.in_(keys)))
    return {row[0]: " ".join(str(v) for v in row[1:]) for row in rows}


def _role_order(role: str) -> int:
    return ROLES.index(role) if role in ROLES else len(ROLES)


def groups(
    subject: str, by: str, period: Period, scope: Scope, key: int | None = None
) -> list[Group]:
    """The groups of `subject`'s responses by `by` and by respondent kind (role) over the
    period within the scope (one course, class… when `key` is given), most responses first;
    the breakdown filled for groups large enough."""
    column = GROUPINGS[by]
    role = EvaluationResponse.role
    stmt = select(column, role, func.count(EvaluationResponse.response_id)).select_from(
        EvaluationResponse
    )
    stmt = _base(stmt, subject, period, scope).where(column.is_not(None))
    if key is not None:
        stmt = stmt.where(column == key)
    counts = {(k, r): n for k, r, n in db.session.execute(stmt.group_by(column, role)).all()}
    names = labels(by, list({k for k, _r in counts}))
    least = min_group()
    found = [
        Group(k, names.get(k, "—"), int(n), int(n) >= least, r)
        for (k, r), n in sorted(
            counts.items(), key=lambda kv: (-kv[1], names.get(kv[0][0], ""), _role_order(kv[0][1]))
        )
    ]
    shown = {(g.key, g.role): g for g in found if g.shown}
    if shown:
        _fill(subject, by, period, scope, shown)
    return found


def _fill(
    subject: str, by: str, period: Period, scope: Scope, shown: dict[tuple[int, str], Group]
) -> None:
    """Items (mean, distribution) and comments of the groups shown, per group and role."""
    column = GROUPINGS[by]
    role = EvaluationResponse.role
    keys = list({k for k, _r in shown})
    stmt = (
        select(
            column,
            role,
            SurveyItem.code,
            SurveyItem.kind,
            func.max(SurveyItem.text_vi),
            func.max(SurveyItem.text_en),
            func.min(SurveyItem.position),
            SurveyAnswer.value,
            func.count(SurveyAnswer.id),
        )
        .select_from(EvaluationResponse)
        .join(SurveyAnswer, SurveyAnswer.response_id == EvaluationResponse.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
    )
    stmt = _base(stmt, subject, period, scope).where(
        column.in_(keys),
        SurveyItem.kind.in_((rules.LIKERT, rules.SINGLE, rules.NUMBER)),
        SurveyAnswer.value.is_not(None),
    )
    stmt = stmt.group_by(column, role, SurveyItem.code, SurveyItem.kind, SurveyAnswer.value)
    items: dict[tuple[int, str, str], tuple[int, ItemStat, list]] = {}
    for key, who, code, kind, text_vi, text_en, position, value, count in db.session.execute(stmt):
        if (key, who) not in shown:
            continue  # a small part of a group shown for its other kind of respondent
        if (key, who, code) not in items:
            items[(key, who, code)] = (position, ItemStat(code, text_vi, text_en, kind), [])
        items[(key, who, code)][2].append((float(value), int(count)))
    options = _options(subject)
    for (key, who, _code), (_position, stat, values) in sorted(
        items.items(), key=lambda kv: (kv[0][0], _role_order(kv[0][1]), kv[1][0])
    ):
        stat.answers = sum(n for _v, n in values)
        if stat.kind == rules.SINGLE:
            stat.labels = options.get(stat.code, [])
            stat.counts = [
                sum(n for v, n in values if int(v) == i) for i in range(len(stat.labels))
            ]
        else:
            stat.mean = sum(v * n for v, n in values) / stat.answers
            if stat.kind == rules.LIKERT:
                stat.labels = [str(score) for score in range(1, 6)]
                stat.counts = [sum(n for v, n in values if int(v) == s) for s in range(1, 6)]
        shown[(key, who)].items.append(stat)
    text = (
        select(column, role, SurveyAnswer.text)
        .select_from(EvaluationResponse)
        .join(SurveyAnswer, SurveyAnswer.response_id == EvaluationResponse.response_id)
    )
    text = _base(text, subject, period, scope).where(
        column.in_(keys), SurveyAnswer.text.is_not(None)
    )
    for key, who, comment in db.session.execute(text.order_by(SurveyAnswer.id.desc()).limit(500)):
        if (key, who) in shown:
            shown[(key, who)].comments.append(comment)


def _options(subject: str) -> dict[str, list]:
    """{item code: its options} of the newest version of the subject's questionnaire."""
    version = services.engine.latest_version(SUBJECTS[subject])
    if version is None:
        return {}
    return {i.code: list(i.options) for i in services.engine.items_of(version) if i.options}


# --- what a viewer may open ----------------------------------------------------------------------


def in_scope(by: str, key: int, scope: Scope) -> bool:
    """Whether the group may be opened: a course always (its responses are counted in the
    scope); a class held by a unit of the scope; a trainer who taught a class of the scope; a
    unit of the scope."""
    if by == "course":
        return db.session.get(Course, key) is not None
    if by == "unit":
        unit = db.session.get(OrgUnit, key)
        return unit is not None and scope.covers_unit(unit.path)
    stmt = select(TrainingClass.id).join(OrgUnit, OrgUnit.id == TrainingClass.unit_id)
    if by == "class":
        stmt = stmt.where(TrainingClass.id == key)
    else:
        stmt = stmt.join(ClassSession, ClassSession.class_id == TrainingClass.id).where(
            ClassSession.trainer_id == key
        )
    if not scope.is_everything:
        stmt = stmt.where(scope.unit_filter(OrgUnit.path))
    return db.session.scalar(stmt.limit(1)) is not None
