"""Reads of personal data in the audit log: one entry per request, whatever it showed (one
statement, a page of 50 officials, a 30,000-row export), with what was read, how many, the
scope and filters, and (for a bounded list) the ids of the officials on it.

An entry names the official it is about (`object_type` "official", the employee code) when it
is about one person; a list names what it listed and keeps in `after`:

- `count`: how many officials (or rows) it held;
- `scope`: the unit paths it covered ("/" for everything), so an official placed in one of them
  at the time finds the entry among the views of their record;
- `official_ids`: the officials on it, when they are few enough to list (at most IDS_MAX);
- `filters`, `purpose` or `reason`, `via` (web or api), `format`, …

Reads by the person the data is about (an official opening their own statement) are not
recorded: nobody else processed their data.
"""

from sqlalchemy import case, func, literal

from lms.audit.models import AuditEntry
from lms.audit.services import record
from lms.extensions import db

# Actions that record a read (the retention period of read entries applies to these only).
PER_OFFICIAL = frozenset(
    {
        "official.viewed",
        "statement.viewed",
        "ledger.viewed",
        "certificate.viewed",
        "transcript.viewed",
        "evidence.downloaded",
    }
)
LISTS = frozenset(
    {
        "officials.listed",
        "officials.exported",
        "compliance.exported",
        "statements.printed",
        "certificates.bulk_downloaded",
    }
)
READ_ACTIONS = PER_OFFICIAL | LISTS
IDS_MAX = 5000  # a list of more officials keeps its scope only (see the module docstring)
EVERYTHING = ["/"]  # the scope of an administrator: every unit path starts with "/"


def record_view(actor, action: str, official, address: str | None = None, **details):
    """Record that `actor` read something about one `official` (anything with `id` and
    `employee_code`); `details` (cycle, serial, format, via…) go to the entry. Nothing is
    recorded when the actor is that official. Returns the entry or None (flushed)."""
    assert action in PER_OFFICIAL, action
    if official is None or getattr(actor, "official_id", None) == official.id:
        return None
    after = {key: value for key, value in details.items() if value is not None}
    return record(
        actor, action, "official", official.employee_code, after=after or None, address=address
    )


def record_list(
    actor,
    action: str,
    object_type: str,
    object_id,
    *,
    count: int,
    scope: list[str] | None,
    official_ids=None,
    address: str | None = None,
    **details,
):
    """Record that `actor` read a list of `count` officials (or rows about them) within `scope`
    (unit paths; None for everything); `official_ids`, when given and at most IDS_MAX, are kept
    too. `details` (filters, purpose, format, via…) go to the entry. Returns it (flushed)."""
    assert action in LISTS, action
    after = {key: value for key, value in details.items() if value not in (None, "", {})}
    after["count"] = count
    after["scope"] = EVERYTHING if scope is None else sorted(scope)
    if official_ids is not None:
        ids = sorted({int(i) for i in official_ids})
        if len(ids) <= IDS_MAX:
            after["official_ids"] = ids
    return record(actor, action, object_type, object_id, after=after, address=address)


def ids_if_few(stmt) -> list[int] | None:
    """The official ids a one-column select gives, if there are at most IDS_MAX of them (one
    query, reading at most IDS_MAX + 1 rows); None when there are more (the entry then keeps
    the scope only)."""
    ids = list(db.session.scalars(stmt.order_by(None).limit(IDS_MAX + 1)))
    return ids if len(ids) <= IDS_MAX else None


def elements(key: str):
    """The elements of the JSON array `after[key]` of each audit entry, as a table-valued
    function with one column `value` (text on PostgreSQL, the JSON value on SQLite), for
    EXISTS subqueries correlated with audit_entries. Non-arrays give no rows."""
    if db.session.get_bind().dialect.name == "postgresql":
        array = AuditEntry.after.op("->")(literal(key))
        guarded = case((func.json_typeof(array) == "array", array), else_=None)
        return func.json_array_elements_text(guarded).table_valued("value")
    return func.json_each(AuditEntry.after, f"$.{key}").table_valued("value")


def has_key(key: str):
    """SQL condition: the entry's `after` has the key `key`."""
    if db.session.get_bind().dialect.name == "postgresql":
        return AuditEntry.after.op("->")(literal(key)).is_not(None)
    return func.json_type(AuditEntry.after, f"$.{key}").is_not(None)


def id_value(official_id: int):
    """`official_id` as `elements("official_ids").c.value` holds it on this database."""
    is_postgresql = db.session.get_bind().dialect.name == "postgresql"
    return str(official_id) if is_postgresql else official_id
