"""Course completions, whatever their source (online test, in-person class, historical record),
with the state of the certificate each asks for."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.extensions import db

# A completion's certificate: requested (the certificates module issues it), issued, or none
# (the course gives no certificate, or the completion came with its original paper number).
CERT_NONE, CERT_REQUESTED, CERT_ISSUED = "none", "requested", "issued"


class Completion(db.Model):
    """An official's completion of a course, whatever its source.

    Invariants: at most one per (source, source_ref) — the idempotency key of every way a
    completion arrives (attempt id, class member id, import row key); `expires_on` is the
    completion date plus the course's validity (NULL: never expires); a completion is never
    deleted — a completion recorded in error is `revoked_at` with a reason, and its credits are
    reversed in the ledger.
    """

    __tablename__ = "completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    completed_on: Mapped[date]
    expires_on: Mapped[date | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str] = mapped_column(String(64))
    original_certificate_number: Mapped[str | None] = mapped_column(String(64))
    certificate_state: Mapped[str] = mapped_column(String(16), default=CERT_NONE)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(255))

    course = relationship("Course")
    official = relationship("Official")

    __table_args__ = (
        db.UniqueConstraint("source", "source_ref"),
        db.Index("ix_completions_official_course", "official_id", "course_id"),
    )
