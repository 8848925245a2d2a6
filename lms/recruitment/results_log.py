"""The recruitment results log: append-only and hash-chained per candidate, like the credit
ledger (lms/curricula/ledger), keyed by the integrity key (lms/common/integrity.py) the database
does not hold.

Interface (the computer round writes scores here; the `marking` sub-package writes written marks
and appeal changes through the same two functions):

    append(candidate_id, kind, payload: dict, actor, system="") -> ResultEntry
        Add one line after the candidate's last one (flushed, not committed; audited as
        "recruitment.result_logged"). `kind` is a ResultKind value ("computer_score",
        "written_mark", "appeal_change", "correction"); `payload` is any JSON-able dict
        (Decimals and dates are stored as strings, e.g. {"session_id": 3, "score": "7.50",
        "max_score": "10.00"}); `actor` is a User, or None with `system` naming the part of the
        system that wrote it. Raises ValueError for an unknown kind or a line without a writer.

    verify(recruitment_id=None) -> list[Problem]
        Every break in every candidate's chain: a gap in `seq`, a broken link to the previous
        line, a hash that does not match (a line changed, added or re-hashed in SQL), a line
        naming no writer. [] when the log is intact.

    lines(candidate_id) -> list[ResultEntry]   the candidate's lines in order.
    latest(candidate_id, kind) -> ResultEntry | None   the last line of that kind.

Lines are never updated or deleted (the ORM refuses it); a correction is a new line.
"""

import hmac
import json
from dataclasses import dataclass

from sqlalchemy import event, select

from lms.audit.services import record
from lms.common import clock, integrity
from lms.errors import RuleViolation
from lms.extensions import db
from lms.recruitment.models import Candidate, ResultEntry, ResultKind

GENESIS = "0" * 64


@dataclass(frozen=True)
class Problem:
    """A break in the results log: the candidate, the line and what is wrong with it
    ("gap", "link", "hash" or "actor")."""

    candidate_id: int
    entry_id: int
    seq: int
    reason: str


def canonical(payload: dict) -> str:
    """The payload as the canonical JSON the hash covers (sorted keys, no spaces; Decimals,
    dates and other values as their text)."""

    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def entry_hash(entry: ResultEntry, key: bytes | None = None) -> str:
    """HMAC-SHA256 under the integrity key of the line's fields and its `prev_hash`."""
    created = entry.created_at.replace(tzinfo=None).isoformat(timespec="microseconds")
    parts = (
        entry.prev_hash,
        entry.recruitment_id,
        entry.candidate_id,
        entry.seq,
        entry.kind,
        canonical(entry.payload or {}),
        entry.actor_id or "",
        entry.system_source or "",
        created,
    )
    return integrity.mac(key or integrity.ledger_key(), parts)


@event.listens_for(ResultEntry, "before_update")
def _refuse_update(_mapper, _connection, target: ResultEntry) -> None:
    if db.session.is_modified(target, include_collections=False):
        raise RuleViolation("results log lines are append-only", "append_only")


@event.listens_for(ResultEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _target: ResultEntry) -> None:
    raise RuleViolation("results log lines are append-only", "append_only")


def _lock(candidate_id: int) -> Candidate:
    """The candidate's row, locked until the transaction ends, so two writers take turns."""
    return db.session.scalars(
        select(Candidate).where(Candidate.id == candidate_id).with_for_update()
    ).one()


def append(candidate_id: int, kind: str, payload: dict, actor, system: str = "") -> ResultEntry:
    """Add a line to the candidate's chain (see the module docstring)."""
    if kind not in {k.value for k in ResultKind}:
        raise ValueError(f"unknown results log kind {kind!r}")
    if getattr(actor, "id", None) is None and not system:
        raise ValueError("a results log line names its writer: an actor or a system source")
    candidate = _lock(candidate_id)
    last = db.session.scalar(
        select(ResultEntry)
        .where(ResultEntry.candidate_id == candidate_id)
        .order_by(ResultEntry.seq.desc())
        .limit(1)
    )
    entry = ResultEntry(
        recruitment_id=candidate.recruitment_id,
        candidate_id=candidate_id,
        seq=(last.seq + 1) if last else 1,
        kind=kind,
        payload=json.loads(canonical(payload)),
        actor_id=getattr(actor, "id", None),
        system_source=system if getattr(actor, "id", None) is None else "",
        created_at=clock.now(),
        prev_hash=last.entry_hash if last else GENESIS,
    )
    entry.entry_hash = entry_hash(entry)
    db.session.add(entry)
    db.session.flush()
    record(
        actor,
        "recruitment.result_logged",
        "candidate",
        candidate.number,
        after={"entry": entry.id, "kind": kind, **entry.payload},
    )
    return entry


def verify(recruitment_id: int | None = None) -> list[Problem]:
    """Every break in the log (all recruitments, or one); [] when intact."""
    stmt = select(ResultEntry).order_by(ResultEntry.candidate_id, ResultEntry.seq)
    if recruitment_id is not None:
        stmt = stmt.where(ResultEntry.recruitment_id == recruitment_id)
    key = integrity.ledger_key()
    problems: list[Problem] = []
    previous: ResultEntry | None = None
    for entry in db.session.scalars(stmt.execution_options(yield_per=2000)):
        first = previous is None or previous.candidate_id != entry.candidate_id
        expected_seq = 1 if first else previous.seq + 1
        expected_prev = GENESIS if first else previous.entry_hash
        where = (entry.candidate_id, entry.id, entry.seq)
        if entry.seq != expected_seq:
            problems.append(Problem(*where, "gap"))
        elif entry.prev_hash != expected_prev:
            problems.append(Problem(*where, "link"))
        if not hmac.compare_digest(entry_hash(entry, key), entry.entry_hash):
            problems.append(Problem(*where, "hash"))
        if entry.actor_id is None and not entry.system_source:
            problems.append(Problem(*where, "actor"))
        previous = entry
    return problems


def lines(candidate_id: int) -> list[ResultEntry]:
    """The candidate's lines, first to last."""
    return list(
        db.session.scalars(
            select(ResultEntry)
            .where(ResultEntry.candidate_id == candidate_id)
            .order_by(ResultEntry.seq)
        )
    )


def latest(candidate_id: int, kind: str) -> ResultEntry | None:
    """The candidate's last line of `kind`, or None."""
    return db.session.scalar(
        select(ResultEntry)
        .where(ResultEntry.candidate_id == candidate_id, ResultEntry.kind == kind)
        .order_by(ResultEntry.seq.desc())
        .limit(1)
    )
