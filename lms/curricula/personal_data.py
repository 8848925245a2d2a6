"""An official's training record for "download all my data": targets and obligations per
cycle, course completions, the credit ledger, external training (with the evidence file's name)
and in-person classes (the frozen statements are compliance's: lms.compliance.personal_data).
One query per section, whatever its length."""

from sqlalchemy import select

from lms.catalog.models import Course
from lms.common.plain import fields
from lms.curricula.classes.models import ClassMember, TrainingClass
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations.models import Obligation, OfficialTarget
from lms.extensions import db


def _rows(stmt):
    return db.session.execute(stmt).all()


def targets(official_id: int) -> list[dict]:
    """The credit target of each cycle, as last computed."""
    rows = _rows(
        select(OfficialTarget, Cycle.year)
        .join(Cycle, Cycle.id == OfficialTarget.cycle_id)
        .where(OfficialTarget.official_id == official_id)
        .order_by(Cycle.year)
    )
    return [
        {"cycle": year, **fields(t, "target_credits", "months", "computed_at")} for t, year in rows
    ]


def obligations(official_id: int) -> list[dict]:
    """Every obligation, withdrawn ones included, by cycle and due date."""
    rows = _rows(
        select(Obligation, Cycle.year, Course.code, Course.title)
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .join(Course, Course.id == Obligation.course_id)
        .where(Obligation.official_id == official_id)
        .order_by(Cycle.year, Obligation.due_on, Obligation.id)
    )
    names = ("kind", "status", "due_on", "created_at", "withdrawn_at", "withdrawn_reason")
    return [
        {"cycle": year, "course_code": code, "course_title": title, **fields(o, *names)}
        for o, year, code, title in rows
    ]


def completions(official_id: int) -> list[dict]:
    """Every course completion, revoked ones included."""
    rows = _rows(
        select(Completion, Course.code, Course.title)
        .join(Course, Course.id == Completion.course_id)
        .where(Completion.official_id == official_id)
        .order_by(Completion.completed_on, Completion.id)
    )
    names = ("completed_on", "expires_on", "score", "source", "original_certificate_number")
    return [
        {
            "course_code": code,
            "course_title": title,
            **fields(c, *names, "certificate_state", "revoked_at", "revoked_reason"),
        }
        for c, code, title in rows
    ]


def ledger(official_id: int) -> list[dict]:
    """The credit ledger in its order, reversals included."""
    rows = _rows(
        select(LedgerEntry, Cycle.year)
        .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
        .where(LedgerEntry.official_id == official_id)
        .order_by(LedgerEntry.seq)
    )
    names = ("seq", "earned_on", "title", "credits", "periods", "source", "source_ref")
    return [
        {"cycle": year, **fields(e, *names, "reason", "created_at"), "reverses": e.reverses_id}
        for e, year in rows
    ]


def external_training(official_id: int) -> list[dict]:
    """External training submitted, with the evidence file's name (the file itself is kept by
    the unit and can be asked for)."""
    rows = db.session.scalars(
        select(ExternalRecord)
        .where(ExternalRecord.official_id == official_id)
        .order_by(ExternalRecord.submitted_at, ExternalRecord.id)
    )
    names = ("title", "organiser", "starts_on", "ends_on", "periods", "evidence_name")
    decision = ("status", "credits_granted", "decision_reason", "submitted_at", "decided_at")
    return [fields(r, *names, *decision) for r in rows]


def classes(official_id: int) -> list[dict]:
    """The in-person classes the official was on, with attendance and result."""
    rows = _rows(
        select(ClassMember, TrainingClass, Course.code)
        .join(TrainingClass, TrainingClass.id == ClassMember.class_id)
        .join(Course, Course.id == TrainingClass.course_id)
        .where(ClassMember.official_id == official_id)
        .order_by(TrainingClass.starts_on, TrainingClass.id)
    )
    return [
        {
            "course_code": code,
            **fields(klass, "title", "location", "starts_on", "ends_on", "sessions"),
            **fields(member, "sessions_attended", "score", "result", "recorded_at"),
        }
        for member, klass, code in rows
    ]
