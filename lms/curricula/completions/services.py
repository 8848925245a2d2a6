"""Course completions: the one service every credit source calls when an official completes a
course (online test passed, in-person class passed, historical record imported). It writes the
completion, the ledger credit and the certificate request together, in the caller's
transaction, and is idempotent on (source, source_ref)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from blinker import Namespace
from sqlalchemy import select

from lms.audit import services as audit
from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.completions.models import CERT_NONE, CERT_REQUESTED, Completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations import engine
from lms.curricula.obligations.models import DONE, MANDATORY, OPEN, Obligation
from lms.curricula.rules.credits import earns_credits
from lms.curricula.rules.dates import add_months
from lms.curricula.rules.planning import satisfies
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _

# Sent (with the Completion as sender) when record_completion has written a new completion, in
# the caller's transaction: later domains react (lms.programmes detects completed programmes).
course_completed = Namespace().signal("course-completed")


@dataclass(frozen=True)
class CompletionData:
    """A completion as a credit source reports it.

    `credits` None means the course's credits; `original_certificate_number` (historical
    records) keeps the paper certificate's number, and no new certificate is requested.
    """

    official_id: int
    course_id: int
    completed_on: date
    source: str
    source_ref: str
    score: Decimal | None = None
    credits: Decimal | None = None
    original_certificate_number: str | None = None


@dataclass(frozen=True)
class Recorded:
    completion: Completion
    created: bool  # False: the same (source, source_ref) was recorded before; nothing changed
    credited: Decimal  # credits written to the ledger now (0: already earned, rules.earns_credits)


def expiry(course: Course, completed_on: date) -> date | None:
    """When a completion of `course` stops being valid (None: the course never expires)."""
    if not course.validity_months:
        return None
    return add_months(completed_on, course.validity_months)


def record_completion(data: CompletionData, actor=None, override: str | None = None) -> Recorded:
    """Record that an official completed a course (flushed, not committed).

    Writes the Completion; credits the ledger when `rules.earns_credits` says so (DESIGN.md §3:
    a course earns its credits once, a repeatable one once in each cycle; the one rule of
    every source that records a course); marks the official's open
    obligations for the course as done; requests a certificate when the course issues one and
    no original number is given, and queues its issue (`request_certificate`). Calling it
    again with the same source and source_ref returns the first completion and writes nothing.

    Raises RuleViolation when the course does not exist or the date is in the future, and
    "own_record" when the actor would record their own completion (a source other than an
    online test; an administrator's `override` reason passes, audited).
    """
    ledger.refuse_own(actor, data.official_id, data.source, override)
    ledger.lock_official(data.official_id)  # concurrent sources take turns (no double credit)
    existing = db.session.scalar(
        select(Completion).where(
            Completion.source == data.source, Completion.source_ref == data.source_ref
        )
    )
    if existing is not None:
        return Recorded(existing, False, Decimal(0))
    course = db.session.get(Course, data.course_id)
    if course is None:
        raise RuleViolation(_("Unknown course."), "unknown_course")
    wants_certificate = course.certificate != "none" and not data.original_certificate_number
    completion = Completion(
        official_id=data.official_id,
        course_id=course.id,
        completed_on=data.completed_on,
        expires_on=expiry(course, data.completed_on),
        score=data.score,
        source=data.source,
        source_ref=data.source_ref,
        original_certificate_number=data.original_certificate_number,
        certificate_state=CERT_REQUESTED if wants_certificate else CERT_NONE,
        actor_id=getattr(actor, "id", None),
    )
    db.session.add(completion)
    db.session.flush()
    credits = course.credits if data.credits is None else Decimal(data.credits)
    credited = Decimal(0)
    if credits > 0 and earns_credits(
        course.repeatable,
        data.completed_on,
        ledger.credited_cycles(data.official_id, course.id),
    ):
        ledger.append(
            ledger.NewEntry(
                official_id=data.official_id,
                earned_on=data.completed_on,
                credits=credits,
                source=data.source,
                title=course.title,
                course_id=course.id,
                periods=course.periods,
                source_ref=data.source_ref,
                completion_id=completion.id,
            ),
            actor,
            override,
        )
        credited = credits
    else:  # no ledger entry: the override is audited here (append audits its own)
        ledger.audit_override(actor, data.official_id, override, completion_id=completion.id)
    satisfy_obligations(completion)
    if wants_certificate:
        request_certificate(completion)
    course_completed.send(completion)
    return Recorded(completion, True, credited)


def request_certificate(completion: Completion) -> None:
    """Queue the issue of the completion's certificate (job `certificates.issue`, key
    "certificates.issue:<completion id>"): it runs after the caller's commit, on a worker (at
    once in the same process under the immediate queue), and issues at most once."""
    from lms.jobs import enqueue

    enqueue(
        "certificates.issue",
        key=f"certificates.issue:{completion.id}",
        completion_id=completion.id,
    )


def satisfy_obligations(completion: Completion) -> int:
    """Mark the official's open obligations for the completion's course done, in cycles that
    had not ended when it was completed (a 2026 completion does not close a 2025 obligation
    after the fact); returns how many.

    A mandatory obligation is met by the rules' one validity rule (rules.satisfies, as
    obligations.refresh will plan it): the completion is valid on the day the requirement is
    judged from — a certificate expiring later in the cycle still meets it, and its renewal is
    a recertification. A recertification is met by a completion still valid on its due date
    (the expiry of the certificate it renews)."""
    rows = db.session.execute(
        select(Obligation, Cycle)
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(
            Obligation.official_id == completion.official_id,
            Obligation.course_id == completion.course_id,
            Obligation.status == OPEN,
            Cycle.ends_on >= completion.completed_on,
        )
    ).all()
    count = 0
    for obligation, cycle in rows:
        valid = satisfies(completion.expires_on, obligation.due_on)
        if not valid and obligation.kind == MANDATORY:
            # Judged from the requirement's start (never after its due date): only a completion
            # expiring before the due date needs the posts looked up.
            start = engine.requirement_start(completion.official_id, cycle, obligation.course_id)
            valid = satisfies(completion.expires_on, start)
        if valid:
            obligation.status = DONE
            obligation.completion_id = completion.id
            count += 1
    db.session.flush()
    return count


def revoke_completion(completion: Completion, reason: str, actor) -> list[LedgerEntry]:
    """Withdraw a completion recorded in error (flushed, not committed): it is marked revoked
    with the reason, each ledger credit it wrote is reversed, the obligations it satisfied are
    open again, and a certificate not issued yet is no longer requested. Returns the reversals.

    Raises RuleViolation when the reason is empty or the completion was already revoked.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Revoking a completion needs a reason."), "reason_required")
    if completion.revoked_at is not None:
        raise RuleViolation(_("This completion was already revoked."), "already_revoked")
    ledger.lock_official(completion.official_id)
    completion.revoked_at = clock.now()
    completion.revoked_reason = reason[:255]
    if completion.certificate_state == CERT_REQUESTED:
        completion.certificate_state = CERT_NONE
    reversed_ids = select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.is_not(None))
    credits = db.session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.completion_id == completion.id,
            LedgerEntry.reverses_id.is_(None),
            LedgerEntry.id.not_in(reversed_ids),
        )
    ).all()
    reversals = [ledger.reverse(entry, reason, actor) for entry in credits]
    for obligation in db.session.scalars(
        select(Obligation).where(
            Obligation.completion_id == completion.id, Obligation.status == DONE
        )
    ):
        obligation.status = OPEN
        obligation.completion_id = None
    audit.record(
        actor,
        "completion.revoked",
        "completion",
        completion.id,
        after={"reason": completion.revoked_reason, "reversed": [e.id for e in reversals]},
    )
    db.session.flush()
    return reversals


def pending_certificates(limit: int = 500) -> list[Completion]:
    """Completions waiting for their certificate, oldest first (the certificates module issues
    them and sets `certificate_state` to issued)."""
    return list(
        db.session.scalars(
            select(Completion)
            .where(Completion.certificate_state == CERT_REQUESTED, Completion.revoked_at.is_(None))
            .order_by(Completion.id)
            .limit(limit)
        )
    )
