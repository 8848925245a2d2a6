"""Writing audit entries. Every service that changes grants, officials, grades, credits or
certificates calls `record` in the same transaction as the change."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert

from lms.audit.actions import is_registered
from lms.audit.models import AuditEntry
from lms.common import clock, sealing
from lms.extensions import db


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose values differ; returns (before, after) with JSON-safe values."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return ({k: _plain(before.get(k)) for k in keys}, {k: _plain(after.get(k)) for k in keys})


def record(
    actor,
    action: str,
    obj_type: str,
    obj_id,
    before: dict | None = None,
    after: dict | None = None,
    address: str | None = None,
) -> AuditEntry:
    """Add one audit entry (flushed, not committed). `actor` is a User or None for the system.

    Raises ValueError for an action code without its words in lms/audit/actions.py."""
    if not is_registered(action):
        raise ValueError(f"audit action {action!r} is not registered in lms/audit/actions.py")
    values = sealing.sign(
        sealing.AUDIT,
        {
            "at": clock.now(),
            "actor_id": getattr(actor, "id", None),
            "action": action,
            "object_type": obj_type,
            "object_id": str(obj_id),
            "before": {k: _plain(v) for k, v in before.items()} if before else None,
            "after": {k: _plain(v) for k, v in after.items()} if after else None,
            "address": address,
        },
    )
    entry = AuditEntry(**values)
    db.session.add(entry)
    db.session.flush()
    return entry


def add_recorded(row, actor, action: str, obj_type: str, obj_id, after: dict | None = None) -> None:
    """Add the new `row` (the calling domain's), flush it, and `record` its creation: `action`
    on (`obj_type`, `obj_id`) with `after`. The arguments are read before the flush, so a
    record that names the row's id, or a value the database fills in, flushes and calls
    `record` itself. Raises ValueError as `record` does."""
    db.session.add(row)
    db.session.flush()
    record(actor, action, obj_type, obj_id, after=after)


def record_many(
    actor, action: str, obj_type: str, entries: list[tuple[object, dict | None]]
) -> int:
    """Add one audit entry per (object id, after) pair in a single bulk insert (flushed, not
    committed): for changes made to many rows at once. Returns how many were written."""
    if not is_registered(action):
        raise ValueError(f"audit action {action!r} is not registered in lms/audit/actions.py")
    if not entries:
        return 0
    now, actor_id = clock.now(), getattr(actor, "id", None)
    sealed = sealing.seals_written(sealing.AUDIT)
    rows = [
        sealing.sign(
            sealing.AUDIT,
            {
                "at": now,
                "actor_id": actor_id,
                "action": action,
                "object_type": obj_type,
                "object_id": str(obj_id),
                "before": None,
                "after": {k: _plain(v) for k, v in after.items()} if after else None,
                "address": None,
            },
            sealed,
        )
        for obj_id, after in entries
    ]
    db.session.execute(insert(AuditEntry), rows)
    return len(rows)
