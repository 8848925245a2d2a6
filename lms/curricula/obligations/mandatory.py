"""An official's mandatory courses as people read them, with no Flask and no database: one row
per course whatever obligations it has in the cycle (a first-time obligation and a
recertification of the same course are one course), and the state of that row on a day —
done, owed (past due, not done) or not yet due. /me, the statements (live and frozen), their
PDFs, the exports and the API all count and list courses through this module, so their numbers
agree; lms.compliance.queries counts the same way in SQL."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Obligation statuses (the strings of lms.curricula.obligations.models).
OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"
# The states of a mandatory course in a statement (API values; labels in the templates).
STATE_DONE, STATE_OWED, STATE_NOT_YET_DUE = "done", "owed", "not_yet_due"
STATES = (STATE_DONE, STATE_OWED, STATE_NOT_YET_DUE)


@dataclass(frozen=True)
class MandatoryCourse:
    """One obligation of an official in a cycle, with its course and, when done, the day of the
    completion that satisfied it (None if that is unknown)."""

    course_id: int
    code: str
    title: str
    kind: str  # mandatory | recertification
    due_on: date
    status: str  # open | done | withdrawn
    done_on: date | None = None

    def state_on(self, day: date) -> str:
        """done · owed (open and its due date is before `day`) · not_yet_due."""
        if self.status == DONE:
            return STATE_DONE
        return STATE_OWED if self.due_on < day else STATE_NOT_YET_DUE


def _weight(item: MandatoryCourse) -> tuple:
    """Larger wins: any open obligation beats a done one, and among open ones the earliest due
    (the one that bites first); among done ones the latest satisfied (then the latest due)."""
    if item.status == OPEN:
        return (1, -item.due_on.toordinal(), 0)
    return (0, (item.done_on or date.min).toordinal(), item.due_on.toordinal())


def one_per_course(items: Iterable[MandatoryCourse]) -> list[MandatoryCourse]:
    """The obligation that matters for each course: the open one if any, else the latest
    satisfied; withdrawn obligations count for nothing. Ordered by due date, then course code.

    Example: BB02 done in 2024 and its recertification open in 2026 → one row, the open
    recertification, due on the old certificate's expiry.
    """
    chosen: dict[int, MandatoryCourse] = {}
    for item in items:
        if item.status == WITHDRAWN:
            continue
        held = chosen.get(item.course_id)
        if held is None or _weight(item) > _weight(held):
            chosen[item.course_id] = item
    return sorted(chosen.values(), key=lambda item: (item.due_on, item.code, item.course_id))


def counts(rows: Iterable[MandatoryCourse]) -> tuple[int, int]:
    """(required, completed) of rows from `one_per_course`: courses, and courses done."""
    rows = list(rows)
    return len(rows), sum(1 for row in rows if row.status == DONE)
