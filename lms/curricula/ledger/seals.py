"""Checking and protecting the ledger: verify every official's hash chain and its audit entries,
seal the ledger's extent (signed and chained), check the seals, and re-hash everything under a
new ledger key."""

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import String, and_, bindparam, cast, exists, func, or_, select, text
from sqlalchemy import update as _sql_update

from lms.audit import services as audit
from lms.audit.models import AuditEntry
from lms.common import clock, integrity
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import (
    LedgerEntry,
    LedgerSeal,
)
from lms.curricula.ledger.services import (
    GENESIS,
    HASH_KEYED,
    HASH_LEGACY,
    LEGACY_SOURCE,
    entry_hash,
    legacy_entry_hash,
)
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _


@dataclass(frozen=True)
class Break:
    """A place where the ledger does not hold: the entry, and what is wrong with it."""

    official_id: int
    entry_id: int
    seq: int
    # "hash" (content changed, or hashed without the key), "link" (prev_hash wrong), "gap"
    # (seq missing), "unkeyed" (hashed before the ledger key: run `ledger rekey` once),
    # "actor" (names neither a person nor a system source), "audit" (no audit entry by the
    # same actor records it)
    problem: str


def verify(batch: int = 5000, progress=None):
    """Yield every Break in every official's chain, reading the ledger in official/seq order
    one batch at a time (constant memory for a city's ledger), then every entry without its
    audit entry; `progress(n)` is called every `batch` entries (for a progress bar)."""
    years = dict(db.session.execute(select(Cycle.id, Cycle.year)).all())
    key = integrity.ledger_key()
    stmt = (
        select(LedgerEntry)
        .order_by(LedgerEntry.official_id, LedgerEntry.seq)
        .execution_options(yield_per=batch)
    )
    previous: LedgerEntry | None = None
    count = 0
    for entry in db.session.scalars(stmt):
        first = previous is None or previous.official_id != entry.official_id
        expected_seq = 1 if first else previous.seq + 1
        expected_prev = GENESIS if first else previous.entry_hash
        if entry.seq != expected_seq:
            yield Break(entry.official_id, entry.id, entry.seq, "gap")
        elif entry.prev_hash != expected_prev:
            yield Break(entry.official_id, entry.id, entry.seq, "link")
        year = years.get(entry.cycle_id, 0)
        if entry.hash_version == HASH_LEGACY:
            intact = legacy_entry_hash(entry, year) == entry.entry_hash
            yield Break(entry.official_id, entry.id, entry.seq, "unkeyed" if intact else "hash")
        elif not hmac.compare_digest(entry_hash(entry, year, key), entry.entry_hash):
            yield Break(entry.official_id, entry.id, entry.seq, "hash")
        if entry.actor_id is None and not entry.system_source and entry.hash_version != 1:
            yield Break(entry.official_id, entry.id, entry.seq, "actor")
        previous = entry
        count += 1
        if progress is not None and count % batch == 0:
            progress(batch)
    if progress is not None:
        progress(count % batch)
    yield from unaudited()


def _audited(action: str, object_id):
    """An audit entry `action` about the ledger entry `object_id` by the entry's own actor."""
    return exists().where(
        AuditEntry.object_type == "ledger_entry",
        AuditEntry.action == action,
        AuditEntry.object_id == cast(object_id, String),
        or_(
            AuditEntry.actor_id == LedgerEntry.actor_id,
            and_(AuditEntry.actor_id.is_(None), LedgerEntry.actor_id.is_(None)),
        ),
    )


def unaudited():
    """Yield a Break "audit" for every entry that no audit entry by the same actor records: an
    entry is audited as "ledger.append" under its own id, a reversal as "ledger.reverse" under
    the id of the entry it reverses. One SQL anti-join on the audit log's object index."""
    stmt = (
        select(LedgerEntry.official_id, LedgerEntry.id, LedgerEntry.seq)
        .where(
            or_(
                and_(
                    LedgerEntry.reverses_id.is_(None),
                    ~_audited("ledger.append", LedgerEntry.id),
                ),
                and_(
                    LedgerEntry.reverses_id.is_not(None),
                    ~_audited("ledger.reverse", LedgerEntry.reverses_id),
                ),
            )
        )
        .order_by(LedgerEntry.official_id, LedgerEntry.seq)
        .execution_options(yield_per=5000)
    )
    for official_id, entry_id, seq in db.session.execute(stmt):
        yield Break(official_id, entry_id, seq, "audit")


# --- seals: the ledger's extent, signed -------------------------------------------------------


@dataclass(frozen=True)
class SealCheck:
    """The seals against the ledger now: `problems` is empty when they hold.

    Problems of the latest seal: "signature" (a seal's figures were altered, or the key
    changed since), "missing" (sealed entries were removed), "extra" (entries appeared among
    the sealed ones), "heads" (an official's last sealed entry is not the one sealed). Of the
    seals as a whole: "emptied" (entries name seals that are gone: the table was emptied or
    its last seals removed), "seal_gap" (a seal is missing between others), "seal_chain" (a
    seal does not follow the one before it)."""

    seal: LedgerSeal | None
    entries: int
    officials: int
    problems: tuple[str, ...]


def _extent(last_entry_id: int) -> tuple[int, int, str]:
    """(entries, officials, digest) of the ledger up to entry `last_entry_id`: the digest is
    SHA-256 over each official's last entry among them (official, seq, hash), in order."""
    upto = LedgerEntry.id <= last_entry_id
    count = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(upto)) or 0
    heads = (
        select(LedgerEntry.official_id, func.max(LedgerEntry.seq).label("seq"))
        .where(upto)
        .group_by(LedgerEntry.official_id)
        .subquery()
    )
    rows = db.session.execute(
        select(LedgerEntry.official_id, LedgerEntry.seq, LedgerEntry.entry_hash)
        .join(
            heads,
            (heads.c.official_id == LedgerEntry.official_id) & (heads.c.seq == LedgerEntry.seq),
        )
        .order_by(LedgerEntry.official_id)
        .execution_options(yield_per=10000)
    )
    digest, officials = hashlib.sha256(), 0
    for official_id, seq, head_hash in rows:
        digest.update(f"{official_id}:{seq}:{head_hash}\n".encode())
        officials += 1
    return count, officials, digest.hexdigest()


def _mac_v1(seal: LedgerSeal) -> str:
    """The MAC of the seals written before the ledger key (version 1): keyed by SECRET_KEY."""
    key = hashlib.sha256(b"lms.ledger-seal\x1f" + current_app.secret_key.encode()).digest()
    sealed_at = seal.sealed_at.replace(tzinfo=None).isoformat(timespec="microseconds")
    message = f"{sealed_at}|{seal.last_entry_id}|{seal.entries}|{seal.officials}|{seal.digest}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _mac(seal: LedgerSeal, key: bytes | None = None) -> str:
    """The seal's MAC: version 2 under the ledger key, chained to the previous seal."""
    if seal.version == 1:
        return _mac_v1(seal)
    sealed_at = seal.sealed_at.replace(tzinfo=None).isoformat(timespec="microseconds")
    parts = (
        "ledger-seal",
        seal.seq,
        seal.prev_mac,
        sealed_at,
        seal.last_entry_id,
        seal.entries,
        seal.officials,
        seal.digest,
    )
    return integrity.mac(key or integrity.ledger_key(), parts)


def _latest_seal() -> LedgerSeal | None:
    return db.session.scalar(select(LedgerSeal).order_by(LedgerSeal.seq.desc()).limit(1))


def seal(checked: bool = True) -> LedgerSeal | None:
    """Write a seal of the ledger as it is now (None while it is empty); flushes. Refuses
    (SealRefused, nothing written) when the sealed entries changed since the latest seal, so
    the next seal never blesses a removal; `checked=False` only for `rekey`, which verified
    the whole ledger before re-hashing it.

    On PostgreSQL the ledger is locked against writers for the moment it takes (about a
    second for a city): a transaction still writing entries would otherwise commit ids below
    the sealed extent afterwards, and the next check would report them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE ledger_entries IN SHARE MODE"))
        db.session.execute(text("LOCK TABLE ledger_seals IN EXCLUSIVE MODE"))
    last = db.session.scalar(select(func.max(LedgerEntry.id)))
    if last is None:
        return None
    if checked:
        _refuse_if_unsealed_changes()
    entries, officials, digest = _extent(last)
    before = _latest_seal()
    row = LedgerSeal(
        sealed_at=clock.now(),
        last_entry_id=last,
        entries=entries,
        officials=officials,
        digest=digest,
        mac="",
        seq=(before.seq + 1) if before else 1,
        prev_mac=before.mac if before else "",
        version=2,
    )
    row.mac = _mac(row)
    db.session.add(row)
    db.session.flush()
    return row


def _seal_chain_problems(keys: tuple[bytes, ...]) -> list[str]:
    """Every seal's signature (under one of `keys`), numbering and link to the one before."""
    problems: list[str] = []
    previous: LedgerSeal | None = None
    for row in db.session.scalars(select(LedgerSeal).order_by(LedgerSeal.seq)):
        if previous is None and row.seq != 1 or previous and row.seq != previous.seq + 1:
            problems.append("seal_gap")
        if row.version != 1 and row.prev_mac != (previous.mac if previous else ""):
            problems.append("seal_chain")
        if not any(hmac.compare_digest(row.mac, _mac(row, key)) for key in keys):
            problems.append("signature")
        previous = row
    return list(dict.fromkeys(problems))


def check_seal(keys: tuple[bytes, ...] | None = None) -> SealCheck:
    """Check the seals against the ledger now (entries added since the latest do not count):
    the latest seal's extent, every seal's signature and chain, and the seal numbers the
    entries carry (a seal they name must still be there)."""
    keys = keys or (integrity.ledger_key(),)
    latest = _latest_seal()
    named = db.session.scalar(select(func.coalesce(func.max(LedgerEntry.seal_seq), 0))) or 0
    problems = _seal_chain_problems(keys)
    if named > (latest.seq if latest else 0):
        problems.insert(0, "emptied")
    if latest is None:
        return SealCheck(None, 0, 0, tuple(problems))
    entries, officials, digest = _extent(latest.last_entry_id)
    if entries < latest.entries:
        problems.append("missing")
    elif entries > latest.entries:
        problems.append("extra")
    if digest != latest.digest:
        problems.append("heads")
    return SealCheck(latest, entries, officials, tuple(dict.fromkeys(problems)))


# --- the ledger key: upgrade and rotation -----------------------------------------------------


@dataclass(frozen=True)
class Rekeyed:
    """What `rekey` did: entries re-hashed (of which were version 1), seals re-signed."""

    entries: int
    legacy: int
    seals: int
    key_id: str


# What a new seal would bless: sealed rows removed or added, seals removed. Signature problems
# (a key not yet rekeyed) do not stop the night's seal; `verify` reports them.
EXTENT_PROBLEMS = ("emptied", "missing", "extra", "heads")


class SealRefused(RuleViolation):
    """The rows no longer match their latest seal: a new seal would hide the change, so none is
    written (the night's run fails and says so; `flask integrity verify` tells the rest)."""


def _refuse_if_unsealed_changes() -> None:
    found = [p for p in check_seal().problems if p in EXTENT_PROBLEMS]
    if found:
        raise SealRefused(
            _(
                "The credit ledger no longer matches its latest seal (%(problems)s): no new "
                "seal was written. Run flask --app lms integrity verify.",
                problems=", ".join(found),
            ),
            "seal_broken",
        )


class RekeyRefused(RuleViolation):
    """The ledger does not verify under its present keys: nothing was re-hashed."""


def rekey(batch: int = 500, progress=None, actor=None) -> Rekeyed:
    """Re-hash every chain under the current ledger key (flushed; the caller commits): after
    the upgrade that introduced the key (version 1 entries) and to rotate the key (entries
    and seals under one of `integrity.previous_keys()`). Refuses (RekeyRefused, nothing
    changed) when any entry or seal does not verify under its present scheme: a forged or
    altered ledger is never blessed. Entries written without a person and naming no system
    source are named "legacy". Re-signs every seal in order and writes a fresh one. Audited
    ("ledger.rekeyed"). Takes officials `batch` at a time; on PostgreSQL the ledger is locked
    meanwhile."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE ledger_entries IN EXCLUSIVE MODE"))
        db.session.execute(text("LOCK TABLE ledger_seals IN EXCLUSIVE MODE"))
    key = integrity.ledger_key()
    keys = (key, *integrity.previous_keys())
    sealed = check_seal(keys)
    if sealed.problems:
        raise RekeyRefused(
            _(
                "The seals do not hold (%(problems)s): nothing was re-hashed.",
                problems=", ".join(sealed.problems),
            ),
            "seal_broken",
        )
    years = dict(db.session.execute(select(Cycle.id, Cycle.year)).all())
    ids = list(db.session.scalars(select(LedgerEntry.official_id).distinct()))
    ids.sort()
    table = LedgerEntry.__table__
    change = (
        _sql_update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            prev_hash=bindparam("b_prev"),
            entry_hash=bindparam("b_hash"),
            hash_version=HASH_KEYED,
            system_source=bindparam("b_system"),
        )
    )
    total = legacy = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        rows = db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.official_id.in_(chunk))
            .order_by(LedgerEntry.official_id, LedgerEntry.seq)
        ).all()
        params, previous = [], None
        new_prev = GENESIS
        for entry in rows:
            first = previous is None or previous.official_id != entry.official_id
            year = years.get(entry.cycle_id, 0)
            expected_prev = GENESIS if first else previous.entry_hash
            if entry.hash_version == HASH_LEGACY:
                intact = legacy_entry_hash(entry, year) == entry.entry_hash
                legacy += 1
            else:
                intact = any(
                    hmac.compare_digest(entry_hash(entry, year, k), entry.entry_hash) for k in keys
                )
            if (
                not intact
                or entry.prev_hash != expected_prev
                or entry.seq != (1 if first else previous.seq + 1)
            ):
                db.session.rollback()
                raise RekeyRefused(
                    _(
                        "Entry %(seq)s of official #%(official)s does not verify: nothing was "
                        "re-hashed. Run `flask ledger verify`.",
                        seq=entry.seq,
                        official=entry.official_id,
                    ),
                    "chain_broken",
                )
            if first:
                new_prev = GENESIS
            system = entry.system_source
            if entry.actor_id is None and not system:
                system = LEGACY_SOURCE
            db.session.expunge(entry)
            previous = SimpleEntry(entry.official_id, entry.seq, entry.entry_hash)
            entry.prev_hash, entry.system_source = new_prev, system
            new_hash = entry_hash(entry, year, key)
            params.append(
                {"b_id": entry.id, "b_prev": new_prev, "b_hash": new_hash, "b_system": system}
            )
            new_prev = new_hash
        if params:
            db.session.execute(change, params)
        total += len(params)
        if progress is not None:
            progress(len(params))
    seals = _resign(keys, key)
    row = seal(checked=False)
    audit.record(
        actor,
        "ledger.rekeyed",
        "ledger",
        "ledger",
        after={"entries": total, "legacy": legacy, "seals": seals, "key_id": integrity.key_id(key)},
    )
    db.session.flush()
    return Rekeyed(total, legacy, seals + (1 if row else 0), integrity.key_id(key))


@dataclass(frozen=True)
class SimpleEntry:
    official_id: int
    seq: int
    entry_hash: str


def _resign(keys: tuple[bytes, ...], key: bytes) -> int:
    """Re-sign every seal, in order, as version 2 under `key` (their figures unchanged; each
    was checked under `keys` first by check_seal)."""
    previous_mac, count = "", 0
    table = LedgerSeal.__table__
    for row in db.session.scalars(select(LedgerSeal).order_by(LedgerSeal.seq)).all():
        row_version, row_prev = 2, previous_mac
        db.session.expunge(row)
        row.version, row.prev_mac = row_version, row_prev
        new_mac = _mac(row, key)
        db.session.execute(
            _sql_update(table)
            .where(table.c.id == row.id)
            .values(version=2, prev_mac=row_prev, mac=new_mac)
        )
        previous_mac = new_mac
        count += 1
    return count
