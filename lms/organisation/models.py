"""Organisation: units (a dated tree), ranks, job positions, officials and their assignments."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l

# Byte-order collation for stored sort keys (vntext.name_sort_string is ASCII built for it).
# A key is cut to SORT_KEY_LENGTH when stored: vntext writes 12 hex digits per letter, primary
# weights first, so the cut keeps the primary order of the first 255 letters and loses only
# finer ties of very long names (a unit name of 90 letters already needs more than 1,024).
SORT_KEY_LENGTH = 1024
SortKey = String(SORT_KEY_LENGTH).with_variant(String(SORT_KEY_LENGTH, collation="C"), "postgresql")
# Unit paths are matched by prefix (LIKE '/1/5/%'); byte collation lets PostgreSQL use the index.
PathKey = String(255).with_variant(String(255, collation="C"), "postgresql")


class OrgUnit(db.Model):
    """A unit (Sở, phòng, UBND phường/xã…) in the city's tree.

    Invariants: `code` is unique for all time; `path` is "/<root id>/…/<own id>/" so a subtree is
    `path LIKE '<unit path>%'`; a closed unit keeps its row (valid_to set) so history stays.
    """

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    unit_type: Mapped[str] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(PathKey, index=True, default="")
    sort_name: Mapped[str] = mapped_column(SortKey, default="")
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id])

    def is_open_on(self, day: date) -> bool:
        """Whether the unit exists on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Rank(db.Model):
    """A civil-service rank (ngạch) with its official code, e.g. 01.003 Chuyên viên."""

    __tablename__ = "ranks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    salary_group: Mapped[str | None] = mapped_column(String(16))


class Position(db.Model):
    """A job position (vị trí việc làm) with its Decree 62 group."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    job_group: Mapped[str | None] = mapped_column(String(64))


class Gender(Labelled):
    """An official's gender (`Official.gender`)."""

    FEMALE = "female", _l("Female")
    MALE = "male", _l("Male")


GENDERS = tuple(Gender)


class Category(Labelled):
    """Cán bộ, công chức or viên chức (`Official.category`)."""

    CAN_BO = "can_bo", _l("Cadre (cán bộ)")
    CONG_CHUC = "cong_chuc", _l("Civil servant (công chức)")
    VIEN_CHUC = "vien_chuc", _l("Public employee (viên chức)")


CATEGORIES = tuple(Category)


class OfficialStatus(Labelled):
    """Whether an official is in the service (`Official.status`)."""

    ACTIVE = "active", _l("Working")
    ON_LEAVE = "on_leave", _l("On leave")
    RETIRED = "retired", _l("Retired")
    LEFT = "left", _l("Left the service")


STATUSES = tuple(OfficialStatus)


class Official(db.Model):
    """A cán bộ, công chức or viên chức.

    Invariants: `employee_code` is unique and never reused; `full_name` is NFC; `search_name` and
    `sort_name` are derived from it by lms.common.vntext and rewritten whenever it changes.
    """

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_code: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    search_name: Mapped[str] = mapped_column(String(255), index=True)
    sort_name: Mapped[str] = mapped_column(SortKey, index=True)
    gender: Mapped[str] = mapped_column(String(8))
    date_of_birth: Mapped[date | None]
    category: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    assignments: Mapped[list["PositionAssignment"]] = relationship(
        back_populates="official",
        order_by="(PositionAssignment.started_on.desc(), PositionAssignment.id.desc())",
    )


class PositionAssignment(db.Model):
    """An official holding a position in a unit, at a rank, over a period.

    Invariants: at most one open (ended_on IS NULL) primary assignment per official, enforced by a
    partial unique index; concurrent posts (kiêm nhiệm) have is_primary = False; ended_on ≥
    started_on. Rows are closed, never deleted, so the history stays.
    """

    __tablename__ = "position_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    rank_id: Mapped[int | None] = mapped_column(ForeignKey("ranks.id"))
    is_primary: Mapped[bool] = mapped_column(default=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    decision_no: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    official: Mapped[Official] = relationship(back_populates="assignments")
    unit: Mapped[OrgUnit] = relationship()
    position: Mapped[Position] = relationship()
    rank: Mapped[Rank | None] = relationship()

    __table_args__ = (
        db.Index(
            "uq_position_assignments_open_primary",
            "official_id",
            unique=True,
            sqlite_where=text("is_primary AND ended_on IS NULL"),
            postgresql_where=text("is_primary AND ended_on IS NULL"),
        ),
        db.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
    )


class LeaveKind(Labelled):
    """Why an official is away for a long period (`LeavePeriod.kind`); whether a kind exempts
    the official from training is the setting LMS_LEAVE_EXEMPTING_KINDS (docs/compliance.md)."""

    MATERNITY = "maternity", _l("Maternity leave")
    SICK = "sick", _l("Long sick leave")
    STUDY = "study", _l("Long-term study")
    SECONDMENT = "secondment", _l("Secondment")
    UNPAID = "unpaid", _l("Unpaid leave")
    SUSPENSION = "suspension", _l("Suspension from work")


class LeavePeriod(db.Model):
    """A dated period of long leave or absence of an official (nghỉ dài ngày, vắng mặt), with
    the decision that grants it; both days are part of the leave.

    Invariants: ends_on ≥ starts_on; the periods of one official never overlap (checked by
    lms.organisation.leave.save_leave and the leave import, which every write goes through).
    """

    __tablename__ = "leave_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    decision_number: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    official: Mapped[Official] = relationship()

    __table_args__ = (
        db.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        db.Index("ix_leave_periods_official_dates", "official_id", "starts_on"),
    )
