"""Teams rules with no Flask and no database: which posts make a head, whether a dated
assignment holds on a day, the nearest head up a unit's path, and from when an overdue
obligation is escalated to the head. Everything here is a pure function of its arguments."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta


def head_position_codes(setting: str | Iterable[str] | None) -> frozenset[str]:
    """The job-position codes whose holder heads the unit of the post, from the setting
    `LMS_HEAD_POSITIONS` ("LD-GD, LD-TP" or a list); blanks are ignored, codes kept as typed
    but trimmed."""
    if setting is None:
        return frozenset()
    items = setting.split(",") if isinstance(setting, str) else setting
    return frozenset(code.strip() for code in items if code and code.strip())


def holds_on(started_on: date, ended_on: date | None, day: date) -> bool:
    """Whether an assignment from `started_on` to `ended_on` (None: open) holds on `day` —
    both ends included."""
    return started_on <= day and (ended_on is None or day <= ended_on)


def path_ids(path: str) -> list[int]:
    """The unit ids of a unit path "/1/5/9/", nearest first: [9, 5, 1]."""
    return [int(part) for part in reversed(path.strip("/").split("/")) if part]


def nearest_heads(
    path: str, heads_by_unit: Mapping[int, Iterable[int]], official_id: int | None = None
) -> tuple[int | None, list[int]]:
    """The head of an official placed in the unit of `path`: the heads of the nearest unit on
    the path (the unit itself first, then its parents) that has a head other than the official
    themselves — so a head's own head is the head of the unit above. Returns (that unit's id,
    its heads' official ids, sorted), or (None, []) when no unit on the path has one."""
    for unit_id in path_ids(path):
        heads = sorted(h for h in heads_by_unit.get(unit_id, ()) if h != official_id)
        if heads:
            return unit_id, heads
    return None, []


def escalates_on(due_on: date, escalation_days: int) -> date:
    """The first day an obligation still open after its due date `due_on` is named in the
    head's digest: the day after the due date plus `escalation_days` (negative counts as 0)."""
    return due_on + timedelta(days=1 + max(escalation_days, 0))


def is_escalated(due_on: date, escalation_days: int, today: date) -> bool:
    """Whether an open obligation due on `due_on` is escalated to the head on `today`."""
    return today >= escalates_on(due_on, escalation_days)
