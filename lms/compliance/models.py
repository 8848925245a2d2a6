"""Compliance's tables: the close (and re-opening) of a cycle for a unit subtree, and the training
statements frozen by a close."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from lms.common import clock, sealing
from lms.common.labels import Labelled
from lms.compliance import rules
from lms.extensions import db
from lms.i18n import _l


class ComplianceStatus(Labelled):
    """An official's compliance status in a cycle (values from lms.compliance.rules): live while
    the cycle is open, met or not met once it is closed."""

    MET = rules.MET, _l("Met")
    ON_TRACK = rules.ON_TRACK, _l("On track")
    AT_RISK = rules.AT_RISK, _l("At risk")
    OVERDUE = rules.OVERDUE, _l("Overdue")
    NOT_MET = rules.NOT_MET, _l("Not met")


class CycleClosure(db.Model):
    """The close of a cycle for a unit subtree (by HR), or its re-opening (by an administrator,
    with a reason). Invariant: rows are only added; the latest row for (cycle, unit) says
    whether it is closed; statements frozen at a close stay in `statements`."""

    __tablename__ = "cycle_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    action: Mapped[str] = mapped_column(String(16))  # close | reopen
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)


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
    # The mandatory courses as frozen: [{course_code, title, kind, due_on, state, done_on}]
    # (dates ISO), one per course, the state on the closing day. NULL on statements frozen
    # before the list was kept: they show the counts only.
    mandatory: Mapped[list | None] = mapped_column(JSON)
    closed_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]
    # An HMAC under the ledger key of every field above (lms/common/sealing.py), re-computed
    # by the application when a re-opening supersedes the statement; NULL on statements frozen
    # before the key, until `flask integrity rekey`. `seal_seq`: statement seals written before.
    row_mac: Mapped[str | None] = mapped_column(String(64))
    seal_seq: Mapped[int] = mapped_column(default=0, server_default="0")

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


sealing.register(sealing.STATEMENTS, Statement)
