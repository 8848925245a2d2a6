"""The months an official worked in a cycle, as every statement shows them (live, review,
final): months in post, months on exempting leave, months counted towards the target, and the
"not rated" flag (fewer than LMS_NOT_RATED_MONTHS months of work, default 6).

One function, `months_for`, through which the statements read the leave-aware months of
lms.curricula.obligations.queries.months_summaries (DESIGN.md §3 "Leave": a month counts when on
its 15th the official holds a post and is not on exempting leave)."""

from dataclasses import dataclass

from flask import current_app

from lms.curricula.obligations.queries import months_summaries

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
    return int(current_app.config.get("LMS_NOT_RATED_MONTHS", NOT_RATED_UNDER))


def months_for(official_ids: list[int], cycle) -> dict[int, Months]:
    """Each official's months in `cycle`, from their posts and leave as stored now (a fixed
    number of queries per 500 officials); an official with no post has 0 months (not rated)."""
    found = months_summaries(official_ids, cycle) if official_ids else {}
    result = {}
    for official_id in official_ids:
        held = found.get(official_id)
        if held is None:
            result[official_id] = Months(0, 0, 0, True)
        else:
            result[official_id] = Months(
                held.months_in_post, held.months_on_leave, held.months_counted, held.not_rated
            )
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
