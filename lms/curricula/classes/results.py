"""Results decided in bulk from the attendance rule (and, when asked, a minimum score): every
official holding a place whose result is not recorded yet passes or fails, through the one
results path (services.record_results: credits, certificate request, audit). Running it again
decides only who is still undecided, so it is idempotent."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from lms.curricula.classes import attendance, rules
from lms.curricula.classes import services as classes
from lms.curricula.classes.models import (
    ClassMember,
    ClassSession,
    MemberStatus,
    SessionAttendance,
    TrainingClass,
)
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _


@dataclass
class Decision:
    """What deciding did: counts from record_results, and the officials left undecided (no
    score when a minimum score was asked)."""

    counts: dict = field(default_factory=dict)
    passed: int = 0
    failed: int = 0
    undecided: list[str] = field(default_factory=list)


def attended_counts(klass: TrainingClass) -> dict[int, int]:
    """member id → sessions marked present or late (one query)."""
    rows = db.session.execute(
        select(SessionAttendance.member_id, func.count())
        .join(ClassSession, ClassSession.id == SessionAttendance.session_id)
        .where(
            ClassSession.class_id == klass.id,
            SessionAttendance.mark.in_(attendance.ATTENDED),
        )
        .group_by(SessionAttendance.member_id)
    )
    return dict(rows.all())


def decide_results(klass: TrainingClass, actor, min_score: Decimal | None = None) -> Decision:
    """Pass every undecided official whose attendance (from the session marks) meets the
    class's rule and, when `min_score` is given, whose score reaches it; fail the others. An
    official without a score when one is asked stays undecided. Refused (RuleViolation) before
    the last session has ended. Flushed; the caller commits."""
    sessions = klass.class_sessions
    if not sessions or attendance.local_now() < max(s.ends_at for s in sessions):
        raise RuleViolation(_("Results are decided once the last session has ended."), "not_over")
    total = len(sessions)
    attended = attended_counts(klass)
    decision = Decision()
    rows = []
    members = db.session.scalars(
        select(ClassMember).where(
            ClassMember.class_id == klass.id,
            ClassMember.status == MemberStatus.ENROLLED,
            ClassMember.result.is_(None),
        )
    )
    for member in members:
        count = attended.get(member.id, 0)
        if min_score is not None and member.score is None:
            decision.undecided.append(member.official.full_name)
            continue
        ok = rules.attendance_passes(count, total, klass.min_attendance_percent) and (
            min_score is None or member.score >= min_score
        )
        rows.append(
            classes.ResultInput(
                member.id, count, member.score, classes.PASSED if ok else classes.FAILED
            )
        )
        decision.passed += ok
        decision.failed += not ok
    klass.sessions = total
    decision.counts = classes.record_results(klass, rows, "", actor) if rows else {}
    return decision
