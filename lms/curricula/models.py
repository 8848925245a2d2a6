"""Curricula: training cycles, the curriculum of each job position, officials' obligations and
targets, course completions, the append-only credit ledger, and the credit sources besides
online tests (in-person classes, external training)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.extensions import db

# Where credits come from (DESIGN.md §3): an online course, an in-person class, external
# training approved by HR, a manual entry by HR, a historical record imported from paper or
# another LMS. A reversal keeps the source of the entry it reverses.
ONLINE, IN_PERSON, EXTERNAL, MANUAL, HISTORICAL = (
    "online",
    "in_person",
    "external",
    "manual",
    "historical",
)
SOURCES = (ONLINE, IN_PERSON, EXTERNAL, MANUAL, HISTORICAL)

# Obligations: a mandatory course of a position held, or the renewal of an expiring certificate.
MANDATORY, RECERTIFICATION = "mandatory", "recertification"
OBLIGATION_KINDS = (MANDATORY, RECERTIFICATION)
OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"
OBLIGATION_STATUSES = (OPEN, DONE, WITHDRAWN)

# A completion's certificate: requested (the certificates module issues it), issued, or none
# (the course gives no certificate, or the completion came with its original paper number).
CERT_NONE, CERT_REQUESTED, CERT_ISSUED = "none", "requested", "issued"

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


class OfficialTarget(db.Model):
    """An official's pro-rated credit target for a cycle, as last computed by the obligations
    engine (whole months held, highest target of the positions held, rounded up to 0.5 TC).

    Invariant: one per (official, cycle); rewritten only while the cycle is open for the
    official's unit, so reports read targets with a join instead of recomputing them.
    """

    __tablename__ = "official_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    target_credits: Mapped[Decimal] = mapped_column(CreditAmount)
    months: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    __table_args__ = (db.UniqueConstraint("official_id", "cycle_id"),)


class Obligation(db.Model):
    """A course an official must complete in a cycle, with its due date.

    Invariants: at most one per (official, cycle, course, kind); never deleted: an obligation
    that no longer applies (position changed, curriculum changed) is `withdrawn` with the
    reason and the time; `done` names the completion that satisfied it.
    """

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=MANDATORY)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    due_on: Mapped[date]
    # The day the requirement arose (first written, or written again after a withdrawal): a
    # due date is never before it, and at least the cycle's notice_days after it.
    arose_on: Mapped[date] = mapped_column(default=lambda: clock.today())
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    updated_at: Mapped[datetime] = mapped_column(default=clock.stamp, onupdate=clock.stamp)

    course = relationship("Course")
    position = relationship("Position")

    __table_args__ = (
        db.UniqueConstraint("official_id", "cycle_id", "course_id", "kind"),
        db.Index("ix_obligations_official_cycle_status", "official_id", "cycle_id", "status"),
        db.Index(
            "ix_obligations_cycle_official",
            "cycle_id",
            "official_id",
            postgresql_include=["status", "due_on", "course_id"],
        ),
    )


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


class LedgerEntry(db.Model):
    """One line of an official's credit ledger (sổ tín chỉ).

    Invariants: append-only — no service updates or deletes a row; a correction is a new row
    with negative credits that `reverses_id` the corrected one, with a reason; `seq` numbers an
    official's entries 1, 2, 3… (unique, so two writers racing for the same official cannot
    both append); `entry_hash` is an HMAC-SHA256, keyed by the ledger key the database does not
    hold (lms/common/integrity.py), over the entry's fields and `prev_hash`, the hash of the
    official's previous entry, so `flask ledger verify` finds any row changed, added or
    re-hashed in SQL. `hash_version` 1 marks entries hashed before the key (plain SHA-256):
    verify reports them until `flask ledger rekey` re-hashes them under the key (version 2).
    Every entry names who wrote it: `actor_id`, or else `system_source` (the part of the
    system, e.g. "grading" for a passed online test); `seal_seq` is the number of seals written
    before it, so a seal table emptied afterwards shows.
    """

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    seq: Mapped[int]
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    earned_on: Mapped[date]
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    credits: Mapped[Decimal] = mapped_column(CreditAmount)
    periods: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str] = mapped_column(String(64), default="")
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    hash_version: Mapped[int] = mapped_column(default=2, server_default="1")
    system_source: Mapped[str | None] = mapped_column(String(32))
    seal_seq: Mapped[int] = mapped_column(default=0, server_default="0")

    course = relationship("Course")

    __table_args__ = (
        db.UniqueConstraint("official_id", "seq"),
        # The cycle's credits per official read from the index alone on PostgreSQL (the
        # compliance dashboard; measured in bench/run.py).
        db.Index(
            "ix_ledger_entries_cycle_official",
            "cycle_id",
            "official_id",
            postgresql_include=["credits"],
        ),
    )


class LedgerSeal(db.Model):
    """A signed summary of the whole ledger at one moment, written nightly (`ledger seal`).

    The hash chains show a changed or removed entry *inside* an official's chain, but not the
    removal of an official's last entries. A seal records how many entries existed up to
    `last_entry_id` and a digest of every official's last entry among them; `mac` is an HMAC of
    those figures keyed by the app's SECRET_KEY, which is not in the database, so whoever can
    only write SQL cannot remove sealed entries and write a matching seal. `ledger verify`
    checks the latest seal. Invariant: rows are only added.

    Seals are numbered (`seq` 1, 2, 3…) and chained: from `version` 2 the MAC is keyed by the
    ledger key and covers `seq` and `prev_mac`, the previous seal's MAC, so a seal removed from
    the middle or the end shows (the entries written after it carry its number), and so does
    an emptied table. Version 1 seals (before the ledger key) keep their SECRET_KEY MAC.
    """

    __tablename__ = "ledger_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    sealed_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    last_entry_id: Mapped[int]
    entries: Mapped[int]
    officials: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(default=0, server_default="0", index=True)
    prev_mac: Mapped[str] = mapped_column(String(64), default="", server_default="")
    version: Mapped[int] = mapped_column(default=2, server_default="1")


class TrainingClass(db.Model):
    """An in-person class (lớp tập trung) of a course, run by a training manager of `unit`.

    Invariants: the class belongs to the unit subtree of the managers who may run it; results
    once recorded as passed write a completion (source in_person, ref "member:<id>").
    """

    __tablename__ = "training_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    location: Mapped[str] = mapped_column(String(255), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    sessions: Mapped[int] = mapped_column(default=1)
    min_attendance_percent: Mapped[int] = mapped_column(default=80)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    course = relationship("Course")
    unit = relationship("OrgUnit")
    members: Mapped[list["ClassMember"]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan"
    )


class ClassMember(db.Model):
    """An official on a class roster with attendance and result.

    Invariants: one per (class, official); `result` is NULL until recorded, then passed /
    failed / absent; a member whose passed result wrote a completion is not removed.
    """

    __tablename__ = "class_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id", ondelete="CASCADE"), index=True
    )
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    sessions_attended: Mapped[int | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    result: Mapped[str | None] = mapped_column(String(16))
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    recorded_at: Mapped[datetime | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="members")
    official = relationship("Official")

    __table_args__ = (db.UniqueConstraint("class_id", "official_id"),)


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
