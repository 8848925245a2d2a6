"""Anonymous marking of the written papers of a recruitment's second round, the markers and
their marks, the publication of results, and appeals (phúc khảo).

Anonymity: a `Paper` carries the candidate and a random code (số phách); the pages of a marker
read only `Paper.code` and `Paper.answer_text` (lms.recruitment.marking.queries.marker_*), and
the code → candidate mapping is shown only once `MarkingRound.revealed_at` is set.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l

Points = Numeric(6, 2)


class MarkingState(Labelled):
    """Where the marking of a recruitment stands (`MarkingRound.state`)."""

    DRAFT = "draft", _l("Not opened")
    OPEN = "open", _l("Marking")
    CLOSED = "closed", _l("Marking closed")
    REVEALED = "revealed", _l("Codes opened")
    PUBLISHED = "published", _l("Results published")


class MarkTurn(Labelled):
    """Which marking a mark is (`Mark.turn`): the two independent markers, the third when they
    differ beyond the margin, and the re-marking of an appeal."""

    FIRST = "first", _l("First marker")
    SECOND = "second", _l("Second marker")
    THIRD = "third", _l("Third marker")
    APPEAL = "appeal", _l("Appeal re-marking")


class AppealState(Labelled):
    """Where an appeal stands (`Appeal.state`)."""

    FILED = "filed", _l("Waiting for re-marking")
    DECIDED = "decided", _l("Re-marked")


class PaperSource(Labelled):
    """How a written answer reached the marking (`Paper.source`)."""

    TYPED = "typed", _l("Typed in the exam")
    ENTERED = "entered", _l("Entered from the paper by a clerk")
    SCANNED = "scanned", _l("Scanned from the paper by a clerk")


class MarkingRound(db.Model):
    """The marking of one recruitment. Invariants: one per recruitment; the state only moves
    forward (draft → open → closed → revealed → published); `maximum` and `margin_percent` are
    fixed once marking is open; `revealed_by_id` names the officer who opened the codes."""

    __tablename__ = "recruitment_marking_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    recruitment_id: Mapped[int] = mapped_column(ForeignKey("recruitments.id"), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=MarkingState.DRAFT)
    maximum: Mapped[Decimal] = mapped_column(Points, default=Decimal(100))
    margin_percent: Mapped[Decimal] = mapped_column(Points, default=Decimal(10))
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    revealed_at: Mapped[datetime | None]
    revealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_on: Mapped[date | None]
    publication_number: Mapped[int | None]

    recruitment = relationship("Recruitment")
    revealed_by = relationship("User", foreign_keys=[revealed_by_id])


class Marker(db.Model):
    """A user appointed to mark the papers of a round (thành viên chấm thi). Invariant: one row
    per (round, user); being a marker of one round opens nothing of another."""

    __tablename__ = "recruitment_markers"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("recruitment_marking_rounds.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    user = relationship("User")

    __table_args__ = (db.UniqueConstraint("round_id", "user_id"),)


class Paper(db.Model):
    """A candidate's written paper under its code (phách). Invariants: one per (round,
    candidate); `code` unique, random, given when marking opens (or when a clerk uploads the
    scan of a handwritten paper, before marking opens); `mark` is the mark by the rule
    (lms.recruitment.marking.rules.written_mark), replaced by an appeal's, and every change of
    it is a line of the results log."""

    __tablename__ = "recruitment_papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("recruitment_marking_rounds.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    source: Mapped[str] = mapped_column(String(16), default=PaperSource.TYPED)
    answer_text: Mapped[str] = mapped_column(Text, default="")
    mark: Mapped[Decimal | None] = mapped_column(Points)
    # The scan of a paper written by hand (lms.recruitment.marking.scans): a generated file name
    # under the instance folder, never the uploaded file's name; its kind (pdf, png, jpg) by
    # content, its SHA-256 and size.
    scan_path: Mapped[str | None] = mapped_column(String(255))
    scan_kind: Mapped[str | None] = mapped_column(String(8))
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    scan_bytes: Mapped[int | None]
    scan_uploaded_at: Mapped[datetime | None]

    marks: Mapped[list["Mark"]] = relationship(back_populates="paper", order_by="Mark.id")
    candidate = relationship("Candidate")

    __table_args__ = (db.UniqueConstraint("round_id", "candidate_id"),)


class Mark(db.Model):
    """One marker's marking of one paper. Invariants: one per (paper, turn) and one per (paper,
    marker), so the third marker and the appeal's are neither of the first two; `mark` and
    `submitted_at` are set once, together."""

    __tablename__ = "recruitment_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("recruitment_papers.id"), index=True)
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    turn: Mapped[str] = mapped_column(String(16))
    mark: Mapped[Decimal | None] = mapped_column(Points)
    note: Mapped[str] = mapped_column(Text, default="")
    assigned_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    submitted_at: Mapped[datetime | None]

    paper: Mapped[Paper] = relationship(back_populates="marks")
    marker = relationship("User")

    __table_args__ = (
        db.UniqueConstraint("paper_id", "turn"),
        db.UniqueConstraint("paper_id", "marker_id"),
    )


class Appeal(db.Model):
    """A candidate's appeal (đơn phúc khảo) of their written mark. Invariants: at most one per
    paper; filed within the deadline (rules.may_appeal); `mark_before` is the paper's mark when
    filed, `mark_after` the re-marking's, set once when decided."""

    __tablename__ = "recruitment_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("recruitment_papers.id"), unique=True)
    filed_on: Mapped[date]
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=AppealState.FILED)
    mark_before: Mapped[Decimal | None] = mapped_column(Points)
    mark_after: Mapped[Decimal | None] = mapped_column(Points)
    decided_at: Mapped[datetime | None]

    paper: Mapped[Paper] = relationship()
