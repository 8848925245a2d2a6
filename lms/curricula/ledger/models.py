"""The append-only credit ledger (sổ tín chỉ) and its seals, and the credit sources an entry
names."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.curricula.cycles.models import CreditAmount
from lms.extensions import db
from lms.i18n import _l


# Where credits come from (DESIGN.md §3): an online course, an in-person class, external
# training approved by HR, a manual entry by HR, a historical record imported from paper or
# another LMS. A reversal keeps the source of the entry it reverses.
class CreditSource(Labelled):
    """A ledger entry's source (`LedgerEntry.source`), with the words every page, export and
    PDF prints for it."""

    ONLINE = "online", _l("Online course")
    IN_PERSON = "in_person", _l("In-person class")
    EXTERNAL = "external", _l("External training")
    MANUAL = "manual", _l("Manual entry (HR)")
    HISTORICAL = "historical", _l("Earlier record")
    IMPORTED = "imported", _l("Imported from another installation")


ONLINE, IN_PERSON, EXTERNAL, MANUAL, HISTORICAL, IMPORTED = CreditSource
SOURCES = tuple(CreditSource)


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


class LedgerImport(db.Model):
    """One portable training record imported (`flask ledger import`, lms.curricula.ledger
    .portable): who issued it, for whom, the file's digest (a file is imported once) and the
    signed file itself, kept as received. Invariant: rows are only added."""

    __tablename__ = "ledger_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    issuer_id: Mapped[str] = mapped_column(String(255))
    issuer_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    exported_at: Mapped[datetime]
    imported_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entries: Mapped[int] = mapped_column(default=0)
    document: Mapped[str] = mapped_column(Text)


class ImportedOrigin(db.Model):
    """Where an imported ledger entry (source IMPORTED) comes from: the installation or agency
    that first recorded it (`issuer_id`, a DID, and its name), its reference there, its source
    kind, course code and the moment it was recorded there. `earned_on` stays on the entry as
    it was issued (never re-dated). Unique per (issuer, reference): an entry is imported once.
    """

    __tablename__ = "ledger_imported_origins"

    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("ledger_imports.id"), index=True)
    issuer_id: Mapped[str] = mapped_column(String(255))
    issuer_name: Mapped[str] = mapped_column(String(255))
    origin_ref: Mapped[str] = mapped_column(String(64))
    origin_source: Mapped[str] = mapped_column(String(16))
    course_code: Mapped[str] = mapped_column(String(32), default="")
    recorded_at: Mapped[datetime]

    __table_args__ = (db.UniqueConstraint("issuer_id", "origin_ref"),)
