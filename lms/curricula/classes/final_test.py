"""The final test of an in-person class (issue 24): an online test of the assessments engine
that the class names (TrainingClass.final_quiz_id). Officials holding a place take it from
their class page, from the class's first day until their result is recorded; officials on the
waiting list do not. The class reads the attempts started from its first day and judges them
by the test's own rule, as the engine does for a course: the best graded attempt (highest
score) decides, passed or not by the test's pass mark; while an attempt is running or awaits a
grader and none has passed, the test is pending.

The engine is a later domain (lms.assessments), so the class reaches it through `ENGINE`, which
assessments fills when its blueprint registers (shared/STYLE.md's order: a lower domain that needs
a later one uses a registry the later one fills)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lms.common import clock
from lms.common.labels import Labelled
from lms.curricula.classes.models import ClassMember, MemberStatus, TrainingClass
from lms.errors import RuleViolation
from lms.i18n import _, _l

# The test engine's statuses of an attempt (lms.assessments.models.AttemptStatus values).
IN_PROGRESS, SUBMITTED, GRADED = "in_progress", "submitted", "graded"

# Filled by lms.assessments (blueprint registration):
# - "attempts": (quiz_id, official_id, since: datetime) → the official's attempts at the test
#   started since then, first first (each with .id, .status, .percent, .passed);
# - "start": (quiz, official_id) → the attempt started, or resumed, under the test's own rules;
# - "tests": () → the tests a class may take as its final test (those of published courses).
ENGINE: dict[str, Callable[..., Any]] = {}


class FinalTestState(Labelled):
    """Where an official stands on the class's final test."""

    PASSED = "passed", _l("Test passed")
    FAILED = "failed", _l("Test not passed")
    PENDING = "pending", _l("Attempt running or awaiting a grader")
    NOT_TAKEN = "not_taken", _l("Test not taken")


@dataclass(frozen=True)
class Standing:
    """An official's final test: its state and the attempt that decides it (the best graded
    one, if any)."""

    state: str
    attempt: Any = None


def counted_attempts(klass: TrainingClass, official_id: int) -> list:
    """The official's attempts at the class's final test started from the class's first day
    (Vietnamese time), first first."""
    if klass.final_quiz_id is None:
        return []
    since: datetime = clock.start_of_day(klass.starts_on)
    return list(ENGINE["attempts"](klass.final_quiz_id, official_id, since))


def standing(klass: TrainingClass, official_id: int) -> Standing:
    """The official's standing on the class's final test (see the module)."""
    found = counted_attempts(klass, official_id)
    graded = [a for a in found if a.status == GRADED and a.percent is not None]
    best = max(graded, key=lambda a: (a.percent, -a.id), default=None)
    if best is not None and best.passed:
        return Standing(FinalTestState.PASSED, best)
    if any(a.status in (IN_PROGRESS, SUBMITTED) for a in found):
        return Standing(FinalTestState.PENDING, best)
    if best is not None:
        return Standing(FinalTestState.FAILED, best)
    return Standing(FinalTestState.NOT_TAKEN)


def why_not_take(klass: TrainingClass, member: ClassMember | None) -> str | None:
    """Why the official of `member` cannot start the final test now (None: they can)."""
    if klass.final_quiz_id is None:
        return _("This class has no final test.")
    if member is None or member.status != MemberStatus.ENROLLED:
        return _("Only officials holding a place in the class take its final test.")
    if member.result is not None:
        return _("Your result in this class is recorded.")
    if clock.today() < klass.starts_on:
        return _(
            "The final test opens on the class's first day, %(day)s.",
            day=klass.starts_on.strftime("%d/%m/%Y"),
        )
    return None


def start(klass: TrainingClass, member: ClassMember | None):
    """Start (or resume) the official's attempt at the class's final test; RuleViolation when
    they may not (why_not_take, then the test's own rules: open, attempts left, delay)."""
    reason = why_not_take(klass, member)
    if reason:
        raise RuleViolation(reason, "final_test")
    return ENGINE["start"](klass.final_quiz, member.official_id)
