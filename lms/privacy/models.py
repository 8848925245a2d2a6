"""Acknowledgements of the privacy notice. Rows are only inserted."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.common import clock
from lms.extensions import db


class NoticeAcknowledgement(db.Model):
    """A user acknowledged one version of the privacy notice. Invariants: append-only; one row
    per (user, version); `acknowledged_at` is when they pressed the button."""

    __tablename__ = "privacy_notice_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version: Mapped[str] = mapped_column(String(16))
    acknowledged_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (db.UniqueConstraint("user_id", "version"),)
