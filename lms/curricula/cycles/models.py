"""Training cycles and the curriculum of each job position (its credit target and mandatory
courses); `CreditAmount`, the column type of every credit figure."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.extensions import db

CreditAmount = Numeric(6, 2)


class Cycle(db.Model):
    """A training cycle (chu kỳ bồi dưỡng), by default a calendar year, with its rules.

    Invariants: `year` is unique and names the cycle in URLs, the CLI and the API; cycles do
    not overlap; the rule columns are the defaults of DESIGN.md §3 and may differ per cycle.
    Closing happens per unit subtree (CycleClosure), so the cycle itself has no closed flag.
    """

    __tablename__ = "cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    due_days: Mapped[int] = mapped_column(default=180)  # mandatory course due after assignment
    renewal_window_days: Mapped[int] = mapped_column(default=60)  # recertify before expiry
    at_risk_days: Mapped[int] = mapped_column(default=30)  # due within → at risk
    pace_slack: Mapped[Decimal] = mapped_column(CreditAmount, default=Decimal(1))
    # A course required late (or at the go-live) is due at least this many days after the day
    # it was required, even past the cycle's last day (DESIGN.md §3 "Due dates").
    notice_days: Mapped[int] = mapped_column(default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Curriculum(db.Model):
    """The curriculum of a job position (chương trình bồi dưỡng theo VTVL), optionally narrowed
    to one rank: the cycle credit target and the mandatory courses.

    Invariants: one per (position, rank), rank NULL meaning "any rank"; the rank-specific
    curriculum, when there is one, wins over the general one for an official of that rank.
    """

    __tablename__ = "curricula"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    rank_id: Mapped[int | None] = mapped_column(ForeignKey("ranks.id"))
    target_credits: Mapped[Decimal] = mapped_column(CreditAmount)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    position = relationship("Position")
    rank = relationship("Rank")
    courses: Mapped[list["CurriculumCourse"]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (db.UniqueConstraint("position_id", "rank_id"),)


class CurriculumCourse(db.Model):
    """A mandatory course of a curriculum."""

    __tablename__ = "curriculum_courses"

    curriculum_id: Mapped[int] = mapped_column(
        ForeignKey("curricula.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True, index=True)

    course = relationship("Course")
