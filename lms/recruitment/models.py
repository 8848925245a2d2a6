"""Recruitment exams (thi tuyển công chức): a recruitment and its positions with quotas, the
candidates, exam rooms and sessions with their seats and invigilators, the candidates' computer
papers (one row per drawn question), the incidents an invigilator records, and the append-only,
hash-chained results log (lms/recruitment/results_log.py writes it).

Interfaces other parts rely on (the `marking` sub-package builds on them):
- `Recruitment.code` (e.g. TD2026) is unique; `Recruitment.unit_id` is the organising unit, whose
  subtree decides which HR officers see it (scope); `appeal_days` is the appeal deadline in days
  after publication.
- `RecruitmentPosition` (recruitment, unit, code, title, quota): ranking is per position against
  `quota`.
- `Candidate.number` is unique per recruitment; `priority_points` is the priority category's
  points (Decree 138/2020, art. 5; `rules.PRIORITY_POINTS`), added to the total once;
  `user_id` is the candidate's account (role `candidate`), which opens nothing but the exam.
- `ExamSession` (round, subject, room, window, code, allowed IP ranges, paper blueprint);
  `SeatAssignment` places a candidate in a session; `ExamAttempt`/`ExamSlot` are the computer
  paper and its answers; written answers of round 2 are the `marking` sub-package's.
- `ResultEntry`: one line of the results log, per candidate chained; only
  `results_log.append` writes it.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l

Points = Numeric(6, 2)


class RecruitmentStatus(Labelled):
    """Where a recruitment stands (`Recruitment.status`)."""

    DRAFT = "draft", _l("Being prepared")
    APPLICATIONS = "applications", _l("Receiving applications")
    EXAMS = "exams", _l("Exams under way")
    MARKING = "marking", _l("Marking")
    PUBLISHED = "published", _l("Results published")
    CLOSED = "closed", _l("Closed")


class CandidateSource(Labelled):
    """How a candidate was registered (`Candidate.source`)."""

    IMPORT = "import", _l("Imported list")
    ONLINE = "online", _l("Online application")
    MANUAL = "manual", _l("Entered by an officer")


class ExamSubject(Labelled):
    """What an exam session examines (`ExamSession.subject`): round 1 on computers (general
    knowledge; foreign language and IT where required), round 2 the professional field."""

    GENERAL = "general", _l("General knowledge")
    LANGUAGE = "language", _l("Foreign language")
    IT = "it", _l("Information technology")
    PROFESSIONAL = "professional", _l("Professional knowledge")


class ExamAttemptStatus(Labelled):
    """Where a candidate's computer paper stands (`ExamAttempt.status`)."""

    IN_PROGRESS = "in_progress", _l("Taking the paper")
    SUBMITTED = "submitted", _l("Submitted")


class Recruitment(db.Model):
    """A recruitment (kỳ tuyển dụng). Invariants: `code` unique; applications are taken online
    only between `applications_open_on` and `applications_close_on` (both inclusive)."""

    __tablename__ = "recruitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    year: Mapped[int]
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=RecruitmentStatus.DRAFT)
    applications_open_on: Mapped[date | None]
    applications_close_on: Mapped[date | None]
    appeal_days: Mapped[int] = mapped_column(default=15)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    unit = relationship("OrgUnit")
    positions: Mapped[list["RecruitmentPosition"]] = relationship(
        back_populates="recruitment", order_by="RecruitmentPosition.code"
    )


class RecruitmentPosition(db.Model):
    """A position to fill (vị trí tuyển dụng) in a unit, with its quota (chỉ tiêu).
    Invariant: `code` unique within the recruitment; quota ≥ 1."""

    __tablename__ = "recruitment_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recruitment_id: Mapped[int] = mapped_column(ForeignKey("recruitments.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(255))
    quota: Mapped[int] = mapped_column(default=1)

    recruitment: Mapped[Recruitment] = relationship(back_populates="positions")
    unit = relationship("OrgUnit")

    __table_args__ = (db.UniqueConstraint("recruitment_id", "code"),)


class Candidate(db.Model):
    """A candidate (thí sinh). Invariants: `number` (số báo danh) and `id_number` (the 12-digit
    citizen identity number, CCCD) are each unique within a recruitment; the name is stored NFC;
    `priority_points` are the points of `priority_code` at registration; `user_id` is the
    candidate's own account, which holds the role `candidate` and nothing else; `access_code`
    is the password printed on the admission card (the exam also needs the room's session code)."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    recruitment_id: Mapped[int] = mapped_column(ForeignKey("recruitments.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("recruitment_positions.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(255))
    sort_key: Mapped[str] = mapped_column(String(255), default="")
    born_on: Mapped[date]
    id_number: Mapped[str] = mapped_column(String(12))
    email: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    priority_code: Mapped[str] = mapped_column(String(16), default="")
    priority_points: Mapped[Decimal] = mapped_column(Points, default=Decimal(0))
    source: Mapped[str] = mapped_column(String(16), default=CandidateSource.IMPORT)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    access_code: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    recruitment: Mapped[Recruitment] = relationship()
    position: Mapped[RecruitmentPosition] = relationship()
    user = relationship("User")

    __table_args__ = (
        db.UniqueConstraint("recruitment_id", "number"),
        db.UniqueConstraint("recruitment_id", "id_number"),
    )


class ExamRoom(db.Model):
    """An exam room (phòng thi) of a recruitment. Invariant: seats ≥ 1; name unique within the
    recruitment."""

    __tablename__ = "exam_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    recruitment_id: Mapped[int] = mapped_column(ForeignKey("recruitments.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(255), default="")
    seats: Mapped[int] = mapped_column(default=30)

    __table_args__ = (db.UniqueConstraint("recruitment_id", "name"),)


class ExamSession(db.Model):
    """One sitting (ca thi) of one subject in one room.

    Invariants: starts_at < ends_at (naive UTC, as `clock.now()`; pages show Vietnam time); a
    candidate starts only inside the window, with `code` (announced in the room) and, when
    `allowed_networks` is not empty, from one of its IP ranges (comma-separated CIDRs). The
    paper: `duration_minutes` from the start (never past `ends_at` plus the candidate's added
    time), questions drawn from the bank of course `bank_course_id` by `blueprint`: a list of
    {"category": path, "difficulty": tag or "", "count": n} (rules.draw_paper). `round` 1 is
    on computers, 2 the written professional round (marked by the `marking` sub-package).
    """

    __tablename__ = "exam_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recruitment_id: Mapped[int] = mapped_column(ForeignKey("recruitments.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    subject: Mapped[str] = mapped_column(String(16), default=ExamSubject.GENERAL)
    title: Mapped[str] = mapped_column(String(255), default="")
    room_id: Mapped[int] = mapped_column(ForeignKey("exam_rooms.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    code: Mapped[str] = mapped_column(String(16))
    allowed_networks: Mapped[str] = mapped_column(Text, default="")
    bank_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    blueprint: Mapped[list] = mapped_column(JSON, default=list)

    recruitment: Mapped[Recruitment] = relationship()
    room: Mapped[ExamRoom] = relationship()
    bank_course = relationship("Course")


class Invigilator(db.Model):
    """A user who supervises a session (giám thị). Invariant: one row per (session, user)."""

    __tablename__ = "exam_invigilators"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    user = relationship("User")

    __table_args__ = (db.UniqueConstraint("session_id", "user_id"),)


class SeatAssignment(db.Model):
    """A candidate's seat in a session. Invariants: one per (session, candidate) and one
    candidate per (session, seat); `extra_minutes` is the time invigilators added (incidents)."""

    __tablename__ = "exam_seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    seat: Mapped[int]
    extra_minutes: Mapped[int] = mapped_column(default=0)

    session: Mapped[ExamSession] = relationship()
    candidate: Mapped[Candidate] = relationship()

    __table_args__ = (
        db.UniqueConstraint("session_id", "candidate_id"),
        db.UniqueConstraint("session_id", "seat"),
    )


class ExamAttempt(db.Model):
    """A candidate's computer paper in a session. Invariants: one per (session, candidate);
    answers are refused from `deadline_at` on; `score`/`max_score` are set once, at submission
    (multiple choice is graded at once), and the score is written to the results log."""

    __tablename__ = "exam_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ExamAttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    deadline_at: Mapped[datetime]
    saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    score: Mapped[Decimal | None] = mapped_column(Points)
    max_score: Mapped[Decimal | None] = mapped_column(Points)

    session: Mapped[ExamSession] = relationship()
    candidate: Mapped[Candidate] = relationship()
    slots: Mapped[list["ExamSlot"]] = relationship(
        back_populates="attempt", order_by="ExamSlot.position", cascade="all, delete-orphan"
    )

    __table_args__ = (db.UniqueConstraint("session_id", "candidate_id"),)


class ExamSlot(db.Model):
    """One drawn question of a paper, in the candidate's own order, with the shown order of its
    choices (`shown`, as lms.assessments' AttemptSlot) and the candidate's answer."""

    __tablename__ = "exam_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("bank_questions.id"))
    position: Mapped[int]
    shown: Mapped[dict] = mapped_column(JSON, default=dict)
    response: Mapped[dict | None] = mapped_column(JSON)
    mark: Mapped[Decimal] = mapped_column(Points, default=Decimal(1))
    fraction: Mapped[Decimal | None] = mapped_column(Numeric(9, 7))

    attempt: Mapped[ExamAttempt] = relationship(back_populates="slots")
    question = relationship("BankQuestion", lazy="selectin")


class Incident(db.Model):
    """What an invigilator recorded in a session (sự cố): a note, perhaps about one candidate,
    perhaps with minutes added to that candidate's time. Rows are only added (also audited)."""

    __tablename__ = "exam_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"))
    note: Mapped[str] = mapped_column(Text)
    minutes_added: Mapped[int] = mapped_column(default=0)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    candidate: Mapped[Candidate | None] = relationship()
    actor = relationship("User")


class ResultKind(Labelled):
    """What a results-log line records (`ResultEntry.kind`)."""

    COMPUTER_SCORE = "computer_score", _l("Computer-based score")
    WRITTEN_MARK = "written_mark", _l("Written paper mark")
    APPEAL_CHANGE = "appeal_change", _l("Change after appeal")
    CORRECTION = "correction", _l("Correction")


class ResultEntry(db.Model):
    """One line of the results log (append-only). Invariants: never updated or deleted;
    `seq` numbers a candidate's lines 1, 2, 3…; `entry_hash` is an HMAC-SHA256 under the
    integrity key (lms/common/integrity.py) over the line's fields (the payload as canonical
    JSON) and `prev_hash`, the hash of the candidate's previous line; `actor_id` or else
    `system_source` says who wrote it."""

    __tablename__ = "recruitment_results_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    recruitment_id: Mapped[int] = mapped_column(ForeignKey("recruitments.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    system_source: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.UniqueConstraint("candidate_id", "seq"),)
