"""External training submitted by an official for recognition, with its evidence file and HR's
decision."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.curricula.cycles.models import CreditAmount
from lms.extensions import db
from lms.i18n import _l


class ExternalStatus(Labelled):
    """Where an external-training submission stands (ExternalRecord.status)."""

    SUBMITTED = "submitted", _l("Waiting for HR")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")


class ExternalRecord(db.Model):
    """External training submitted by an official for recognition, with its evidence file.

    Invariants: status moves submitted → approved | rejected, once (decided_by/decided_at set);
    approval writes one ledger entry (source external, ref "external:<id>") with
    `credits_granted`; rejection keeps the reason; the evidence bytes live under the instance
    folder at `evidence_path` (a generated name, never the uploaded one).
    """

    __tablename__ = "external_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    organiser: Mapped[str] = mapped_column(String(255))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    periods: Mapped[int]
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    evidence_path: Mapped[str | None] = mapped_column(String(255))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    credits_granted: Mapped[Decimal | None] = mapped_column(CreditAmount)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    official = relationship("Official")
