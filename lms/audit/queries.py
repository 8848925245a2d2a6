"""Reading the audit log: the filtered list (action, actor, object, dates) newest first, the
entries about one person, and the words each entry is shown with.

Objects are named by the domain that owns them: a domain registers a namer for its object type
(`@namer("official")`), which turns a batch of object ids into display names in one query, so a
page of entries costs the same few queries whatever it holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, String, and_, cast, or_, select

from lms.audit import actions
from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.common import clock
from lms.extensions import db

NAMERS: dict[str, Callable[[list[str]], dict[str, str]]] = {}


def namer(object_type: str):
    """Decorator: `func(ids) -> {id: name}` names the objects of `object_type` (one query)."""

    def register(func):
        NAMERS[object_type] = func
        return func

    return register


@dataclass(frozen=True)
class AuditFilters:
    """The audit list's filters; every field optional, unknown values ignored."""

    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args, date_from: date | None, date_to: date | None) -> "AuditFilters":
        """The filters from a request's query arguments (dates parsed by the caller)."""
        text = {name: (args.get(name) or "").strip()[:64] for name in ("action", "actor")}
        object_type = (args.get("object_type") or "").strip()
        return cls(
            action=text["action"] if actions.is_registered(text["action"]) else "",
            actor=text["actor"],
            object_type=object_type if object_type in actions.OBJECT_TYPES else "",
            object_id=(args.get("object_id") or "").strip()[:64],
            date_from=date_from,
            date_to=date_to,
        )

    def query_args(self) -> dict:
        """The filters as query arguments (for the export link and the pager)."""
        values = {k: v for k, v in self.__dict__.items() if v}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def entries_select(filters: AuditFilters) -> Select:
    """(AuditEntry, actor username, actor display name) matching `filters`, newest first."""
    stmt = select(AuditEntry, User.username, User.display_name).outerjoin(
        User, User.id == AuditEntry.actor_id
    )
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.actor:
        stmt = stmt.where(
            or_(
                User.username.icontains(filters.actor, autoescape=True),
                User.display_name.icontains(filters.actor, autoescape=True),
            )
        )
    if filters.object_type:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        codes = {filters.object_id, filters.object_id.upper()}  # codes are stored upper case
        stmt = stmt.where(AuditEntry.object_id.in_(codes))
    start, end = clock.day_range(filters.date_from, filters.date_to)
    if start is not None:
        stmt = stmt.where(AuditEntry.at >= start)
    if end is not None:
        stmt = stmt.where(AuditEntry.at < end)
    return stmt.order_by(AuditEntry.id.desc())


@dataclass
class Line:
    """An entry as people read it."""

    entry: AuditEntry
    actor: str | None  # the actor's name, None for the system
    username: str | None
    object_name: str  # the object's code or number, with its name when known
    sentence: str = field(init=False)
    label: str = field(init=False)

    def __post_init__(self):
        self.sentence = actions.sentence(self.entry.action, self.actor, self.object_name)
        self.label = actions.label(self.entry.action)


def object_names(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """(object type, id) → display name, one query per object type that has a namer."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type in NAMERS:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = {}
    for object_type, ids in wanted.items():
        for object_id, name in NAMERS[object_type](sorted(ids)).items():
            names[(object_type, object_id)] = name
    return names


def lines(rows: list) -> list[Line]:
    """Rows of `entries_select` as Lines (one query per kind of named object)."""
    names = object_names(entry for entry, _username, _name in rows)
    return [
        Line(
            entry,
            display or username,
            username,
            names.get((entry.object_type, entry.object_id), entry.object_id),
        )
        for entry, username, display in rows
    ]


def about_objects(object_type: str, ids: Select) -> ColumnElement:
    """Entries about the objects of `object_type` whose ids the one-column `ids` selects (a
    subquery: the entries of a person's certificates, ledger lines… in the same query)."""
    column = ids.selected_columns[0]
    return and_(
        AuditEntry.object_type == object_type,
        AuditEntry.object_id.in_(ids.with_only_columns(cast(column, String))),
    )


def about_object(object_type: str, *ids: str) -> ColumnElement:
    """Entries about one object, named by any of `ids` (an account by id or by username)."""
    return and_(AuditEntry.object_type == object_type, AuditEntry.object_id.in_(ids))


def recorded_value(key: str, value) -> ColumnElement:
    """Entries whose recorded values (after the change) hold `key` = `value` (e.g. the official
    given extra time on a test)."""
    return cast(AuditEntry.after[key].as_string(), String) == str(value)


def log_about(conditions: list[ColumnElement]) -> list[Line]:
    """Every entry matching any of `conditions`, oldest first, as Lines (a person's processing
    log: one query for the entries, one per kind of named object)."""
    stmt = (
        select(AuditEntry, User.username, User.display_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(or_(*conditions))
        .order_by(AuditEntry.id)
    )
    return lines(db.session.execute(stmt).all())


@namer("user")
def _user_names(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 10]
    rows = db.session.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(numbers))
    )
    return {str(uid): f"{username} ({name})" for uid, username, name in rows}
