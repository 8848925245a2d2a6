"""Writing the training needs and the annual plan: add and remove a unit's need lines, submit
them, return them (the Department), consolidate the submitted needs into the plan, set the
classes planned, approve and reopen the plan. Each takes plain values and `actor=`, flushes
(never commits) and is audited; a rule broken raises RuleViolation or ValidationFailed with the
words the page shows."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from lms.audit.services import record as audit
from lms.catalog.models import PUBLISHED, ContentArea, Course
from lms.common import clock
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import OrgUnit, Position
from lms.teams.planning import rules
from lms.teams.planning.models import (
    NeedLine,
    NeedState,
    NeedSubmission,
    PlanClasses,
    PlanLine,
    PlanState,
    TrainingPlan,
)


@dataclass(frozen=True)
class NeedData:
    """What a unit enters for one need: a course code, or a content area with no course."""

    course_code: str
    content_area: str
    count: int | None
    quarter: int | None
    positions: str = ""
    note: str = ""


def submission_of(unit: OrgUnit, year: int) -> NeedSubmission | None:
    return db.session.scalar(
        select(NeedSubmission).where(NeedSubmission.unit_id == unit.id, NeedSubmission.year == year)
    )


def plan_of(year: int) -> TrainingPlan | None:
    return db.session.scalar(select(TrainingPlan).where(TrainingPlan.year == year))


def _name(unit: OrgUnit, year: int) -> str:
    return f"{unit.code}/{year}"


def _check(data: NeedData) -> tuple[Course | None, str, list[str]]:
    """The course, the area and the position codes of a need, or ValidationFailed."""
    reasons = []
    course = None
    code = (data.course_code or "").strip().upper()
    area = (data.content_area or "").strip().upper()
    if code:
        course = db.session.scalar(select(Course).where(Course.code == code))
        if course is None or course.status != PUBLISHED:
            reasons.append(("course", _("No published course has the code %(code)s.", code=code)))
    elif area not in set(ContentArea):
        reasons.append(("course", _("Choose a course, or a content area when no course fits.")))
    if data.count is None or not 1 <= data.count <= rules.MAX_COUNT:
        reasons.append(("count", _("Give the number of officials (1 to 100,000).")))
    if data.quarter not in rules.QUARTERS:
        reasons.append(("quarter", _("Choose the quarter (1 to 4).")))
    positions = sorted({p.strip().upper() for p in data.positions.replace(";", ",").split(",")})
    positions = [p for p in positions if p]
    if positions:
        known = set(db.session.scalars(select(Position.code).where(Position.code.in_(positions))))
        unknown = [p for p in positions if p not in known]
        if unknown:
            message = _("Unknown job position: %(codes)s.", codes=", ".join(unknown[:10]))
            reasons.append(("positions", message))
        elif len(",".join(positions)) > 255:
            reasons.append(("positions", _("Too many job positions in one need.")))
    if reasons:
        raise ValidationFailed(reasons)
    return course, ("" if course else area), positions


def _draft_submission(unit: OrgUnit, year: int) -> NeedSubmission:
    submission = submission_of(unit, year)
    if submission is None:
        submission = NeedSubmission(unit_id=unit.id, year=year, state=NeedState.DRAFT)
        db.session.add(submission)
        db.session.flush()
    if submission.state != NeedState.DRAFT:
        raise RuleViolation(
            _(
                "The needs of %(unit)s for %(year)s are submitted: ask the Department to "
                "return them first.",
                unit=unit.name,
                year=year,
            ),
            "needs_submitted",
        )
    return submission


def add_need(unit: OrgUnit, year: int, data: NeedData, actor) -> NeedLine:
    """Add a need line to the unit's draft needs of `year`."""
    course, area, positions = _check(data)
    submission = _draft_submission(unit, year)
    line = NeedLine(
        submission_id=submission.id,
        course_id=course.id if course else None,
        content_area=area,
        count=data.count,
        quarter=data.quarter,
        positions=",".join(positions),
        note=(data.note or "").strip()[:500],
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(line)
    db.session.flush()
    audit(
        actor,
        "needs.changed",
        "training_needs",
        _name(unit, year),
        after={
            "added": course.code if course else area,
            "count": data.count,
            "quarter": data.quarter,
            "positions": line.positions,
        },
    )
    return line


def remove_need(line: NeedLine, actor) -> None:
    """Remove a line of draft needs."""
    submission = line.submission
    unit = submission.unit
    _draft_submission(unit, submission.year)
    what = line.course.code if line.course else line.content_area
    before = {"removed": what, "count": line.count, "quarter": line.quarter}
    db.session.delete(line)
    db.session.flush()
    audit(actor, "needs.changed", "training_needs", _name(unit, submission.year), before=before)


def submit_needs(unit: OrgUnit, year: int, actor) -> NeedSubmission:
    """Submit the unit's needs of `year` to the Department (a draft with at least one line)."""
    submission = _draft_submission(unit, year)
    if not submission.lines:
        raise RuleViolation(_("Add at least one need before submitting."), "needs_empty")
    submission.state = NeedState.SUBMITTED
    submission.submitted_at = clock.now()
    submission.submitted_by_id = getattr(actor, "id", None)
    db.session.flush()
    total = sum(line.count for line in submission.lines)
    audit(
        actor,
        "needs.submitted",
        "training_needs",
        _name(unit, year),
        after={"lines": len(submission.lines), "officials": total},
    )
    return submission


def return_needs(submission: NeedSubmission, reason: str, actor) -> None:
    """The Department returns submitted needs to their unit (a draft again), with a reason;
    refused once the year's plan is approved."""
    plan = plan_of(submission.year)
    if plan is not None and plan.state == PlanState.APPROVED:
        raise RuleViolation(
            _("The plan of this year is approved: reopen it first."), "plan_approved"
        )
    if submission.state != NeedState.SUBMITTED:
        raise RuleViolation(_("These needs are not submitted."), "needs_not_submitted")
    submission.state = NeedState.DRAFT
    db.session.flush()
    audit(
        actor,
        "needs.returned",
        "training_needs",
        _name(submission.unit, submission.year),
        after={"reason": (reason or "").strip()[:500]},
    )


def _draft_plan(year: int) -> TrainingPlan:
    plan = plan_of(year)
    if plan is None:
        plan = TrainingPlan(year=year, state=PlanState.DRAFT)
        db.session.add(plan)
        db.session.flush()
    if plan.state != PlanState.DRAFT:
        raise RuleViolation(_("The plan of %(year)s is approved.", year=year), "plan_approved")
    return plan


def consolidate(year: int, actor) -> TrainingPlan:
    """(Re)build the plan's lines from every submitted need of `year`; the classes planned
    that the Department set are kept, new course–quarter pairs get the proposed number."""
    plan = _draft_plan(year)
    needs = [
        rules.Need(unit_id, course_id, area, quarter, count)
        for unit_id, course_id, area, quarter, count in db.session.execute(
            select(
                NeedSubmission.unit_id,
                NeedLine.course_id,
                NeedLine.content_area,
                NeedLine.quarter,
                NeedLine.count,
            )
            .join(NeedLine, NeedLine.submission_id == NeedSubmission.id)
            .where(NeedSubmission.year == year, NeedSubmission.state == NeedState.SUBMITTED)
        )
    ]
    db.session.execute(delete(PlanLine).where(PlanLine.plan_id == plan.id))
    lines = rules.consolidate(needs)
    for (unit_id, course_id, area, quarter), count in sorted(
        lines.items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2], item[0][3])
    ):
        db.session.add(
            PlanLine(
                plan_id=plan.id,
                unit_id=unit_id,
                course_id=course_id,
                content_area=area,
                quarter=quarter,
                count=count,
            )
        )
    per_course: dict[tuple[int, int], int] = {}
    for (_unit, course_id, _area, quarter), count in lines.items():
        if course_id is not None:
            per_course[(course_id, quarter)] = per_course.get((course_id, quarter), 0) + count
    kept = {(c.course_id, c.quarter): c for c in plan.classes}
    size = current_app.config.get("LMS_PLAN_CLASS_SIZE", 40)
    for key, row in kept.items():
        if key not in per_course:
            db.session.delete(row)
    for (course_id, quarter), count in per_course.items():
        if (course_id, quarter) not in kept:
            db.session.add(
                PlanClasses(
                    plan_id=plan.id,
                    course_id=course_id,
                    quarter=quarter,
                    classes=rules.classes_for(count, size),
                )
            )
    plan.consolidated_at = clock.now()
    db.session.flush()
    audit(
        actor,
        "plan.consolidated",
        "training_plan",
        year,
        after={"lines": len(lines), "officials": sum(lines.values())},
    )
    return plan


def set_classes(year: int, course_id: int, quarter: int, classes: int, actor) -> None:
    """Set how many classes the draft plan holds for a course in a quarter (0–1,000)."""
    plan = _draft_plan(year)
    row = db.session.scalar(
        select(PlanClasses).where(
            PlanClasses.plan_id == plan.id,
            PlanClasses.course_id == course_id,
            PlanClasses.quarter == quarter,
        )
    )
    if row is None:
        raise RuleViolation(_("The plan has no such course in that quarter."), "no_plan_line")
    if not 0 <= classes <= 1000:
        raise ValidationFailed([("classes", _("Give a number of classes from 0 to 1,000."))])
    before = row.classes
    row.classes = classes
    db.session.flush()
    audit(
        actor,
        "plan.classes_set",
        "training_plan",
        year,
        before={"course_id": course_id, "quarter": quarter, "classes": before},
        after={"course_id": course_id, "quarter": quarter, "classes": classes},
    )


def approve(year: int, decision_no: str, actor) -> TrainingPlan:
    """Approve the consolidated plan (with the number of the approving decision)."""
    plan = _draft_plan(year)
    if not plan.lines:
        raise RuleViolation(_("Consolidate the units' needs before approving."), "plan_empty")
    plan.state = PlanState.APPROVED
    plan.approved_at = clock.now()
    plan.approved_by_id = getattr(actor, "id", None)
    plan.decision_no = (decision_no or "").strip()[:64]
    db.session.flush()
    audit(actor, "plan.approved", "training_plan", year, after={"decision_no": plan.decision_no})
    return plan


def reopen(year: int, reason: str, actor) -> TrainingPlan:
    """Reopen an approved plan (a draft again), with a reason."""
    plan = plan_of(year)
    if plan is None or plan.state != PlanState.APPROVED:
        raise RuleViolation(
            _("The plan of %(year)s is not approved.", year=year), "plan_not_approved"
        )
    plan.state = PlanState.DRAFT
    db.session.flush()
    audit(actor, "plan.reopened", "training_plan", year, after={"reason": (reason or "")[:500]})
    return plan
