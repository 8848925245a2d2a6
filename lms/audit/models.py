"""The audit log table. Rows are only ever inserted; entries recording reads of personal data
are deleted when their retention period is over (lms.privacy.retention)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.common import clock, sealing
from lms.extensions import db


class AuditEntry(db.Model):
    """One recorded change or read. Invariant: append-only (read entries only are deleted after
    LMS_RETENTION_LOGIN_DAYS); `before`/`after` hold only changed fields."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.stamp, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(64))
    # An HMAC under the ledger key of the entry's content (lms/common/sealing.py): NULL on
    # entries written before the key, until `flask integrity rekey`. `seal_seq`: the number of
    # audit seals written before the entry (an emptied seal table shows).
    row_mac: Mapped[str | None] = mapped_column(String(64))
    seal_seq: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (db.Index("ix_audit_entries_object", "object_type", "object_id"),)


class IntegritySeal(db.Model):
    """A signed summary of a protected table (`kind`: "statements" or "audit") at one moment:
    how many rows existed up to `last_id` and a digest of their ids, numbered per kind and
    chained to the previous seal (`prev_mac`), the MAC under the ledger key. Written nightly
    and by `flask integrity seal`; `flask integrity verify` checks them. Rows are only added."""

    __tablename__ = "integrity_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int]
    sealed_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    last_id: Mapped[int]
    rows: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    prev_mac: Mapped[str] = mapped_column(String(64), default="")
    mac: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.UniqueConstraint("kind", "seq"),)


sealing.register(sealing.AUDIT, AuditEntry)
sealing.register("seals", IntegritySeal)
