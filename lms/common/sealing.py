"""Frozen statements and the audit log, made as hard to forge from the database as the ledger.

Each row carries `row_mac`, an HMAC under the ledger key (lms/common/integrity.py) of its
content, written by the application: a row changed or added in SQL without the key does not
verify. Deletions are found by seals, one series per kind ("statements", "audit"): a seal
records how many rows existed up to its last id and a digest of their ids, is numbered, chained
to the previous seal and signed under the same key; each row carries the number of seals
written before it (`seal_seq`), so an emptied seal table or a removed last seal shows. The
nightly job seals; `flask --app lms integrity verify` checks the ledger, the statements and the
audit log together. Rows written before the key have no MAC: verify counts them until
`flask --app lms integrity rekey` signs them (after checking the ledger), once.

Not covered: rows deleted after the latest seal and before the next one (the next seal counts
what is there); an audit entry or statement is protected from the first seal after it.
"""

import hashlib
import heapq
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, text, update

from lms.common import clock, integrity
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _

STATEMENTS, AUDIT = "statements", "audit"
KINDS = (STATEMENTS, AUDIT)


# The sealed tables by kind, and the table of the seals ("seals"), each named by the domain that
# owns it (lms.audit.models, lms.compliance.models): this module imports no domain.
TABLES: dict[str, type] = {}


def register(kind: str, model: type) -> None:
    """Name the model of a sealed kind ("statements", "audit") or, as "seals", of the seals."""
    TABLES[kind] = model


def _models():
    return {kind: TABLES[kind] for kind in KINDS}, TABLES["seals"]


def _json(value) -> str:
    """A JSON value as stored and read back, in one canonical spelling."""
    if value is None:
        return ""
    plain = json.loads(json.dumps(value, default=str))
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _moment(value) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def _text(value) -> str:
    return "" if value is None else str(value)


def _money(value) -> str:
    return "" if value is None else str(Decimal(value).quantize(Decimal("0.01")))


STATEMENT_FIELDS = (
    ("cycle_id", _text),
    ("official_id", _text),
    ("closure_id", _text),
    ("unit_id", _text),
    ("employee_code", _text),
    ("full_name", _text),
    ("gender", _text),
    ("unit_code", _text),
    ("unit_name", _text),
    ("position_code", _text),
    ("position_name", _text),
    ("rank_code", _text),
    ("rank_name", _text),
    ("target_credits", _money),
    ("earned_credits", _money),
    ("mandatory_required", _text),
    ("mandatory_completed", _text),
    ("status", _text),
    ("certificates", _json),
    ("mandatory", _json),
    ("closed_at", _moment),
    ("superseded_at", _moment),
    ("seal_seq", _text),
)
AUDIT_FIELDS = (
    ("at", _moment),
    ("actor_id", _text),
    ("action", _text),
    ("object_type", _text),
    ("object_id", _text),
    ("before", _json),
    ("after", _json),
    ("address", _text),
    ("seal_seq", _text),
)
FIELDS = {STATEMENTS: STATEMENT_FIELDS, AUDIT: AUDIT_FIELDS}
# Fields added later (issue 21: review snapshots, months): each is signed, as `name=value`,
# only when it differs from its default, so rows signed before it still verify and a value set
# or cleared in SQL does not.
OPTIONAL_FIELDS = {
    STATEMENTS: (
        ("kind", _text, "final"),
        ("review_id", _text, None),
        ("as_of", _text, None),
        ("months_in_post", _text, None),
        ("months_on_leave", _text, None),
        ("months_counted", _text, None),
        ("not_rated", _text, None),
        ("since_review", _json, None),
    ),
    AUDIT: (),
}


def row_mac(kind: str, row, key: bytes | None = None) -> str:
    """The MAC of a row (an object or a dict of its column values) of `kind`."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, None)
    parts = (kind, *(spell(get(name)) for name, spell in FIELDS[kind]))
    parts += tuple(
        f"{name}={spell(get(name))}"
        for name, spell, default in OPTIONAL_FIELDS[kind]
        if get(name) is not None and get(name) != default
    )
    return integrity.mac(key or integrity.ledger_key(), parts)


def seals_written(kind: str) -> int:
    """The number of the latest seal of `kind` (0 before the first): one index lookup."""
    _tables, Seal = _models()
    return (
        db.session.scalar(select(func.coalesce(func.max(Seal.seq), 0)).where(Seal.kind == kind))
        or 0
    )


def sign(kind: str, values: dict, seal_seq: int | None = None) -> dict:
    """Fill `seal_seq` and `row_mac` of a row about to be inserted (a dict of its values)."""
    values["seal_seq"] = seals_written(kind) if seal_seq is None else seal_seq
    values["row_mac"] = row_mac(kind, values)
    return values


def resign(kind: str, ids: list[int]) -> None:
    """Re-compute the MAC of rows the application itself changed (a statement superseded)."""
    tables, _Seal = _models()
    model = tables[kind]
    for row in db.session.scalars(select(model).where(model.id.in_(ids))):
        db.session.execute(
            update(model.__table__)
            .where(model.__table__.c.id == row.id)
            .values(row_mac=row_mac(kind, row))
        )


# --- seals ------------------------------------------------------------------------------------


def _extent(kind: str, last_id: int, removed=()) -> tuple[int, str]:
    """(rows, digest of their ids) of `kind` up to `last_id`, counting the ids in `removed` as
    still there (rows deleted by retention a moment ago, whose seal is being written)."""
    tables, _Seal = _models()
    model = tables[kind]
    digest, count = hashlib.sha256(), 0
    rows = db.session.scalars(
        select(model.id)
        .where(model.id <= last_id)
        .order_by(model.id)
        .execution_options(yield_per=20000)
    )
    gone = sorted(i for i in removed if i <= last_id)
    for row_id in heapq.merge(rows, gone):
        digest.update(f"{row_id}\n".encode())
        count += 1
    return count, digest.hexdigest()


def _seal_mac(seal, key: bytes | None = None) -> str:
    parts = (
        "integrity-seal",
        seal.kind,
        seal.seq,
        seal.prev_mac,
        _moment(seal.sealed_at),
        seal.last_id,
        seal.rows,
        seal.digest,
    )
    return integrity.mac(key or integrity.ledger_key(), parts)


def _latest(kind: str):
    _tables, Seal = _models()
    return db.session.scalar(
        select(Seal).where(Seal.kind == kind).order_by(Seal.seq.desc()).limit(1)
    )


class SealRefused(RuleViolation):
    """The rows no longer match their latest seal: a new seal would hide the change, so none is
    written (the night's run fails and says so)."""


def seal(kind: str, removed=()):
    """Seal the rows of `kind` as they are now (None while there are none); flushes.

    Refuses (SealRefused, nothing written) when the rows no longer match the latest seal, so a
    row deleted or slipped in since is never blessed by the next seal. `removed`: ids the
    application itself has just deleted (retention, lms.privacy.retention) — the latest seal
    is checked as if they were still there, and the new seal counts the rows without them."""
    tables, Seal = _models()
    model = tables[kind]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {model.__tablename__} IN SHARE MODE"))
        db.session.execute(text("LOCK TABLE integrity_seals IN EXCLUSIVE MODE"))
    found = [p for p in _extent_problems(kind, removed) if p]
    if found:
        raise SealRefused(
            _(
                "The %(kind)s no longer match their latest seal (%(problems)s): no new seal "
                "was written. Run flask --app lms integrity verify.",
                kind=kind_label(kind),
                problems=", ".join(found),
            ),
            "seal_broken",
        )
    last = db.session.scalar(select(func.max(model.id)))
    if last is None:
        return None
    rows, digest = _extent(kind, last)
    before = _latest(kind)
    row = Seal(
        kind=kind,
        seq=(before.seq + 1) if before else 1,
        sealed_at=clock.now(),
        last_id=last,
        rows=rows,
        digest=digest,
        prev_mac=before.mac if before else "",
        mac="",
    )
    row.mac = _seal_mac(row)
    db.session.add(row)
    db.session.flush()
    return row


def kind_label(kind: str) -> str:
    return {STATEMENTS: _("frozen statements"), AUDIT: _("audit log entries")}[kind]


def _extent_problems(kind: str, removed=()) -> list[str]:
    """What a new seal of `kind` would bless: "emptied" (seals the rows name are gone),
    "missing", "extra" or "heads" (the sealed rows changed since the latest seal)."""
    tables, _Seal = _models()
    model = tables[kind]
    latest = _latest(kind)
    named = db.session.scalar(select(func.coalesce(func.max(model.seal_seq), 0))) or 0
    problems = ["emptied"] if named > (latest.seq if latest else 0) else []
    if latest is not None:
        rows, digest = _extent(kind, latest.last_id, removed)
        if rows < latest.rows:
            problems.append("missing")
        elif rows > latest.rows:
            problems.append("extra")
        elif digest != latest.digest:
            problems.append("heads")
    return problems


@dataclass(frozen=True)
class Check:
    """What `check` found for one kind: ids of rows whose MAC fails (`altered`), how many rows
    have none yet (`unkeyed`: written before the key), and the seals' problems (the ledger's
    words: "signature", "missing", "extra", "heads", "emptied", "seal_gap", "seal_chain")."""

    kind: str
    rows: int
    altered: tuple[int, ...]
    unkeyed: int
    seal_problems: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not (self.altered or self.unkeyed or self.seal_problems)


def check(kind: str, keys: tuple[bytes, ...] | None = None, batch: int = 5000) -> Check:
    """Check every row's MAC and the seals of `kind`."""
    tables, Seal = _models()
    model = tables[kind]
    keys = keys or (integrity.ledger_key(),)
    altered, unkeyed, count = [], 0, 0
    stmt = select(model).order_by(model.id).execution_options(yield_per=batch)
    for row in db.session.scalars(stmt):
        count += 1
        if row.row_mac is None:
            unkeyed += 1
        elif not any(hmac.compare_digest(row.row_mac, row_mac(kind, row, k)) for k in keys):
            altered.append(row.id)
        db.session.expunge(row)  # constant memory over a large table
    return Check(kind, count, tuple(altered), unkeyed, tuple(_seal_problems(kind, keys)))


def _seal_problems(kind: str, keys: tuple[bytes, ...]) -> list[str]:
    tables, Seal = _models()
    model = tables[kind]
    problems: list[str] = []
    previous = None
    for row in db.session.scalars(select(Seal).where(Seal.kind == kind).order_by(Seal.seq)):
        if row.seq != (previous.seq + 1 if previous else 1):
            problems.append("seal_gap")
        if row.prev_mac != (previous.mac if previous else ""):
            problems.append("seal_chain")
        if not any(hmac.compare_digest(row.mac, _seal_mac(row, k)) for k in keys):
            problems.append("signature")
        previous = row
    named = db.session.scalar(select(func.coalesce(func.max(model.seal_seq), 0))) or 0
    if named > (previous.seq if previous else 0):
        problems.insert(0, "emptied")
    if previous is not None:
        rows, digest = _extent(kind, previous.last_id)
        if rows < previous.rows:
            problems.append("missing")
        elif rows > previous.rows:
            problems.append("extra")
        elif digest != previous.digest:
            problems.append("heads")
    return list(dict.fromkeys(problems))


def rekey(kind: str, actor=None) -> tuple[int, int]:
    """Sign the rows of `kind` written before the key and re-sign every row and seal under the
    current key (after an upgrade, or to rotate the key). Refuses (ValueError, nothing
    changed) when a signed row or a seal does not verify under the current or a previous key.
    Returns (rows signed for the first time, rows re-signed)."""
    tables, Seal = _models()
    model = tables[kind]
    key = integrity.ledger_key()
    keys = (key, *integrity.previous_keys())
    found = check(kind, keys)
    if found.altered or found.seal_problems:
        raise ValueError(
            f"{kind}: {len(found.altered)} altered row(s), seals: "
            f"{', '.join(found.seal_problems) or 'hold'}"
        )
    table = model.__table__
    first = again = 0
    for row in db.session.scalars(select(model).order_by(model.id)).all():
        new = row_mac(kind, row, key)
        if row.row_mac == new:
            continue
        first += row.row_mac is None
        again += row.row_mac is not None
        db.session.execute(update(table).where(table.c.id == row.id).values(row_mac=new))
    previous_mac = ""
    for row in db.session.scalars(select(Seal).where(Seal.kind == kind).order_by(Seal.seq)).all():
        db.session.expunge(row)
        row.prev_mac = previous_mac
        row.mac = _seal_mac(row, key)
        db.session.execute(
            update(Seal.__table__)
            .where(Seal.__table__.c.id == row.id)
            .values(prev_mac=row.prev_mac, mac=row.mac)
        )
        previous_mac = row.mac
    db.session.expire_all()
    seal(kind)
    return first, again
