"""The satisfaction index in SQL (docs/surveys.md): per unit and period the share of satisfied
Likert answers (4–5) weighted by item, the number of responses and a Wilson 95 % interval;
trends by month, the city ranking, the items of a unit and its (masked) comments."""

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select

from lms.auth.scope import Scope
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.surveys import rules
from lms.surveys.models import SurveyAnswer, SurveyItem, SurveyResponse

FEW_RESPONSES = 30  # below this the interval is wide: the pages say so


@dataclass(frozen=True)
class IndexRow:
    """The index of one unit (or month) over a period."""

    key: object  # unit id, month number…
    code: str
    name: str
    responses: int
    share: float | None
    interval: rules.Interval | None

    @property
    def index(self) -> float | None:
        """The index in points out of 100, one decimal (None without responses)."""
        return None if self.share is None else round(self.share * 100, 1)

    @property
    def low(self) -> float | None:
        return None if self.interval is None else round(self.interval.low * 100, 1)

    @property
    def high(self) -> float | None:
        return None if self.interval is None else round(self.interval.high * 100, 1)

    @property
    def is_few(self) -> bool:
        return self.responses < FEW_RESPONSES


def _measures():
    """(responses, satisfied weight, total weight) over Likert answers."""
    weight = SurveyItem.weight
    return (
        func.count(distinct(SurveyResponse.id)).label("responses"),
        func.sum(case((SurveyAnswer.value >= rules.SATISFIED_FROM, weight), else_=0.0)).label(
            "satisfied"
        ),
        func.sum(weight).label("weight"),
    )


def _likert(*columns):
    """SELECT columns + measures FROM citizen Likert answers."""
    return (
        select(*columns, *_measures())
        .select_from(SurveyAnswer)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(
            SurveyResponse.channel == rules.CITIZEN_CHANNEL,
            SurveyItem.kind == rules.LIKERT,
            SurveyAnswer.value.is_not(None),
        )
    )


def _row(key, code, name, responses, satisfied, weight) -> IndexRow:
    responses = int(responses or 0)
    share = float(satisfied) / float(weight) if responses and weight else None
    interval = rules.wilson(share, responses) if share is not None else None
    return IndexRow(key, code, name, responses, share, interval)


def _period(stmt, year: int, month: int | None):
    stmt = stmt.where(SurveyResponse.year == year)
    return stmt.where(SurveyResponse.month == month) if month else stmt


def ranking(scope: Scope, year: int, month: int | None = None) -> list[IndexRow]:
    """Every unit of the scope with responses in the period, best index first (ties: more
    responses first, then code)."""
    stmt = _likert(OrgUnit.id, OrgUnit.code, OrgUnit.name).join(
        OrgUnit, OrgUnit.id == SurveyResponse.unit_id
    )
    condition = scope.unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    stmt = _period(stmt, year, month).group_by(OrgUnit.id, OrgUnit.code, OrgUnit.name)
    rows = [_row(*row) for row in db.session.execute(stmt)]
    return sorted(rows, key=lambda r: (-(r.share or 0), -r.responses, r.code))


def unit_index(unit: OrgUnit, year: int, month: int | None = None) -> IndexRow:
    """The index of one unit over a year (or one month of it)."""
    stmt = _period(_likert().where(SurveyResponse.unit_id == unit.id), year, month)
    responses, satisfied, weight = db.session.execute(stmt).one()
    return _row(unit.id, unit.code, unit.name, responses, satisfied, weight)


def monthly(unit: OrgUnit | None, scope: Scope, year: int) -> list[IndexRow]:
    """The index month by month over a year (12 rows, empty months included): of one unit, or
    of every unit in the scope together."""
    stmt = _likert(SurveyResponse.month)
    if unit is not None:
        stmt = stmt.where(SurveyResponse.unit_id == unit.id)
    else:
        stmt = stmt.join(OrgUnit, OrgUnit.id == SurveyResponse.unit_id)
        condition = scope.unit_filter(OrgUnit.path)
        if condition is not None:
            stmt = stmt.where(condition)
    stmt = _period(stmt, year, None).group_by(SurveyResponse.month)
    found = {row[0]: row for row in db.session.execute(stmt)}
    code, name = (unit.code, unit.name) if unit is not None else ("", "")
    return [_row(m, code, name, *(found[m][1:] if m in found else (0, 0, 0))) for m in range(1, 13)]


def unit_months(scope: Scope, year: int) -> dict[int, dict[int, IndexRow]]:
    """{unit id: {month: IndexRow}} of the units in the scope with responses in `year`."""
    stmt = _likert(OrgUnit.id, SurveyResponse.month).join(
        OrgUnit, OrgUnit.id == SurveyResponse.unit_id
    )
    condition = scope.unit_filter(OrgUnit.path)
    if condition is not None:
        stmt = stmt.where(condition)
    stmt = _period(stmt, year, None).group_by(OrgUnit.id, SurveyResponse.month)
    table: dict[int, dict[int, IndexRow]] = {}
    for unit_id, month, *measures in db.session.execute(stmt):
        table.setdefault(unit_id, {})[month] = _row(month, "", "", *measures)
    return table


@dataclass(frozen=True)
class ItemRow:
    """One Likert item of a unit's responses: satisfied share and mean score."""

    code: str
    text_vi: str
    text_en: str
    answers: int
    share: float
    mean: float


def items(unit: OrgUnit, year: int) -> list[ItemRow]:
    """The Likert items answered about `unit` in `year` (by item code across versions), in the
    order of the questionnaire."""
    stmt = (
        select(
            SurveyItem.code,
            func.max(SurveyItem.text_vi),
            func.max(SurveyItem.text_en),
            func.count(SurveyAnswer.id),
            func.avg(case((SurveyAnswer.value >= rules.SATISFIED_FROM, 1.0), else_=0.0)),
            func.avg(SurveyAnswer.value),
            func.min(SurveyItem.position),
        )
        .select_from(SurveyAnswer)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(
            SurveyResponse.unit_id == unit.id,
            SurveyResponse.year == year,
            SurveyItem.kind == rules.LIKERT,
        )
        .group_by(SurveyItem.code)
    )
    rows = sorted(db.session.execute(stmt), key=lambda r: (r[6], r[0]))
    return [ItemRow(r[0], r[1], r[2], int(r[3]), float(r[4]), float(r[5])) for r in rows]


def comments(unit: OrgUnit, year: int, limit: int = 100) -> list[tuple[int, str]]:
    """(month, text) of the free-text answers about `unit` in `year`, newest first; the text
    was masked when it was stored."""
    stmt = (
        select(SurveyResponse.month, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(
            SurveyResponse.unit_id == unit.id,
            SurveyResponse.year == year,
            SurveyAnswer.text.is_not(None),
        )
        .order_by(SurveyResponse.submitted_on.desc(), SurveyAnswer.id.desc())
        .limit(limit)
    )
    return [(month, text) for month, text in db.session.execute(stmt)]


def years() -> list[int]:
    """The years with citizen responses, newest first."""
    stmt = (
        select(distinct(SurveyResponse.year))
        .where(SurveyResponse.channel == rules.CITIZEN_CHANNEL)
        .order_by(SurveyResponse.year.desc())
    )
    return list(db.session.scalars(stmt))
