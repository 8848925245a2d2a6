"""Certificate services: issue (idempotent, gap-free serials), revoke, re-issue, and the public
verification look-up. Each flushes and never commits; changes are audited."""

import secrets
from dataclasses import dataclass
from datetime import date

from blinker import Namespace
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms.audit.services import record
from lms.catalog.models import Course
from lms.certificates import rules
from lms.certificates.models import (
    FRAUD,
    INELIGIBLE,
    ISSUER_ERROR,
    KINDS,
    REVOCATION_REASONS,
    Certificate,
    RevocationReason,
    SerialCounter,
    VerificationLog,
)
from lms.common import clock
from lms.curricula.completions.models import CERT_ISSUED, CERT_NONE, CERT_REQUESTED, Completion
from lms.curricula.completions.services import pending_certificates, revoke_completion
from lms.curricula.ledger.models import LedgerEntry
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit
from lms.organisation.queries import registry_select
from lms.organisation.services import current_assignment

LANGUAGES = ("vi", "en")
# What the certificate prints when the settings say nothing (config.py may override each).
DEFAULTS = {
    "LMS_CERTIFICATE_PLACE": "Đà Nẵng",
    "LMS_CERTIFICATE_SIGNER_TITLE": "GIÁM ĐỐC SỞ NỘI VỤ",
    "LMS_CERTIFICATE_SIGNER_NAME": "",
}


def setting(name: str) -> str:
    """A certificate setting from the app config, or its default."""
    value = current_app.config.get(name)
    return DEFAULTS.get(name, "") if value is None else value


# --- serial numbers ----------------------------------------------------------------------------


def _ensure_counter(issuer_code: str, year: int) -> None:
    """Create the (issuer, year) counter row unless it exists; safe when two transactions race
    to create it (INSERT … ON CONFLICT DO NOTHING)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(SerialCounter)
        .values(issuer_code=issuer_code, year=year, last_number=0)
        .on_conflict_do_nothing()
    )


def next_number(issuer_code: str, year: int) -> int:
    """The next serial number of an issuer in a year, taken inside the caller's transaction.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL) and moved on by a
    conditional UPDATE (… WHERE last_number = the value read), so concurrent issuers wait for
    each other and a rolled-back issue gives its number back: serials stay unique and gap-free.
    Raises RuleViolation if the counter keeps moving under us (should not happen).
    """
    _ensure_counter(issuer_code, year)
    key = (SerialCounter.issuer_code == issuer_code, SerialCounter.year == year)
    for _attempt in range(5):
        seen = db.session.scalar(select(SerialCounter.last_number).where(*key).with_for_update())
        moved = db.session.execute(
            update(SerialCounter)
            .where(*key, SerialCounter.last_number == seen)
            .values(last_number=seen + 1)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            return seen + 1
    raise RuleViolation(_("The serial number could not be taken; try again."), "serial_busy")


# --- issuing -----------------------------------------------------------------------------------


def issuer_for(course: Course) -> OrgUnit:
    """The unit issuing the course's certificates: its owner unit, else the root of the unit
    tree. Raises RuleViolation when there is no unit at all."""
    if course.owner_unit is not None:
        return course.owner_unit
    root = db.session.scalar(
        select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(1)
    )
    if root is None:
        raise RuleViolation(_("No unit can issue this certificate."), "no_issuer")
    return root


def _credited(completion: Completion, course: Course):
    """The credits the completion wrote to the ledger (the course's when none were written,
    e.g. the completion earned none: a renewal, or a course already credited)."""
    amount = db.session.scalar(
        select(LedgerEntry.credits).where(
            LedgerEntry.completion_id == completion.id,
            LedgerEntry.reverses_id.is_(None),
            LedgerEntry.credits > 0,
        )
    )
    return course.credits if amount is None else amount


def _build(
    completion: Completion, edition: int, language: str, issued_on: date, actor
) -> Certificate:
    """A new certificate for `completion` with its serial taken and everything copied."""
    course = db.session.get(Course, completion.course_id)
    official = db.session.get(Official, completion.official_id)
    if course.certificate not in KINDS:
        raise RuleViolation(_("This course gives no certificate."), "no_certificate")
    issuer = issuer_for(course)
    post = current_assignment(official)
    title = course.title_en if language == "en" and course.title_en else course.title
    issuer_code = issuer.code.upper()
    number = next_number(issuer_code, issued_on.year)
    return Certificate(
        completion_id=completion.id,
        edition=edition,
        official_id=official.id,
        course_id=course.id,
        kind=course.certificate,
        issuer_code=issuer_code,
        year=issued_on.year,
        number=number,
        serial=rules.format_serial(issuer_code, issued_on.year, number),
        verification_code=secrets.token_urlsafe(16),
        language=language,
        issued_on=issued_on,
        completed_on=completion.completed_on,
        expires_on=completion.expires_on,
        holder_name=official.full_name,
        holder_birth_date=official.date_of_birth,
        holder_unit=post.unit.name if post else "",
        course_code=course.code,
        course_title=title,
        credits=_credited(completion, course),
        periods=course.periods,
        score=completion.score,
        issuer_name=issuer.name,
        issuer_parent=issuer.parent.name if issuer.parent is not None else "",
        place=setting("LMS_CERTIFICATE_PLACE"),
        signer_title=setting("LMS_CERTIFICATE_SIGNER_TITLE"),
        signer_name=setting("LMS_CERTIFICATE_SIGNER_NAME"),
        issued_by_id=getattr(actor, "id", None),
    )


def _latest(completion_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.completion_id == completion_id)
        .order_by(Certificate.edition.desc())
        .limit(1)
    )


def _summary(certificate: Certificate) -> dict:
    return {
        "serial": certificate.serial,
        "official_id": certificate.official_id,
        "course": certificate.course_code,
        "completion_id": certificate.completion_id,
        "edition": certificate.edition,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
    }


def issue_for(
    completion: Completion, actor=None, language: str = "vi", issued_on: date | None = None
) -> Certificate:
    """Issue the certificate of a completion (flushed, not committed) and mark the completion's
    certificate issued. Idempotent: a completion that already has a certificate gets it back,
    even when another transaction issued it a moment ago (the unique (completion, edition)
    constraint decides; the loser's serial number is given back with its savepoint).

    `issued_on` defaults to today (historical imports pass the original date). Raises
    RuleViolation when the completion was revoked or its course gives no certificate, and
    ValidationFailed for an unknown language.
    """
    if language not in LANGUAGES:
        raise ValidationFailed([("language", _("Unknown language."))])
    existing = _latest(completion.id)
    if existing is not None:
        completion.certificate_state = CERT_ISSUED
        return existing
    if completion.revoked_at is not None:
        raise RuleViolation(_("This completion was revoked."), "completion_revoked")
    try:
        with db.session.begin_nested():
            certificate = _build(completion, 1, language, issued_on or clock.today(), actor)
            db.session.add(certificate)
    except IntegrityError:
        existing = _latest(completion.id)
        if existing is None:
            raise
        completion.certificate_state = CERT_ISSUED
        return existing
    completion.certificate_state = CERT_ISSUED
    record(
        actor, "certificate.issued", "certificate", certificate.serial, after=_summary(certificate)
    )
    db.session.flush()
    if issued_on is None or issued_on >= clock.today():  # not a historical record's paper
        notify_holder(certificate, "certificate_issued")
    return certificate


@dataclass(frozen=True)
class IssueReport:
    """What `issue_requested` did: certificates issued, and completions it could not serve
    (completion id, reason)."""

    issued: list
    skipped: list


def _pending_select(scope: list[str] | None):
    stmt = select(Completion).where(
        Completion.certificate_state == CERT_REQUESTED, Completion.revoked_at.is_(None)
    )
    if scope is not None:  # officials whose current unit lies in the scope
        stmt = stmt.where(
            Completion.official_id.in_(registry_select(scope).with_only_columns(Official.id))
        )
    return stmt


def pending(limit: int, scope: list[str] | None = None, after: int = 0) -> list[Completion]:
    """Completions waiting for their certificate, oldest first; with `scope`, only those of
    officials whose current unit lies in it; with `after`, only ids above it (to page)."""
    if scope is None and not after:
        return pending_certificates(limit)
    stmt = _pending_select(scope).where(Completion.id > after)
    return list(db.session.scalars(stmt.order_by(Completion.id).limit(limit)))


def pending_count(scope: list[str] | None) -> int:
    """How many completions in scope wait for their certificate (one COUNT query)."""
    stmt = _pending_select(scope).with_only_columns(func.count(Completion.id))
    return db.session.scalar(stmt)


def issue_requested(actor=None, limit: int = 500, scope: list[str] | None = None) -> IssueReport:
    """Issue every requested certificate (at most `limit`, oldest first; within `scope` when
    given). A completion whose course no longer gives a certificate is marked as having none;
    any other refusal is reported and left requested."""
    return issue_completions(pending(limit, scope), actor)


def issue_completions(completions: list[Completion], actor=None) -> IssueReport:
    """Issue the certificates of these completions (see `issue_requested` for refusals)."""
    issued, skipped = [], []
    for completion in completions:
        try:
            issued.append(issue_for(completion, actor))
        except RuleViolation as refusal:
            if refusal.code == "no_certificate":
                completion.certificate_state = CERT_NONE
            skipped.append((completion.id, refusal.message))
    db.session.flush()
    return IssueReport(issued, skipped)


# --- revocation and re-issue -------------------------------------------------------------------


def revoke(certificate: Certificate, reason: str, note: str, actor) -> Certificate:
    """Revoke a certificate for one of the reasons of Circular 03/2023 (REVOCATION_REASONS),
    with an optional note, and notify the holder. Fraud and ineligibility also mean the course
    was never validly completed: the completion is revoked too, so its credits are reversed in
    the ledger and the obligations it met are open again (an altered or lent certificate, or
    the issuer's error, leaves the training itself standing). Raises ValidationFailed for an
    unknown reason and RuleViolation when it is already revoked."""
    _revoke(certificate, reason, note, actor)
    completion = certificate.completion
    if reason in VOIDS_TRAINING and completion is not None and completion.revoked_at is None:
        why = _(
            "Certificate %(serial)s revoked: %(reason)s", serial=certificate.serial, reason=reason
        )
        revoke_completion(completion, why, actor)
    notify_holder(certificate, "certificate_revoked")
    certificate_revoked.send(certificate, reason=reason, actor=actor)
    return certificate


# Sent (with reason and actor) once a course certificate is revoked and, for a ground that voids
# the training, its completion too: lms.programmes re-evaluates the chứng chỉ that relied on it.
certificate_revoked = Namespace().signal("certificate-revoked")


# Revocation reasons that void the training, not only the document.
VOIDS_TRAINING = (FRAUD, INELIGIBLE)


def mark_revoked(certificate, reason: str, note: str, actor) -> None:
    """Mark a certificate (a course's, or a programme's chứng chỉ) revoked now, on one of
    REVOCATION_REASONS, by `actor`. Raises ValidationFailed for an unknown reason and
    RuleViolation when it is already revoked; the caller audits and does the rest."""
    if reason not in REVOCATION_REASONS:
        raise ValidationFailed([("reason", _("Choose a reason from the list."))])
    if certificate.revoked_at is not None:
        raise RuleViolation(_("This certificate is already revoked."), "already_revoked")
    certificate.revoked_at = clock.now()
    certificate.revoked_reason = reason
    certificate.revoked_note = (note or "").strip()[:2000] or None
    certificate.revoked_by_id = getattr(actor, "id", None)


def _revoke(certificate: Certificate, reason: str, note: str, actor) -> Certificate:
    mark_revoked(certificate, reason, note, actor)
    record(
        actor,
        "certificate.revoked",
        "certificate",
        certificate.serial,
        before={"status": "issued"},
        after={"status": "revoked", "reason": reason, "note": certificate.revoked_note},
    )
    db.session.flush()
    return certificate


def replacement(certificate: Certificate) -> Certificate | None:
    """The certificate that re-issued this one, if any."""
    return db.session.scalar(select(Certificate).where(Certificate.replaces_id == certificate.id))


def reissue(certificate: Certificate, note: str, actor) -> Certificate:
    """Re-issue a certificate with the holder's and course's data as they are now (a corrected
    name, title or unit), under a new serial and code; the old one is revoked as the issuer's
    error if it was not revoked yet. Raises RuleViolation when it was revoked for another
    reason, was already re-issued, or its completion was revoked."""
    if certificate.revoked_at is not None and certificate.revoked_reason != ISSUER_ERROR:
        raise RuleViolation(
            _("Only a certificate revoked for the issuer's error can be re-issued."),
            "not_reissuable",
        )
    if replacement(certificate) is not None:
        raise RuleViolation(_("This certificate was already re-issued."), "already_reissued")
    completion = db.session.get(Completion, certificate.completion_id)
    if completion.revoked_at is not None:
        raise RuleViolation(_("This completion was revoked."), "completion_revoked")
    if certificate.revoked_at is None:
        _revoke(certificate, ISSUER_ERROR, note, actor)  # the holder hears of the new one
    edition = db.session.scalar(
        select(func.max(Certificate.edition)).where(Certificate.completion_id == completion.id)
    )
    new = _build(completion, edition + 1, certificate.language, clock.today(), actor)
    new.replaces_id = certificate.id
    db.session.add(new)
    db.session.flush()
    record(
        actor,
        "certificate.reissued",
        "certificate",
        new.serial,
        before={"serial": certificate.serial},
        after={**_summary(new), "note": (note or "").strip()[:2000]},
    )
    notify_holder(new, "certificate_issued")
    return new


# --- notifications -----------------------------------------------------------------------------


def notify_holder(certificate: Certificate, kind: str) -> None:
    """Tell the holder's user account (if they have one) that their certificate was issued or
    revoked: once per certificate and kind (lms.jobs.notify's key), by email after the commit."""
    from lms.jobs import notify_official
    from lms.jobs.notifications import site_path

    course = db.session.get(Course, certificate.course_id)
    context = {
        "serial": certificate.serial,
        "course_code": certificate.course_code,
        "course_title": course.title if course else certificate.course_title,
        "course_title_en": (course.title_en if course else None) or certificate.course_title,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "link": site_path("certificates.mine"),
    }
    if kind == "certificate_revoked":
        context["reason"] = RevocationReason.label_of(certificate.revoked_reason) or ""
        context["note"] = certificate.revoked_note or ""
    notify_official(certificate.official_id, kind, f"certificate:{certificate.id}", context)


# --- public verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public may learn about a code: nothing but the status, the reason category of a
    revocation, the holder's name, the course and the dates."""

    status: str
    holder_name: str
    course_title: str
    issued_on: date
    expires_on: date | None
    revoked_reason: str | None
    replaced: bool

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "revoked_reason": self.revoked_reason,
            "holder_name": self.holder_name,
            "course_title": self.course_title,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "replaced": self.replaced,
        }


CODE_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def verify(code: str, channel: str, address: str) -> Verification | None:
    """Look a verification code up and log the look-up (flushed); None for an unknown code.
    Codes that cannot exist (wrong characters or length) are not even queried."""
    certificate = None
    if code and len(code) <= 64 and set(code) <= CODE_CHARS:
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.verification_code == code)
        )
    result = None
    if certificate is not None:
        status = rules.status(certificate.revoked_at, certificate.expires_on, clock.today())
        result = Verification(
            status=status,
            holder_name=certificate.holder_name,
            course_title=certificate.course_title,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            revoked_reason=certificate.revoked_reason,
            replaced=replacement(certificate) is not None,
        )
    logged = "".join(ch for ch in (code or "")[:64] if ch.isprintable())
    db.session.add(
        VerificationLog(
            certificate_id=certificate.id if certificate else None,
            code=logged,
            channel=channel,
            result=result.status if result else "unknown",
            address=(address or "")[:64],
        )
    )
    db.session.flush()
    return result


def status_of(certificate: Certificate) -> str:
    """The certificate's status today."""
    return rules.status(certificate.revoked_at, certificate.expires_on, clock.today())
