"""Compliance: the frozen training statement of each official for a closed cycle."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db

MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET = "met", "on_track", "at_risk", "overdue", "not_met"
LIVE_STATUSES = (MET, ON_TRACK, AT_RISK, OVERDUE)
CLOSED_STATUSES = (MET, NOT_MET)
STATUSES = (MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET)


class Statement(db.Model):
    """An official's training statement (DESIGN.md §3), frozen when HR closed the cycle for a
    unit subtree that held the official.

    Invariants: written once by the close and never updated, except `superseded_at`, set when
    an administrator re-opens the cycle (the row stays as history); at most one current
    (`superseded_at IS NULL`) statement per (official, cycle); the copied names and codes are
    those of the closing day, so later renames never change a statement.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    closure_id: Mapped[int] = mapped_column(ForeignKey("cycle_closures.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    employee_code: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(255))
    gender: Mapped[str] = mapped_column(String(8))
    unit_code: Mapped[str] = mapped_column(String(32))
    unit_name: Mapped[str] = mapped_column(String(255))
    position_code: Mapped[str | None] = mapped_column(String(32))
    position_name: Mapped[str | None] = mapped_column(String(255))
    rank_code: Mapped[str | None] = mapped_column(String(16))
    rank_name: Mapped[str | None] = mapped_column(String(255))
    target_credits: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    earned_credits: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    mandatory_required: Mapped[int]
    mandatory_completed: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    certificates: Mapped[list] = mapped_column(JSON, default=list)
    closed_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]

    __table_args__ = (
        db.Index(
            "uq_statements_current",
            "official_id",
            "cycle_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )
