"""The months an official worked in a cycle, as every statement shows them (live, review,
final): months in post, months on exempting leave, months counted towards the target, and the
"not rated" flag (fewer than LMS_NOT_RATED_UNDER_MONTHS months of work, default 6).

One function, `months_for`, so that the statements switch to the leave-aware months (dated
leave, issue 21) in one place; until then the months in post are those the obligations engine
counted for the target (lms.curricula.rules.prorated_target: a month counts when a post is held
on its 15th) and no month is on leave."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from lms.curricula.obligations.models import OfficialTarget
from lms.extensions import db

NOT_RATED_UNDER = 6


@dataclass(frozen=True)
class Months:
    """An official's months in a cycle and whether they are rated."""

    in_post: int
    on_leave: int
    counted: int
    not_rated: bool

    def as_columns(self) -> dict:
        """The statement columns of these months."""
        return {
            "months_in_post": self.in_post,
            "months_on_leave": self.on_leave,
            "months_counted": self.counted,
            "not_rated": self.not_rated,
        }


def threshold() -> int:
    """The months of work under which an official is not rated (setting, default 6)."""
    return int(current_app.config.get("LMS_NOT_RATED_UNDER_MONTHS", NOT_RATED_UNDER))


def months_for(official_ids: list[int], cycle) -> dict[int, Months]:
    """Each official's months in `cycle` (one query per 1,000 officials); an official the
    engine has not counted yet has 0 months."""
    under = threshold()
    found: dict[int, int] = {}
    for start in range(0, len(official_ids), 1000):
        rows = db.session.execute(
            select(OfficialTarget.official_id, OfficialTarget.months).where(
                OfficialTarget.cycle_id == cycle.id,
                OfficialTarget.official_id.in_(official_ids[start : start + 1000]),
            )
        )
        found.update({official_id: int(months or 0) for official_id, months in rows})
    result = {}
    for official_id in official_ids:
        in_post = found.get(official_id, 0)
        result[official_id] = Months(in_post, 0, in_post, in_post < under)
    return result


def from_statement(row) -> dict | None:
    """The months of a frozen statement as the statement dictionary shows them (None on one
    frozen before the months were kept)."""
    if row.months_in_post is None:
        return None
    return {
        "months_in_post": row.months_in_post,
        "months_on_leave": row.months_on_leave,
        "months_counted": row.months_counted,
        "not_rated": bool(row.not_rated),
    }
