"""The portable training record: an official's whole credit ledger as a signed JSON file that
another installation of Tín chỉ imports and verifies (`flask ledger export|import`, the
downloads on /me and on the official's ledger page; docs/signing.md "Portable training record").

The file names the official, every entry with its original issuer (the installation that first
recorded it: a DID and a name) and its original dates, a hash chain over the entries (plain
SHA-256 of each entry's RFC 8785 canonical JSON, which includes the previous entry's hash: the
database ledger's HMAC key stays local) and a Data Integrity proof `eddsa-jcs-2022` by the
issuer key, whose public key the file carries. Import checks the proof and the chain, finds the
official, skips entries already imported, and appends the others as entries of source
"imported" keeping their issuer and dates, all in one transaction or nothing.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app, has_request_context, request
from sqlalchemy import select

from lms.audit import services as audit
from lms.common import clock, vntext
from lms.common import data_integrity as di
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import (
    IMPORTED,
    SOURCES,
    ImportedOrigin,
    LedgerEntry,
    LedgerImport,
)
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit

FORMAT = "tinchi-training-record/1"
GENESIS = "0" * 64
KEY_ID = "key-1"
MAX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 50_000
MAX_CREDITS = Decimal(1000)  # one entry; the ledger's column holds far more, no real entry does
MAX_PERIODS = 100_000
SYSTEM = "ledger-import"


class ImportRefused(RuleViolation):
    """A file that is not imported: the message says why; nothing was written."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message, code)


# --- who we are --------------------------------------------------------------------------------


def base_url() -> str:
    configured = current_app.config.get("LMS_PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    return request.host_url.rstrip("/") if has_request_context() else "http://localhost"


def installation_name() -> str:
    root = db.session.scalar(
        select(OrgUnit.name).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(1)
    )
    return root or "Tín chỉ"


# --- export ------------------------------------------------------------------------------------


def entry_hash(item: dict) -> str:
    """SHA-256 of the entry's canonical JSON (RFC 8785) without its own `hash`."""
    body = {k: v for k, v in item.items() if k != "hash"}
    return hashlib.sha256(di.jcs(body)).hexdigest()


def _rows(official_id: int):
    return db.session.execute(
        select(LedgerEntry, Cycle.year, ImportedOrigin)
        .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
        .outerjoin(ImportedOrigin, ImportedOrigin.entry_id == LedgerEntry.id)
        .where(LedgerEntry.official_id == official_id)
        .order_by(LedgerEntry.seq)
    ).all()


def export_document(
    official: Official, key: Ed25519PrivateKey, now: datetime | None = None, base: str = ""
) -> dict:
    """The official's signed training record."""
    base = base or base_url()
    did = di.did_web(base)
    here = {"id": did, "name": installation_name()}
    items, prev, refs = [], GENESIS, {}
    for entry, year, origin in _rows(official.id):
        issuer = {"id": origin.issuer_id, "name": origin.issuer_name} if origin else here
        ref = origin.origin_ref if origin else str(entry.id)
        refs[entry.id] = {"issuer": issuer["id"], "ref": ref}
        item = {
            "ref": ref,
            "issuer": issuer,
            "cycle": year,
            "earnedOn": entry.earned_on.isoformat(),
            "recordedAt": di.xsd_datetime(origin.recorded_at if origin else entry.created_at),
            "title": entry.title,
            "courseCode": origin.course_code
            if origin
            else (entry.course.code if entry.course else ""),
            "credits": str(Decimal(entry.credits).quantize(ledger.CENT)),
            "periods": entry.periods,
            "source": origin.origin_source if origin else entry.source,
            "reverses": refs.get(entry.reverses_id) if entry.reverses_id else None,  # its origin
            "reason": entry.reason or "",
            "prevHash": prev,
        }
        item["hash"] = prev = entry_hash(item)
        items.append(item)
    document = {
        "format": FORMAT,
        "issuer": {**here, "url": base, "publicKeyMultibase": di.multikey(key.public_key())},
        "exportedAt": di.xsd_datetime(now or clock.now()),
        "official": {
            "employeeCode": official.employee_code,
            "fullName": official.full_name,
            "dateOfBirth": official.date_of_birth.isoformat() if official.date_of_birth else None,
        },
        "entries": items,
        "head": prev,
    }
    return di.sign(document, key, f"{did}#{KEY_ID}", now or clock.now(), suite=di.JCS)


def dumps(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def file_name(official: Official) -> str:
    return f"{official.employee_code}-training-record.json"


# --- import ------------------------------------------------------------------------------------


@dataclass
class Checked:
    """A verified file and what importing it would do."""

    document: dict
    digest: str
    official: Official
    new: list[dict] = field(default_factory=list)
    skipped: int = 0


def parse(data: bytes) -> dict:
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is too large."), "too_large")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportRefused(
            _("The file is not a training record (not JSON)."), "not_json"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(_("The file is not a Tín chỉ training record."), "not_record")
    return document


def _verify_proof(document: dict) -> None:
    issuer = document.get("issuer")
    proof = document.get("proof")
    if not isinstance(issuer, dict) or not isinstance(proof, dict):
        raise ImportRefused(_("The file carries no signature."), "unsigned")
    method = f"{issuer.get('id')}#{KEY_ID}"
    try:
        if proof.get("verificationMethod") != method or proof.get("cryptosuite") != di.JCS:
            raise di.ProofError("method")
        di.verify(document, di.public_key_of(issuer.get("publicKeyMultibase")))
    except di.ProofError:
        raise ImportRefused(
            _("The signature does not match: the file was changed after it was signed."),
            "bad_signature",
        ) from None


def _verify_chain(entries) -> None:
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise ImportRefused(_("The file's entries are malformed."), "malformed")
    prev = GENESIS
    for number, item in enumerate(entries, 1):
        if not isinstance(item, dict) or item.get("prevHash") != prev:
            raise ImportRefused(
                _("The hash chain is broken at entry %(number)d.", number=number), "chain"
            )
        if entry_hash(item) != item.get("hash"):
            raise ImportRefused(
                _("The hash chain is broken at entry %(number)d.", number=number), "chain"
            )
        prev = item["hash"]


def _official(document: dict, employee_code: str | None) -> Official:
    person = document.get("official")
    person = person if isinstance(person, dict) else {}
    code = (employee_code or person.get("employeeCode") or "").strip()
    official = db.session.scalar(select(Official).where(Official.employee_code == code[:32]))
    if official is None:
        raise ImportRefused(
            _("No official has the code %(code)s here.", code=code[:32]), "unknown_official"
        )
    same_name = vntext.search_key(str(person.get("fullName") or "")) == vntext.search_key(
        official.full_name
    )
    born = person.get("dateOfBirth")
    same_birth = (
        not born or not official.date_of_birth or born == official.date_of_birth.isoformat()
    )
    if not same_name or not same_birth:
        raise ImportRefused(
            _(
                "The file is about %(name)s, whose name or date of birth differs from the "
                "official %(code)s here.",
                name=str(person.get("fullName") or "")[:255],
                code=official.employee_code,
            ),
            "other_person",
        )
    return official


def _origin_ok(reverses) -> bool:
    if reverses is None:
        return True
    return (
        isinstance(reverses, dict)
        and isinstance(reverses.get("issuer"), str)
        and isinstance(reverses.get("ref"), str)
    )


def _valid_entry(item: dict, number: int) -> None:
    try:
        credits = Decimal(str(item["credits"]))
        date.fromisoformat(item["earnedOn"])
        datetime.fromisoformat(str(item["recordedAt"]).replace("Z", "+00:00"))
        ok = (
            isinstance(item.get("issuer"), dict)
            and str(item["issuer"].get("id") or "")
            and isinstance(item.get("ref"), str)
            and item.get("source") in SOURCES
            and isinstance(item.get("title"), str)
            and isinstance(item.get("periods"), int)
            and abs(item["periods"]) <= MAX_PERIODS
            and isinstance(item.get("reason"), str)
            and isinstance(item.get("courseCode", ""), str)
            and credits.is_finite()
            and abs(credits) <= MAX_CREDITS
            and (credits >= 0) == (item.get("reverses") is None)
            and _origin_ok(item.get("reverses"))
        )
    except (KeyError, TypeError, ValueError, InvalidOperation):
        ok = False
    if not ok:
        raise ImportRefused(_("Entry %(number)d is malformed.", number=number), "malformed")


def check(data: bytes, employee_code: str | None, key: Ed25519PrivateKey) -> Checked:
    """Verify a file and plan its import (nothing written); `key` is this installation's
    issuer key. Raises ImportRefused."""
    document = parse(data)
    _verify_chain(document.get("entries"))  # first: it says which entry was changed
    _verify_proof(document)
    try:
        datetime.fromisoformat(str(document.get("exportedAt")).replace("Z", "+00:00"))
    except ValueError:
        raise ImportRefused(_("The file's entries are malformed."), "malformed") from None
    here = di.did_web(base_url())
    if document["issuer"].get("id") == here and document["issuer"].get(
        "publicKeyMultibase"
    ) != di.multikey(key.public_key()):
        raise ImportRefused(
            _(
                "The file's issuer has this installation's address but another key: set "
                "LMS_PUBLIC_BASE_URL on both installations."
            ),
            "same_address",
        )
    entries = document["entries"]
    digest = hashlib.sha256(data).hexdigest()
    if db.session.scalar(select(LedgerImport.id).where(LedgerImport.file_sha256 == digest)):
        raise ImportRefused(_("This file was already imported."), "duplicate")
    official = _official(document, employee_code)
    checked = Checked(document, digest, official)
    for number, item in enumerate(entries, 1):
        _valid_entry(item, number)
        issuer = item["issuer"]["id"]
        known = issuer == here or db.session.scalar(
            select(ImportedOrigin.entry_id).where(
                ImportedOrigin.issuer_id == issuer[:255],
                ImportedOrigin.origin_ref == item["ref"][:64],
            )
        )
        if known:
            checked.skipped += 1
        else:
            checked.new.append(item)
    if not checked.new:
        raise ImportRefused(
            _("Every entry of this file is already in the ledger here."), "duplicate"
        )
    return checked


def _origin_entry(issuer: str, ref: str, imported: dict, here: str) -> LedgerEntry | None:
    """The entry a reversal names: imported now, imported before, or one of ours."""
    if (issuer, ref) in imported:
        return imported[(issuer, ref)]
    if issuer == here:
        return db.session.get(LedgerEntry, int(ref)) if ref.isdigit() else None
    entry_id = db.session.scalar(
        select(ImportedOrigin.entry_id).where(
            ImportedOrigin.issuer_id == issuer[:255], ImportedOrigin.origin_ref == ref[:64]
        )
    )
    return db.session.get(LedgerEntry, entry_id) if entry_id else None


def apply(checked: Checked, actor=None) -> LedgerImport:
    """Append the new entries (flushed, not committed; the caller commits once or rolls back).
    Raises ImportRefused when a reversal names an entry neither here nor in the file."""
    issuer = checked.document["issuer"]
    exported = datetime.fromisoformat(checked.document["exportedAt"].replace("Z", "+00:00"))
    record = LedgerImport(
        official_id=checked.official.id,
        issuer_id=str(issuer["id"])[:255],
        issuer_name=str(issuer.get("name") or "")[:255],
        file_sha256=checked.digest,
        exported_at=exported.replace(tzinfo=None),
        actor_id=getattr(actor, "id", None),
        entries=len(checked.new),
        document=json.dumps(checked.document, ensure_ascii=False),
    )
    db.session.add(record)
    db.session.flush()
    imported: dict[tuple[str, str], LedgerEntry] = {}
    here = di.did_web(base_url())
    for item in checked.new:
        origin_issuer = str(item["issuer"]["id"])[:255]
        if item["reverses"] is None:
            entry = ledger.append(
                ledger.NewEntry(
                    official_id=checked.official.id,
                    earned_on=date.fromisoformat(item["earnedOn"]),
                    credits=Decimal(item["credits"]),
                    source=IMPORTED,
                    title=item["title"] or "—",
                    periods=item["periods"],
                    source_ref=f"import:{record.id}:{item['ref']}",
                    reason=item["reason"],
                ),
                actor=actor,
                system=SYSTEM,
            )
        else:
            target = _origin_entry(
                item["reverses"]["issuer"], item["reverses"]["ref"], imported, here
            )
            if target is None or target.official_id != checked.official.id:
                raise ImportRefused(
                    _("A reversal in the file names an entry that is neither here nor in it."),
                    "orphan_reversal",
                )
            entry = ledger.reverse(target, item["reason"] or "—", actor, system=SYSTEM)
        recorded = datetime.fromisoformat(item["recordedAt"].replace("Z", "+00:00"))
        db.session.add(
            ImportedOrigin(
                entry_id=entry.id,
                import_id=record.id,
                issuer_id=origin_issuer,
                issuer_name=str(item["issuer"].get("name") or "")[:255],
                origin_ref=item["ref"][:64],
                origin_source=item["source"],
                course_code=str(item.get("courseCode") or "")[:32],
                recorded_at=recorded.replace(tzinfo=None),
            )
        )
        imported[(origin_issuer, item["ref"])] = entry
    db.session.flush()
    audit.record(
        actor,
        "ledger.imported",
        "official",
        checked.official.employee_code,
        after={
            "issuer": record.issuer_id,
            "issuer_name": record.issuer_name,
            "entries": len(checked.new),
            "skipped": checked.skipped,
            "file_sha256": checked.digest,
        },
    )
    return record


def origins(entry_ids) -> dict[int, ImportedOrigin]:
    """The origins of imported entries among `entry_ids` (for the ledger page)."""
    ids = [i for i in entry_ids if i]
    if not ids:
        return {}
    rows = db.session.scalars(select(ImportedOrigin).where(ImportedOrigin.entry_id.in_(ids)))
    return {row.entry_id: row for row in rows}
