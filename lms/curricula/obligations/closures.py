"""Whether a cycle is closed for a unit, as the engine and the reminders ask it. The close and
re-open rows are compliance's (a later domain): curricula asks through the `cycle_closures`
signal, which lms.compliance answers with its rows."""

from collections import defaultdict

from blinker import Namespace

# Sent with the cycle ids; a receiver returns, per cycle id, the (unit path, order key, action)
# of every close/reopen row (lms.compliance.queries.closure_rows).
cycle_closures = Namespace().signal("cycle-closures")


def closures_of(cycle_ids: list[int]) -> dict[int, list[tuple[str, tuple, str]]]:
    """Per cycle id: (unit path, order key, action) of every close/reopen row (one query, by
    the receiver of `cycle_closures`)."""
    found: dict[int, list] = defaultdict(list)
    for _receiver, rows in cycle_closures.send(list(cycle_ids)):
        for cycle_id, items in rows.items():
            found[cycle_id].extend(items)
    return found


CLOSE = "close"


def is_closed(unit_path: str | None, closures: list[tuple[str, tuple, str]]) -> bool:
    """Whether the cycle is closed for a unit: the latest close/reopen row of the unit or any
    of its ancestors says close (so re-opening a subtree after a city-wide close reopens it,
    and a later close of the city closes it again)."""
    if unit_path is None:
        return False
    rows = [(order, action) for path, order, action in closures if unit_path.startswith(path)]
    return bool(rows) and max(rows)[1] == CLOSE
