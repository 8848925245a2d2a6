"""Programmes: the programme with its course sets on two paths (certification and
recertification), the positions and ranks that require it, and the programme certificates
(chứng chỉ), one row per certification period (the certification history)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l
from lms.programmes.rules import SetSpec


class SetRule(Labelled):
    """How a course set is completed (Totara's "all / at least N / minimum points")."""

    ALL = "all", _l("All of")
    ANY = "any", _l("Any of")
    CREDITS = "credits", _l("Minimum credits from")


class ProgrammePath(Labelled):
    """The path a set belongs to: the first certification, or the (often shorter) renewal."""

    CERTIFICATION = "certification", _l("Certification")
    RECERTIFICATION = "recertification", _l("Recertification")


class RequirementKind(Labelled):
    """What requires a programme: a job position or a civil-service rank (by code)."""

    POSITION = "position", _l("Position")
    RANK = "rank", _l("Rank")


ALL, ANY, CREDITS = SetRule
SET_RULES = tuple(SetRule)
CERTIFICATION, RECERTIFICATION = ProgrammePath
PATHS = tuple(ProgrammePath)
# Where a programme certificate comes from: detected from course completions, or a paper one.
ISSUED, HISTORICAL = "issued", "historical"


class Programme(db.Model):
    """A training programme (chương trình bồi dưỡng) leading to a chứng chỉ.

    Invariants: `code` is unique and never changes (it names the folder
    courses/programmes/<CODE>/); `periods` and `credits` are the programme's declared totals;
    with `ordered`, a set counts only with courses completed after the set before it was done;
    a programme without recertification sets renews by its certification sets.
    """

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    content_area: Mapped[str] = mapped_column(String(8))
    periods: Mapped[int] = mapped_column(default=0)
    credits: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=0)
    validity_months: Mapped[int | None]
    ordered: Mapped[bool] = mapped_column(default=False)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    owner_unit = relationship("OrgUnit")
    sets: Mapped[list["ProgrammeSet"]] = relationship(
        order_by="(ProgrammeSet.path, ProgrammeSet.position)",
        cascade="all, delete-orphan",
        back_populates="programme",
    )
    requirements: Mapped[list["ProgrammeRequirement"]] = relationship(
        order_by="(ProgrammeRequirement.kind, ProgrammeRequirement.ordinal)",
        cascade="all, delete-orphan",
    )

    def path_sets(self, path: str) -> list["ProgrammeSet"]:
        """The sets of a path in order; the recertification path falls back to the first."""
        sets = [s for s in self.sets if s.path == path]
        if not sets and path == RECERTIFICATION:
            return self.path_sets(CERTIFICATION)
        return sorted(sets, key=lambda s: s.position)


class ProgrammeSet(db.Model):
    """A course set of a programme's path: all of its courses, any `count` of them, or at least
    `min_credits` credits from them."""

    __tablename__ = "programme_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(16), default=CERTIFICATION)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(255))
    rule: Mapped[str] = mapped_column(String(16), default=ALL)
    count: Mapped[int | None]
    min_credits: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    course_codes: Mapped[list] = mapped_column(JSON, default=list)

    programme: Mapped[Programme] = relationship(back_populates="sets")

    def spec(self) -> SetSpec:
        """The set as the rules judge it and programme.toml holds it."""
        return SetSpec(
            self.title, self.rule, tuple(self.course_codes), self.count, self.min_credits
        )


class ProgrammeRequirement(db.Model):
    """A position or rank (by code, like course.toml's positions) that requires holding the
    programme's chứng chỉ; `ordinal` keeps the file's order; `arose_on` is the day the
    requirement was created (a curriculum screen, an import): a first certification is due as a
    mandatory course required that day is (lms.curricula.rules.due.due_date). None (rows from
    before it was kept): as if required since the post began."""

    __tablename__ = "programme_requirements"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    ordinal: Mapped[int] = mapped_column(default=0)
    arose_on: Mapped[date | None]


class ProgrammeCertificate(db.Model):
    """A programme certificate (chứng chỉ): one certification period of an official.

    Invariants: issued ones carry a `serial` of the programme series ("DN-CC-2027-000001") and
    a `verification_code`, both unique and never reused; historical ones (a paper chứng chỉ)
    keep `original_number` instead; what the document prints (holder, programme, courses,
    issuer, signer) is copied at issue and never changes; never deleted: revocation sets
    `revoked_at` with a reason of Circular 03/2023. The rows of an (official, programme) in
    `completed_on` order are its certification history.
    """

    __tablename__ = "programme_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    path: Mapped[str] = mapped_column(String(16), default=CERTIFICATION)
    source: Mapped[str] = mapped_column(String(16), default=ISSUED)
    completed_on: Mapped[date]
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    serial: Mapped[str | None] = mapped_column(String(64), unique=True)
    verification_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    original_number: Mapped[str | None] = mapped_column(String(64))
    issuer_code: Mapped[str] = mapped_column(String(32), default="")
    holder_name: Mapped[str] = mapped_column(String(255))
    holder_birth_date: Mapped[date | None]
    holder_unit: Mapped[str] = mapped_column(String(255), default="")
    programme_code: Mapped[str] = mapped_column(String(32))
    programme_title: Mapped[str] = mapped_column(String(255))
    periods: Mapped[int] = mapped_column(default=0)
    credits: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=0)
    courses: Mapped[list] = mapped_column(JSON, default=list)  # [[code, title, periods], …]
    issuer_name: Mapped[str] = mapped_column(String(255), default="")
    issuer_parent: Mapped[str] = mapped_column(String(255), default="")
    place: Mapped[str] = mapped_column(String(64), default="")
    signer_title: Mapped[str] = mapped_column(String(255), default="")
    signer_name: Mapped[str] = mapped_column(String(255), default="")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    revoked_note: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    official = relationship("Official")
    programme = relationship("Programme")

    __table_args__ = (
        db.Index("ix_programme_certificates_holder", "official_id", "programme_id", "completed_on"),
    )
