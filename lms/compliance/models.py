"""Compliance's tables: the close (and re-opening) of a cycle for a unit subtree, the review
snapshots taken before the cycle ends, and the training statements frozen by either."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint, text
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


class ReviewSnapshot(db.Model):
    """HR froze the *review* statements of a unit subtree as of a review date inside the cycle
    (DESIGN.md §3 "Review snapshot and cycle close"). Invariant: one row per (cycle, unit,
    review date); rows are only added."""

    __tablename__ = "review_snapshots"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    as_of: Mapped[date]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)


# The kinds of a frozen statement: frozen by a close after the cycle end, or by a review
# snapshot as of a day inside the cycle ("live" is a statement computed, never stored).
FINAL, REVIEW, LIVE = "final", "review", "live"


class Statement(db.Model):
    """An official's training statement (DESIGN.md §3), frozen when HR closed the cycle for a
    unit subtree that held the official (`kind` final), or took a review snapshot (review).

    Invariants: written once and never updated, except `superseded_at` of a final statement,
    set when an administrator re-opens the cycle (the row stays as history); at most one
    current (`superseded_at IS NULL`) final statement per (official, cycle) and one review
    statement per (official, cycle, review date); the copied names and codes are those of the
    freezing day, so later renames never change a statement.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    # The close that froze a final statement, or the review snapshot that froze a review one.
    closure_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_closures.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review_snapshots.id"), index=True)
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
    # final (a close) or review (a snapshot); `as_of`: the day the figures are for (the review
    # date, or the cycle's last day). The months and the not-rated flag as of that day; on a
    # final statement, `since_review`: what was earned and completed after the latest review
    # date ({review_as_of, credits, entries: [{earned_on, title, credits}], courses:
    # [{course_code, title, done_on}]}). NULL on statements frozen before these were kept.
    kind: Mapped[str] = mapped_column(String(8), default=FINAL, server_default=FINAL)
    as_of: Mapped[date | None]
    months_in_post: Mapped[int | None]
    months_on_leave: Mapped[int | None]
    months_counted: Mapped[int | None]
    not_rated: Mapped[bool | None]
    since_review: Mapped[dict | None] = mapped_column(JSON)
    superseded_at: Mapped[datetime | None]
    # An HMAC under the ledger key of every field above (lms/common/sealing.py), re-computed
    # by the application when a re-opening supersedes the statement; NULL on statements frozen
    # before the key, until `flask integrity rekey`. `seal_seq`: statement seals written before.
    row_mac: Mapped[str | None] = mapped_column(String(64))
    seal_seq: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (
        # One current final statement per official and cycle; one review per review date.
        db.Index(
            "uq_statements_current",
            "official_id",
            "cycle_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL AND kind = 'final'"),
            postgresql_where=text("superseded_at IS NULL AND kind = 'final'"),
        ),
        db.Index(
            "uq_statements_review",
            "official_id",
            "cycle_id",
            "as_of",
            unique=True,
            sqlite_where=text("kind = 'review'"),
            postgresql_where=text("kind = 'review'"),
        ),
    )


sealing.register(sealing.STATEMENTS, Statement)


class RatingLevel(Labelled):
    """The annual rating of an official (Decree 90/2020), best first."""

    EXCELLENT = rules.EXCELLENT, _l("Excellent completion of duties")
    GOOD = rules.GOOD, _l("Good completion of duties")
    DONE = rules.DONE_LEVEL, _l("Completion of duties")
    NOT_DONE = rules.NOT_DONE, _l("Non-completion of duties")


class AnnualRating(db.Model):
    """An official's annual rating for a cycle (the December review), recorded by HR, with the
    content areas found weak (ND1–ND5, comma-separated, "" for none) and the courses found weak
    (course codes, comma-separated, "" for none). Invariant: one per (official, cycle); a change
    rewrites the row (audited)."""

    __tablename__ = "annual_ratings"
    __table_args__ = (UniqueConstraint("official_id", "cycle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    weak_areas: Mapped[str] = mapped_column(String(32), default="", server_default="")
    weak_courses: Mapped[str] = mapped_column(String(255), default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    @property
    def areas(self) -> list[str]:
        return [a for a in self.weak_areas.split(",") if a]

    @property
    def courses(self) -> list[str]:
        return [c for c in self.weak_courses.split(",") if c]
