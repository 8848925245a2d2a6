"""The rules of the annual plan, pure (docs/operators.md "Training needs and the annual plan").

- A need names a course, or a content area when the unit names no course.
- The plan of a year sums the submitted needs per unit, course (or area) and quarter.
- Classes proposed for a course and quarter: one per `class_size` officials, rounded up.
- Plan vs actual counts the officials who completed a course in the year (not revoked), under
  the unit of the plan that holds their current unit (the nearest one up the tree), the course
  — or the area, for a completion of a course the plan does not name in an area it names
  alone —, the quarter of completion, the area and their gender. Completions of courses the
  plan names nowhere are "unplanned training", totalled apart.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

QUARTERS = (1, 2, 3, 4)
MAX_COUNT = 100_000  # officials in one need line: more is a typing error


def quarter_of(day: date | int) -> int:
    """The quarter (1–4) of a day, or of a month number."""
    month = day if isinstance(day, int) else day.month
    return (month - 1) // 3 + 1


def classes_for(count: int, class_size: int) -> int:
    """Classes proposed for `count` officials: one per `class_size`, rounded up (0 for 0)."""
    if count <= 0:
        return 0
    return -(-count // max(class_size, 1))


@dataclass(frozen=True)
class Need:
    """A submitted need as the consolidation reads it."""

    unit_id: int
    course_id: int | None
    content_area: str
    quarter: int
    count: int


def consolidate(needs: Iterable[Need]) -> dict[tuple[int, int | None, str, int], int]:
    """(unit id, course id, area — "" when a course is named, quarter) → officials planned: the
    sum of the needs with that key. A need naming a course keeps no area (its area is the
    course's)."""
    lines: dict[tuple[int, int | None, str, int], int] = defaultdict(int)
    for need in needs:
        area = "" if need.course_id is not None else need.content_area
        lines[(need.unit_id, need.course_id, area, need.quarter)] += need.count
    return dict(lines)


def planning_unit(path: str, planned_paths: Iterable[str]) -> str | None:
    """The path of the nearest unit of the plan that holds the unit at `path` (itself or the
    deepest ancestor among `planned_paths`), or None."""
    best = None
    for candidate in planned_paths:
        if path.startswith(candidate) and (best is None or len(candidate) > len(best)):
            best = candidate
    return best


def plan_key(course_id: int, area: str, courses_named: set[int], areas_alone: set[str]):
    """Which line of the plan a completion of course `course_id` (of content area `area`)
    counts for: ("course", id) when the plan names the course, ("area", code) when it names the
    area without a course, else None (unplanned training)."""
    if course_id in courses_named:
        return ("course", course_id)
    if area in areas_alone:
        return ("area", area)
    return None


def completion_rate(planned: int | None, actual: int) -> int | None:
    """Actual as a whole percentage of planned (None when nothing was planned)."""
    if not planned:
        return None
    return round(actual * 100 / planned)
