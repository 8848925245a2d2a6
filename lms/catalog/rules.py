"""Catalog rules with no Flask and no database: course status changes, where a learner resumes,
progress, and prerequisite cycles."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from lms.catalog.models import ARCHIVED, DRAFT, PUBLISHED

# status → the statuses it may move to. A published course with learners is archived, not
# turned back into a draft (the service checks that); an archived one can be published again.
TRANSITIONS = {
    DRAFT: (PUBLISHED, ARCHIVED),
    PUBLISHED: (ARCHIVED, DRAFT),
    ARCHIVED: (PUBLISHED, DRAFT),
}


def can_move(current: str, target: str) -> bool:
    """Whether a course may go from status `current` to `target`."""
    return target in TRANSITIONS.get(current, ())


def resume_at(lesson_ids: Sequence[int], done: set[int]) -> int | None:
    """The lesson to open next: the first one (in order) not done; None when all are done or
    there is none."""
    return next((lesson_id for lesson_id in lesson_ids if lesson_id not in done), None)


def percent(done, total) -> int:
    """`done` as a whole percentage of `total` (lessons, credits), rounded half up (2 of 3 is
    67), but 100 only once `total` is reached (2.99 of 3 is 99); 0 when `total` is 0."""
    if total <= 0:
        return 0
    if done >= total:
        return 100
    share = (Decimal(done) * 100 / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(int(share), 99)


def is_mandatory_for(course_positions: Iterable[str], held_positions: Iterable[str]) -> bool:
    """Whether a course is mandatory for someone holding any of `held_positions`."""
    return not set(course_positions).isdisjoint(held_positions)


def find_cycle(requires: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A prerequisite cycle as a list of codes (first repeated last), or None.

    Args:
        requires: course code → codes of its prerequisites.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = 1
        path.append(code)
        for prerequisite in sorted(requires.get(code, ())):
            if state.get(prerequisite) == 1:
                return path[path.index(prerequisite) :] + [prerequisite]
            if prerequisite not in state:
                cycle = visit(prerequisite)
                if cycle:
                    return cycle
        path.pop()
        state[code] = 2
        return None

    for code in sorted(requires):
        if code not in state:
            cycle = visit(code)
            if cycle:
                return cycle
    return None
