"""Results of an in-person class: recording attendance, scores and results of roster lines
(`record_results`, the one results path: a pass writes the completion through
`record_completion` — credits and the certificate request —, a pass withdrawn later revokes
it; audited), and deciding them in bulk from the attendance rule (and, when asked, a minimum
score, or the class's final test): every official holding a place whose result is not
recorded yet passes or fails.
Running the decision again decides only who is still undecided, so it is idempotent."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select

from lms.audit import services as audit
from lms.common import clock
from lms.curricula.classes import attendance, final_test, rules
from lms.curricula.classes.final_test import FinalTestState
from lms.curricula.classes.models import (
    ClassMember,
    ClassSession,
    MemberStatus,
    SessionAttendance,
    TrainingClass,
)
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion, revoke_completion
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import IN_PERSON
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _

PASSED, FAILED, ABSENT = "passed", "failed", "absent"
RESULTS = (PASSED, FAILED, ABSENT)


@dataclass(frozen=True)
class ResultInput:
    """One roster line of the results page."""

    member_id: int
    sessions_attended: int | None
    score: Decimal | None
    result: str | None


def attendance_ok(klass: TrainingClass, sessions_attended: int | None) -> bool:
    """Whether attendance reaches the class's minimum percentage."""
    if sessions_attended is None:
        return False
    return sessions_attended * 100 >= klass.min_attendance_percent * klass.sessions


def _problems(klass, member, row: ResultInput, today: date) -> list[str]:
    name = member.official.full_name
    problems = []
    if row.result is not None and row.result not in RESULTS:
        problems.append(_("%(name)s: unknown result.", name=name))
    if row.sessions_attended is not None and not 0 <= row.sessions_attended <= klass.sessions:
        problems.append(
            _(
                "%(name)s: sessions attended must be from 0 to %(max)d.",
                name=name,
                max=klass.sessions,
            )
        )
    elif row.result == PASSED and not attendance_ok(klass, row.sessions_attended):
        problems.append(
            _(
                "%(name)s: a pass needs at least %(percent)d%% attendance "
                "(%(needed)d of %(sessions)d sessions).",
                name=name,
                percent=klass.min_attendance_percent,
                needed=-(-klass.min_attendance_percent * klass.sessions // 100),
                sessions=klass.sessions,
            )
        )
    if row.result == ABSENT and row.sessions_attended:
        problems.append(_("%(name)s: absent, yet sessions attended are recorded.", name=name))
    if row.result and today < klass.starts_on:
        problems.append(_("%(name)s: the class has not started yet.", name=name))
    return problems


def _next_ref(member: ClassMember) -> str:
    """member:<id> for the first pass; member:<id>:<n> after a withdrawn one (a completion's
    (source, source_ref) is never reused)."""
    base = f"member:{member.id}"
    earlier = db.session.scalar(
        select(func.count())
        .select_from(Completion)
        .where(
            Completion.source == IN_PERSON,
            or_(Completion.source_ref == base, Completion.source_ref.startswith(base + ":")),
        )
    )
    return base if not earlier else f"{base}:{earlier + 1}"


def record_results(
    klass: TrainingClass, rows: list[ResultInput], reason: str, actor
) -> dict[str, int]:
    """Save attendance, scores and results of the roster lines given (flushed; all or none).

    A new pass records the completion (credits, certificate request) dated the class's last
    day (today if the class is still running); a pass changed to anything else revokes that
    completion, which needs `reason`. Raises ValidationFailed with one message per problem
    (attendance below the minimum, sessions out of range, a class not started, a member of
    another class, a missing reason, the actor's own result: separation of duties). Returns
    counts: changed, passed, withdrawn.
    """
    today = clock.today()
    members = {m.id: m for m in klass.members if m.status == MemberStatus.ENROLLED}
    problems, withdrawn = [], []
    for row in rows:
        member = members.get(row.member_id)
        if member is None:
            problems.append((None, _("A line of the form is not on this roster.")))
            continue
        problems += [(None, message) for message in _problems(klass, member, row, today)]
        changed = (row.sessions_attended, row.score, row.result) != (
            member.sessions_attended,
            member.score,
            member.result,
        )
        if changed and ledger.is_own_record(actor, member.official_id):
            problems.append(
                (
                    None,
                    _(
                        "%(name)s: this is your own result; another training manager records it.",
                        name=member.official.full_name,
                    ),
                )
            )
        if member.result == PASSED and row.result != PASSED and member.completion_id:
            withdrawn.append(member)
    reason = (reason or "").strip()
    if withdrawn and not reason:
        names = ", ".join(m.official.full_name for m in withdrawn)
        problems.append(
            ("reason", _("Give the reason for withdrawing the pass of %(names)s.", names=names))
        )
    if problems:
        raise ValidationFailed(problems)
    counts = {"changed": 0, "passed": 0, "withdrawn": 0}
    completed_on = min(klass.ends_on, today)
    for row in rows:
        member = members[row.member_id]
        before = _result(member)
        after = {
            "sessions_attended": row.sessions_attended,
            "score": row.score,
            "result": row.result,
        }
        if {k: before[k] for k in after} == after:
            continue
        was_passed = member.result == PASSED
        member.sessions_attended, member.score, member.result = (
            row.sessions_attended,
            row.score,
            row.result,
        )
        member.recorded_at = clock.now()
        if was_passed and row.result != PASSED and member.completion_id:
            completion = db.session.get(Completion, member.completion_id)
            if completion.revoked_at is None:
                revoke_completion(completion, reason, actor)
            counts["withdrawn"] += 1
        elif row.result == PASSED and not was_passed:
            recorded = record_completion(
                CompletionData(
                    official_id=member.official_id,
                    course_id=klass.course_id,
                    completed_on=completed_on,
                    source=IN_PERSON,
                    source_ref=_next_ref(member),
                    score=row.score,
                ),
                actor,
            )
            member.completion_id = recorded.completion.id
            counts["passed"] += 1
        counts["changed"] += 1
        old, new = audit.diff(before, _result(member))
        audit.record(
            actor,
            "class.result_recorded",
            "class_member",
            member.id,
            before=old,
            after={**new, "class_id": klass.id, "official": member.official.employee_code},
        )
    db.session.flush()
    return counts


def _result(member: ClassMember) -> dict:
    return {
        "sessions_attended": member.sessions_attended,
        "score": member.score,
        "result": member.result,
    }


@dataclass
class Decision:
    """What deciding did: counts from record_results, and the officials left undecided (no
    score when a minimum score was asked)."""

    counts: dict = field(default_factory=dict)
    passed: int = 0
    failed: int = 0
    undecided: list[str] = field(default_factory=list)
    # Attendance met but the final test not passed yet (not taken, running, awaiting a grader).
    waiting_test: list[str] = field(default_factory=list)


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
    class's rule and, when the class has a final test, who passed it (final_test.standing: the
    best graded attempt, by the test's own pass mark; its score is recorded) — or, without a
    final test and when `min_score` is given, whose score reaches it; fail the others. Left
    undecided: an official without a score when one is asked, and one whose attendance is met
    but whose final test is not taken, running or awaiting a grader. Refused (RuleViolation)
    before the last session has ended. Passes go through record_results (credits, the
    certificate request); decided results stay, so running it again changes nothing. Flushed;
    the caller commits."""
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
        present = rules.attendance_passes(count, total, klass.min_attendance_percent)
        score = member.score
        if klass.final_quiz_id is not None:
            test = final_test.standing(klass, member.official_id)
            if present and test.state in (FinalTestState.PENDING, FinalTestState.NOT_TAKEN):
                decision.waiting_test.append(member.official.full_name)
                continue
            ok = present and test.state == FinalTestState.PASSED
            score = test.attempt.percent if test.attempt is not None else score
        elif min_score is not None and member.score is None:
            decision.undecided.append(member.official.full_name)
            continue
        else:
            ok = present and (min_score is None or member.score >= min_score)
        rows.append(ResultInput(member.id, count, score, PASSED if ok else FAILED))
        decision.passed += ok
        decision.failed += not ok
    klass.sessions = total
    decision.counts = record_results(klass, rows, "", actor) if rows else {}
    return decision
