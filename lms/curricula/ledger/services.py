"""The credit ledger: append an entry, reverse one, read balances (in SQL), who may write on
whose record, and the hash of an entry. There is deliberately no function that updates or
deletes an entry."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import event, func, select

from lms.audit import services as audit
from lms.common import clock, integrity
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import (
    EXTERNAL,
    HISTORICAL,
    IN_PERSON,
    MANUAL,
    ONLINE,
    SOURCES,
    LedgerEntry,
    LedgerSeal,
)
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official

GENESIS = "0" * 64
CENT = Decimal("0.01")
# The hash schemes: 1 = plain SHA-256 (before the ledger key; reported by verify until
# `ledger rekey`), 2 = HMAC-SHA256 under the ledger key (lms/common/integrity.py).
HASH_LEGACY, HASH_KEYED = 1, 2
# The system source an entry written without a person names, by credit source; `ledger rekey`
# names "legacy" the version 1 entries written without a person.
SYSTEM_SOURCES = {
    ONLINE: "grading",
    IN_PERSON: "classes",
    EXTERNAL: "external",
    MANUAL: "manual",
    HISTORICAL: "import",
}
LEGACY_SOURCE = "legacy"


@dataclass(frozen=True)
class NewEntry:
    """What a credit source writes: credits earned on a day, for a course or a titled activity.

    `source_ref` names the record the credits come from (e.g. "attempt:12", "member:7",
    "external:3", "import:<key>"); `completion_id` links a course completion.
    """

    official_id: int
    earned_on: date
    credits: Decimal
    source: str
    title: str
    course_id: int | None = None
    periods: int = 0
    source_ref: str = ""
    completion_id: int | None = None
    reason: str = ""


def _parts(entry: LedgerEntry, cycle_year: int) -> tuple[str, ...]:
    created = entry.created_at.replace(tzinfo=None).isoformat(timespec="microseconds")
    parts = (
        entry.prev_hash,
        str(entry.official_id),
        str(entry.seq),
        str(cycle_year),
        entry.earned_on.isoformat(),
        str(entry.course_id or ""),
        entry.title,
        str(Decimal(entry.credits).quantize(CENT)),
        str(entry.periods),
        entry.source,
        entry.source_ref,
        str(entry.completion_id or ""),
        str(entry.reverses_id or ""),
        entry.reason,
        str(entry.actor_id or ""),
        created,
    )
    return parts


def legacy_entry_hash(entry: LedgerEntry, cycle_year: int) -> str:
    """Plain SHA-256 of the entry's content and `prev_hash`: the scheme before the ledger key
    (hash_version 1). Anyone can compute it, which is why verify reports such entries."""
    return hashlib.sha256("\x1f".join(_parts(entry, cycle_year)).encode()).hexdigest()


def entry_hash(entry: LedgerEntry, cycle_year: int, key: bytes | None = None) -> str:
    """The entry's hash (hash_version 2): HMAC-SHA256 under the ledger key (the current one
    unless `key` is given) of its content, its system source, the seals written before it and
    `prev_hash`. Without the key, which the database does not hold, nobody computes it."""
    parts = (
        *_parts(entry, cycle_year),
        entry.system_source or "",
        str(entry.seal_seq or 0),
        str(HASH_KEYED),
    )
    return integrity.mac(key or integrity.ledger_key(), parts)


def _seals_written() -> int:
    """The number of the latest seal (0 before the first): one index lookup."""
    return db.session.scalar(select(func.coalesce(func.max(LedgerSeal.seq), 0))) or 0


# --- separation of duties --------------------------------------------------------------------
# Nobody records, approves, posts or reverses credits on their own official record: a person
# earns credits only by passing an online course (graded by the system). The one exception is
# an administrator's explicit override from the shell, with a reason, audited
# ("ledger.own_override").


def actor_official_id(actor) -> int | None:
    """The official record linked to `actor`'s user account (None: no link, or no actor).
    Accepts a User or anything with the user's `id` (a job's stand-in)."""
    if actor is None:
        return None
    if hasattr(actor, "official_id"):
        return actor.official_id
    from lms.auth.models import User

    actor_id = getattr(actor, "id", None)
    if actor_id is None:
        return None
    return db.session.scalar(select(User.official_id).where(User.id == actor_id))


def is_own_record(actor, official_id: int) -> bool:
    """Whether `official_id` is the record of the acting user themselves."""
    own = actor_official_id(actor)
    return own is not None and own == official_id


def own_record_message() -> str:
    return _("This is your own record: credits for you are recorded by another officer.")


def refuse_own(actor, official_id: int, source: str, override: str | None = None) -> None:
    """Raise RuleViolation "own_record" when `actor` would write credits of `source` on their
    own record. Online credits are the system's grading, not the person's act, and pass.
    `override` (a reason) lets an administrator through; the caller audits it."""
    if source == ONLINE or not is_own_record(actor, official_id):
        return
    if override and override.strip():
        from lms.auth.permissions import is_admin

        if is_admin(actor):
            return
    raise RuleViolation(own_record_message(), "own_record")


def audit_override(actor, official_id: int, override: str | None, **what) -> None:
    """Audit an administrator's override on their own record ("ledger.own_override", naming
    the official, the reason and what was written); nothing when no override was used."""
    if override and is_own_record(actor, official_id):
        code = db.session.scalar(select(Official.employee_code).where(Official.id == official_id))
        audit.record(
            actor, "ledger.own_override", "official", code, after={"reason": override, **what}
        )


def cycle_for(day: date) -> Cycle:
    """The cycle containing `day`, created as the calendar year when there is none yet."""
    cycle = db.session.scalar(select(Cycle).where(Cycle.starts_on <= day, Cycle.ends_on >= day))
    if cycle is None:
        cycle = Cycle(year=day.year, starts_on=date(day.year, 1, 1), ends_on=date(day.year, 12, 31))
        db.session.add(cycle)
        db.session.flush()
    return cycle


def lock_official(official_id: int) -> None:
    """Hold the official's row lock until the transaction ends (SELECT … FOR UPDATE; SQLite
    serialises writers anyway), so that two transactions writing credits for the same official
    at the same moment take turns: the second one sees the first one's entries, its `seq`
    follows them and the check of credits already earned for a course counts them."""
    db.session.execute(select(Official.id).where(Official.id == official_id).with_for_update())


@event.listens_for(LedgerEntry, "before_update")
def _refuse_update(_mapper, _connection, target: LedgerEntry) -> None:
    if db.session.is_modified(target, include_collections=False):
        raise RuleViolation("ledger entries are append-only", "append_only")


@event.listens_for(LedgerEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _target: LedgerEntry) -> None:
    raise RuleViolation("ledger entries are append-only", "append_only")


def _last(official_id: int) -> LedgerEntry | None:
    return db.session.scalar(
        select(LedgerEntry)
        .where(LedgerEntry.official_id == official_id)
        .order_by(LedgerEntry.seq.desc())
        .limit(1)
    )


def _append(values: dict, cycle: Cycle) -> LedgerEntry:
    """Write the entry after the official's last one: O(1) — the last entry by the (official,
    seq) index, the latest seal's number by its index; the chain is never re-read."""
    lock_official(values["official_id"])
    last = _last(values["official_id"])
    entry = LedgerEntry(
        **values,
        cycle_id=cycle.id,
        seq=(last.seq + 1) if last else 1,
        prev_hash=last.entry_hash if last else GENESIS,
        created_at=clock.now(),
        hash_version=HASH_KEYED,
        seal_seq=_seals_written(),
    )
    entry.entry_hash = entry_hash(entry, cycle.year)
    db.session.add(entry)
    db.session.flush()
    return entry


def append(
    new: NewEntry, actor=None, override: str | None = None, system: str | None = None
) -> LedgerEntry:
    """Append credits to an official's ledger in the cycle containing `earned_on` (flushed).

    The entry names who wrote it: `actor`, or without one the system source `system`
    (default: the credit source's, e.g. "grading" for an online test).

    Raises RuleViolation for an unknown source, a negative amount (corrections go through
    `reverse`), or credits the actor would write on their own record ("own_record", unless an
    administrator gives an `override` reason, audited). Credits and manual entries are audited.
    """
    refuse_own(actor, new.official_id, new.source, override)
    if new.source not in SOURCES:
        raise RuleViolation(_("Unknown credit source."), "bad_source")
    credits = Decimal(new.credits).quantize(CENT)
    if credits < 0:
        raise RuleViolation(_("Credits cannot be negative; reverse an entry instead."), "negative")
    values = {
        "official_id": new.official_id,
        "earned_on": new.earned_on,
        "course_id": new.course_id,
        "title": new.title[:255],
        "credits": credits,
        "periods": new.periods,
        "source": new.source,
        "source_ref": new.source_ref[:64],
        "completion_id": new.completion_id,
        "reason": new.reason,
        "actor_id": getattr(actor, "id", None),
        "system_source": _system(actor, system, new.source),
    }
    entry = _append(values, cycle_for(new.earned_on))
    audit.record(actor, "ledger.append", "ledger_entry", entry.id, after=_summary(entry))
    audit_override(actor, new.official_id, override, entry_id=entry.id, seq=entry.seq)
    return entry


def _system(actor, system: str | None, source: str) -> str | None:
    if getattr(actor, "id", None) is not None:
        return None
    return (system or SYSTEM_SOURCES.get(source, "application"))[:32]


def reverse(
    entry: LedgerEntry, reason: str, actor, override: str | None = None, system: str | None = None
) -> LedgerEntry:
    """Append the reversal of `entry` (same cycle, negated credits and periods) with a reason.

    Raises RuleViolation when the reason is empty, the entry is itself a reversal, it was
    already reversed, or it is on the actor's own record (online credits aside: a regrade
    withdraws them; "own_record", unless an administrator's audited `override`).
    """
    refuse_own(actor, entry.official_id, entry.source, override)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("A reversal needs a reason."), "reason_required")
    if entry.reverses_id is not None:
        raise RuleViolation(_("A reversal cannot be reversed; add a new entry."), "is_reversal")
    already = db.session.scalar(
        select(func.count()).select_from(LedgerEntry).where(LedgerEntry.reverses_id == entry.id)
    )
    if already:
        raise RuleViolation(_("This entry was already reversed."), "already_reversed")
    cycle = db.session.get(Cycle, entry.cycle_id)
    values = {
        "official_id": entry.official_id,
        "earned_on": entry.earned_on,
        "course_id": entry.course_id,
        "title": entry.title,
        "credits": -entry.credits,
        "periods": -entry.periods,
        "source": entry.source,
        "source_ref": entry.source_ref,
        "completion_id": entry.completion_id,
        "reverses_id": entry.id,
        "reason": reason,
        "actor_id": getattr(actor, "id", None),
        "system_source": _system(actor, system, entry.source),
    }
    reversal = _append(values, cycle)
    audit.record(actor, "ledger.reverse", "ledger_entry", entry.id, after=_summary(reversal))
    audit_override(actor, entry.official_id, override, entry_id=reversal.id, seq=reversal.seq)
    return reversal


def _summary(entry: LedgerEntry) -> dict:
    return {
        "official_id": entry.official_id,
        "seq": entry.seq,
        "credits": entry.credits,
        "source": entry.source,
        "source_ref": entry.source_ref,
        "reason": entry.reason,
        **({"system": entry.system_source} if entry.system_source else {}),
    }


def balance(official_id: int, cycle_id: int) -> Decimal:
    """Credits earned by an official in a cycle (entries and reversals summed in SQL)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.credits), 0)).where(
            LedgerEntry.official_id == official_id, LedgerEntry.cycle_id == cycle_id
        )
    )
    return Decimal(total).quantize(CENT)


def credited_cycles(official_id: int, course_id: int) -> list[tuple[date, date]]:
    """The cycles, as (first day, last day), in which the official holds net positive credits
    for the course (a credit and its reversal cancel out), in date order: what
    `rules.earns_credits` decides a new completion by."""
    rows = db.session.execute(
        select(Cycle.starts_on, Cycle.ends_on)
        .join(LedgerEntry, LedgerEntry.cycle_id == Cycle.id)
        .where(LedgerEntry.official_id == official_id, LedgerEntry.course_id == course_id)
        .group_by(Cycle.id, Cycle.starts_on, Cycle.ends_on)
        .having(func.sum(LedgerEntry.credits) > 0)
        .order_by(Cycle.starts_on)
    )
    return [(starts_on, ends_on) for starts_on, ends_on in rows]


def entries(official_id: int, cycle_id: int | None = None) -> list[LedgerEntry]:
    """An official's entries (of one cycle, or all), oldest first."""
    stmt = select(LedgerEntry).where(LedgerEntry.official_id == official_id)
    if cycle_id is not None:
        stmt = stmt.where(LedgerEntry.cycle_id == cycle_id)
    return list(db.session.scalars(stmt.order_by(LedgerEntry.seq)))
