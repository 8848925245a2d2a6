"""Certificates: the issued certificate (a frozen copy of what it certifies), the per-issuer
serial counters, and the log of public verification look-ups."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import CertificateKind
from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l

# Circular 03/2023/TT-BNV: the programme certificate (chứng chỉ) and the course-completion
# certificate (giấy chứng nhận), the kinds (and labels) of Course.certificate.
GIAY_CHUNG_NHAN, CHUNG_CHI = CertificateKind.GIAY_CHUNG_NHAN, CertificateKind.CHUNG_CHI
KINDS = (GIAY_CHUNG_NHAN, CHUNG_CHI)


class RevocationReason(Labelled):
    """The grounds on which Circular 03/2023/TT-BNV revokes a certificate (`revoked_reason`)."""

    FRAUD = "fraud", _l("Obtained by fraud")
    INELIGIBLE = "ineligible", _l("Issued to an ineligible person")
    ALTERED = "altered", _l("Altered or falsified")
    LENT = "lent", _l("Lent to another person")
    ISSUER_ERROR = "issuer_error", _l("Issuer's error")


FRAUD, INELIGIBLE, ALTERED, LENT, ISSUER_ERROR = RevocationReason
REVOCATION_REASONS = tuple(RevocationReason)


class CertificateStatus(Labelled):
    """A certificate's public status on a day (rules.status gives valid, expired or revoked);
    "expiring" (valid, and expiring within the renewal window) is a list filter and a badge."""

    VALID = "valid", _l("Valid")
    EXPIRING = "expiring", _l("Expiring soon")
    EXPIRED = "expired", _l("Expired")
    REVOKED = "revoked", _l("Revoked")


VALID, EXPIRED, REVOKED = (
    CertificateStatus.VALID,
    CertificateStatus.EXPIRED,
    CertificateStatus.REVOKED,
)
STATUSES = (VALID, EXPIRED, REVOKED)


class Certificate(db.Model):
    """A certificate issued for a course completion.

    Invariants: one per (completion, edition) — edition 1 is the original, a re-issue after an
    issuer's error is edition 2, 3…, so issuing twice issues once; `serial` ("DN-2026-000123")
    and `verification_code` are unique and never reused; the holder, course, issuer and signer
    fields are copied at issue and never change, so the PDF renders the same document years
    later; a certificate is never deleted: revocation sets `revoked_at` with a reason of
    REVOCATION_REASONS, and a re-issue points back with `replaces_id`.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(ForeignKey("completions.id"))
    edition: Mapped[int] = mapped_column(default=1)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    issuer_code: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    number: Mapped[int]
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    issued_on: Mapped[date]
    completed_on: Mapped[date]
    expires_on: Mapped[date | None]
    holder_name: Mapped[str] = mapped_column(String(255))
    holder_birth_date: Mapped[date | None]
    holder_unit: Mapped[str] = mapped_column(String(255), default="")
    course_code: Mapped[str] = mapped_column(String(32))
    course_title: Mapped[str] = mapped_column(String(255))
    credits: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    periods: Mapped[int] = mapped_column(default=0)
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    issuer_name: Mapped[str] = mapped_column(String(255))
    issuer_parent: Mapped[str] = mapped_column(String(255), default="")
    place: Mapped[str] = mapped_column(String(64), default="")
    signer_title: Mapped[str] = mapped_column(String(255), default="")
    signer_name: Mapped[str] = mapped_column(String(255), default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    revoked_note: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    official = relationship("Official")
    course = relationship("Course")
    completion = relationship("Completion")

    __table_args__ = (
        db.UniqueConstraint("completion_id", "edition"),
        db.UniqueConstraint("issuer_code", "year", "number"),
        db.Index("ix_certificates_issued_on", "issued_on"),
    )


class SerialCounter(db.Model):
    """The last serial number given by an issuer in a year.

    Invariant: `last_number` only grows, by one, inside the transaction that issues the
    certificate carrying that number (services.next_number), so serials are gap-free and
    unique even when many certificates are issued at once.
    """

    __tablename__ = "certificate_serials"

    issuer_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class VerificationLog(db.Model):
    """One public look-up of a verification code (web page or API), found or not.

    Only appended; `code` is cut to its column; `certificate_id` NULL means no certificate has
    that code.
    """

    __tablename__ = "certificate_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8))  # web | api
    result: Mapped[str] = mapped_column(String(16))  # valid | expired | revoked | unknown
    address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(default=clock.stamp, index=True)
