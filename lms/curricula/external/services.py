"""External training: an official submits training taken elsewhere with its evidence file; HR of
the official's unit approves it with the credits it grants (one ledger entry, source external)
or rejects it with a reason. Evidence files live under the instance folder with generated
names, checked by their first bytes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import select

from lms.audit import services as audit
from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import has_role
from lms.common import clock, files
from lms.curricula.external import stages
from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import EXTERNAL
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit, PositionAssignment
from lms.organisation.queries import join_current_post, scope_condition

SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"
# kind → (extensions accepted, first bytes, MIME type)
EVIDENCE_KINDS = {
    "pdf": ((".pdf",), b"%PDF-", "application/pdf"),
    "jpg": ((".jpg", ".jpeg"), b"\xff\xd8\xff", "image/jpeg"),
    "png": ((".png",), b"\x89PNG\r\n\x1a\n", "image/png"),
}
EVIDENCE_FOLDER = "external_evidence"
PERIODS_PER_CREDIT = 15  # DESIGN.md: 1 TC = 15 tiết


def can_review_external(user) -> bool:
    """The external training queue: HR officers (their units) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def default_credits(periods: int, per_credit: int = PERIODS_PER_CREDIT) -> Decimal:
    """Credits suggested for `periods` tiết: periods ÷ 15 rounded to the nearest 0.5 (at
    least 0.5)."""
    halves = (Decimal(periods) * 2 / per_credit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(halves / 2, Decimal("0.5"))


@dataclass(frozen=True)
class Submission:
    """What the official fills in."""

    title: str
    organiser: str
    starts_on: date
    ends_on: date
    periods: int


def evidence_kind(filename: str, data: bytes) -> str:
    """The kind of an evidence file from its name and first bytes; ValidationFailed when they
    are not a PDF, JPEG or PNG or do not agree."""
    suffix = Path(filename or "").suffix.lower()
    for kind, (suffixes, magic, _mime) in EVIDENCE_KINDS.items():
        if suffix in suffixes:
            if data.startswith(magic):
                return kind
            break
    raise ValidationFailed(
        [("evidence", _("The evidence must be a PDF, JPG or PNG file (this one is not)."))]
    )


def submit(
    official_id: int,
    data: Submission,
    filename: str,
    content: bytes,
    folder: Path,
    max_bytes: int,
    actor,
) -> ExternalRecord:
    """Record a submission and store its evidence under `folder` (flushed). Raises
    ValidationFailed for dates in the wrong order or in the future, periods out of range, an
    empty, oversize or wrongly typed file."""
    reasons = []
    if data.ends_on < data.starts_on:
        reasons.append(("ends_on", _("The last day cannot be before the first day.")))
    if data.ends_on > clock.today():
        reasons.append(("ends_on", _("Submit training once it has ended.")))
    if not 1 <= data.periods <= 2000:
        reasons.append(("periods", _("Enter a number from %(min)s to %(max)s.", min=1, max=2000)))
    if not content:
        reasons.append(("evidence", _("The file is empty.")))
    elif len(content) > max_bytes:
        reasons.append(
            (
                "evidence",
                _("The file is larger than %(mb)s MB.", mb=f"{max_bytes / 1024 / 1024:g}"),
            )
        )
    if reasons:
        raise ValidationFailed(reasons)
    kind = evidence_kind(filename, content)
    name = f"{secrets.token_hex(16)}{EVIDENCE_KINDS[kind][0][0]}"
    files.private_dir(folder)
    files.write_atomic(folder / name, content)  # 0600, never half a file
    record = ExternalRecord(
        official_id=official_id,
        title=data.title.strip(),
        organiser=data.organiser.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        periods=data.periods,
        evidence_name=Path(filename).name[-255:] or name,
        evidence_path=f"{EVIDENCE_FOLDER}/{name}",
        evidence_sha256=hashlib.sha256(content).hexdigest(),
        status=SUBMITTED,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "external.submitted", "external_record", record.id, after=_values(record))
    stages.submitted.send(record, actor=actor)  # a later domain may hold it (the head first)
    return record


def _values(record: ExternalRecord) -> dict:
    return {
        "official_id": record.official_id,
        "title": record.title,
        "periods": record.periods,
        "status": record.status,
        "credits_granted": record.credits_granted,
        "decision_reason": record.decision_reason,
    }


def _lock_submitted(record: ExternalRecord) -> None:
    db.session.refresh(record, with_for_update=True)  # two HR officers deciding at once
    if record.status != SUBMITTED:
        raise RuleViolation(_("This record was already decided."), "already_decided")
    if stages.is_waiting(record.id):
        raise RuleViolation(
            _("The head of the official's unit has not decided on this request yet."),
            "awaiting_head",
        )


def approve(record: ExternalRecord, credits: Decimal, actor) -> ExternalRecord:
    """Approve with the credits granted: one ledger entry (source external, ref
    "external:<id>", dated the last day of the training). Audited. Raises RuleViolation when
    the record was already decided or is the actor's own ("own_record": another person
    approves it), ValidationFailed for credits out of range."""
    ledger.refuse_own(actor, record.official_id, EXTERNAL)
    if credits is None or not Decimal("0.5") <= credits <= 100:
        raise ValidationFailed(
            [("credits", _("Enter a number from %(min)s to %(max)s.", min=0.5, max=100))]
        )
    _lock_submitted(record)
    before = _values(record)
    ledger.append(
        ledger.NewEntry(
            official_id=record.official_id,
            earned_on=record.ends_on,
            credits=credits,
            source=EXTERNAL,
            title=record.title,
            periods=record.periods,
            source_ref=f"external:{record.id}",
            reason=record.organiser,
        ),
        actor,
    )
    _decide(record, APPROVED, actor, credits=credits)
    audit.record(actor, "external.approved", "external_record", record.id, before, _values(record))
    _notify_official(record, "external_approved", {"credits": credits})
    return record


def reject(record: ExternalRecord, reason: str, actor) -> ExternalRecord:
    """Reject with a reason (required); nothing is written to the ledger. Audited. Raises
    RuleViolation "own_record" for the actor's own request (another person decides it)."""
    ledger.refuse_own(actor, record.official_id, EXTERNAL)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([("reason", _("Give the reason for the rejection."))])
    _lock_submitted(record)
    before = _values(record)
    _decide(record, REJECTED, actor, reason=reason)
    audit.record(actor, "external.rejected", "external_record", record.id, before, _values(record))
    _notify_official(record, "external_rejected", {"reason": reason})
    return record


def _notify_official(record: ExternalRecord, kind: str, extra: dict) -> None:
    """Tell the official's user account of the decision (once per record: key
    "external:<id>"; a record is decided once)."""
    from lms.jobs import notify_official
    from lms.jobs.notifications import site_path

    context = {
        "title": record.title,
        "organiser": record.organiser,
        "link": site_path("curricula.my_external"),
        **extra,
    }
    notify_official(record.official_id, kind, f"external:{record.id}", context)


def _decide(record, status, actor, credits=None, reason=None) -> None:
    record.status = status
    record.credits_granted = credits
    record.decision_reason = reason
    record.decided_by_id = getattr(actor, "id", None)
    record.decided_at = clock.now()
    db.session.flush()


def queue_select(scope: list[str] | None, status: str | None = SUBMITTED):
    """External records of officials whose current unit lies in `scope` (SQL), oldest first,
    with their officials loaded."""
    stmt = join_current_post(
        select(ExternalRecord).join(Official, Official.id == ExternalRecord.official_id),
        post=PositionAssignment,
        unit=OrgUnit,
    ).order_by(ExternalRecord.submitted_at, ExternalRecord.id)
    if status:
        stmt = stmt.where(ExternalRecord.status == status)
    condition = scope_condition(OrgUnit.path, scope)
    return stmt if condition is None else stmt.where(condition)


def record_in_scope(record_id: int, scope: list[str] | None) -> ExternalRecord | None:
    """One record if its official is in `scope`, else None."""
    return db.session.scalar(queue_select(scope, None).where(ExternalRecord.id == record_id))


def own_records(official_id: int) -> list[ExternalRecord]:
    """An official's own submissions, newest first."""
    return list(
        db.session.scalars(
            select(ExternalRecord)
            .where(ExternalRecord.official_id == official_id)
            .order_by(ExternalRecord.submitted_at.desc(), ExternalRecord.id.desc())
        )
    )


def evidence_file(record: ExternalRecord, instance: Path) -> tuple[Path, str, str] | None:
    """(path, MIME type, download name) of the record's evidence, None when missing."""
    if not record.evidence_path:
        return None
    path = instance / record.evidence_path
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    mime = next(m for s, _magic, m in EVIDENCE_KINDS.values() if suffix in s)
    name = Path(record.evidence_name or path.name).stem[:100] or "evidence"
    return path, mime, f"{name}{suffix}"
