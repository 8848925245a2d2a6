"""Demo citizen responses: a few hundred answers to the citizen survey over the past twelve
months at the one-stop counters of the wards and communes, each unit with its own level and
drift, so the index, its months and the ranking are not empty."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from lms.common import clock
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.surveys import rules, satisfaction, services
from lms.surveys.models import SurveyResponse

# Unit → (responses a month, chance that a Likert answer is satisfied at the start, change of
# that chance over the year).
DEMO_UNITS = {
    "P-HAICHAU": (20, 0.78, 0.08),
    "P-HOIAN": (15, 0.70, 0.04),
    "X-HOAVANG": (10, 0.60, 0.10),
    "DK-HOANGSA": (3, 0.82, 0.0),
}
COMMENTS = (
    "Cán bộ hướng dẫn nhiệt tình, rõ ràng.",
    "Phải chờ hơi lâu vào buổi sáng.",
    "Nên có thêm ghế ngồi chờ.",
    "Trả kết quả đúng hẹn, cảm ơn.",
    "Cần niêm yết phí, lệ phí rõ hơn.",
)


def _score(rng: random.Random, chance: float) -> int:
    if rng.random() < chance:
        return rng.choice((4, 5, 5))
    return rng.choice((1, 2, 3, 3))


def load_satisfaction(seed: int = 26) -> int:
    """Add the demo responses once (nothing when any citizen response exists or the citizen
    questionnaire or the units are missing); returns how many were added. Flushed."""
    version = satisfaction.questionnaire()
    if version is None:
        return 0
    exists = db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.channel == rules.CITIZEN_CHANNEL)
    )
    if exists:
        return 0
    items = services.items_of(version)
    rng = random.Random(seed)
    today = clock.today()
    added = 0
    for code, (per_month, chance, drift) in DEMO_UNITS.items():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            continue
        for back in range(11, -1, -1):
            level = min(0.97, chance + drift * (11 - back) / 11)
            for _n in range(max(1, int(per_month * rng.uniform(0.7, 1.3)))):
                day = today - timedelta(days=30 * back + rng.randrange(0, 28))
                services.record_response(
                    version, _answers(rng, items, level), rules.CITIZEN_CHANNEL, day, unit.id
                )
                added += 1
    return added


def _answers(rng: random.Random, items, level: float) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for item in items:
        if item.kind == rules.LIKERT:
            answers[item.code] = [str(_score(rng, level))]
        elif item.kind == rules.SINGLE:
            answers[item.code] = [str(min(rng.choice((0, 0, 0, 1, 2)), len(item.options) - 1))]
        elif item.kind == rules.TEXT and rng.random() < 0.15:
            answers[item.code] = [rng.choice(COMMENTS)]
    return answers
