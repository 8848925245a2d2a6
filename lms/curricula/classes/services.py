"""In-person classes (lớp tập trung): a training manager creates a class of a course for a unit
in their scope and builds its roster (picked officials or a list of employee codes); its
attendance and results are recorded in lms.curricula.classes.results."""

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from lms.audit import services as audit
from lms.auth.models import ADMINISTRATOR, TRAINING_MANAGER
from lms.auth.permissions import has_role
from lms.catalog.models import Course
from lms.common import clock
from lms.common.tabular import Table, header_key, iter_chunks
from lms.curricula.classes import eligibility, enrolment, final_test, rules
from lms.curricula.classes.models import ClassMember, JoinMode, MemberStatus, TrainingClass
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit, Position
from lms.organisation.queries import registry_select, scope_condition

CODE_SEPARATORS = re.compile(r"[\s,;]+")
MAX_CODES = 5000


def can_run_classes(user) -> bool:
    """The in-person class screens: training managers (their units) and administrators."""
    return has_role(user, TRAINING_MANAGER, ADMINISTRATOR)


@dataclass(frozen=True)
class ClassData:
    """A class's own fields, as the form gives them."""

    course_id: int
    unit_id: int
    title: str
    starts_on: date
    ends_on: date
    sessions: int = 1
    min_attendance_percent: int = rules.DEFAULT_MIN_ATTENDANCE
    location: str = ""
    capacity: int | None = None
    join_mode: str = JoinMode.NOMINATED
    enrol_opens_on: date | None = None
    enrol_closes_on: date | None = None
    cancel_closes_on: date | None = None
    position_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    final_quiz_id: int | None = None


# What the .ics invitation shows: a change of one of these sends the members an update.
INVITATION_FIELDS = ("title", "location", "starts_on", "ends_on")
LISTS = ("position_ids", "unit_ids")


def _check(data: ClassData) -> None:
    reasons = []
    if data.ends_on < data.starts_on:
        reasons.append(("ends_on", _("The last day cannot be before the first day.")))
    if db.session.get(Course, data.course_id) is None:
        reasons.append(("course", _("Unknown course.")))
    if not 1 <= data.sessions <= 500:
        reasons.append(("sessions", _("Enter a number from %(min)s to %(max)s.", min=1, max=500)))
    if not 0 <= data.min_attendance_percent <= 100:
        reasons.append(
            (
                "min_attendance_percent",
                _("Enter a number from %(min)s to %(max)s.", min=0, max=100),
            )
        )
    if data.capacity is not None and not 1 <= data.capacity <= 10_000:
        reasons.append(
            ("capacity", _("Enter a number from %(min)s to %(max)s.", min=1, max=10_000))
        )
    if data.join_mode not in set(JoinMode):
        reasons.append(("join_mode", _("Choose who may join.")))
    if data.enrol_opens_on and data.enrol_closes_on and data.enrol_closes_on < data.enrol_opens_on:
        reasons.append(("enrol_closes_on", _("Sign-up cannot close before it opens.")))
    if data.final_quiz_id is not None and data.final_quiz_id not in final_test_ids():
        reasons.append(("final_test", _("Choose a test of a published course.")))
    if reasons:
        raise ValidationFailed(reasons)


def _values(klass: TrainingClass) -> dict:
    return {
        name: getattr(klass, name)
        for name in (
            "course_id",
            "unit_id",
            "title",
            "location",
            "starts_on",
            "ends_on",
            "sessions",
            "min_attendance_percent",
            "capacity",
            "join_mode",
            "enrol_opens_on",
            "enrol_closes_on",
            "cancel_closes_on",
            "final_quiz_id",
        )
    }


def save_class(klass: TrainingClass | None, data: ClassData, actor) -> TrainingClass:
    """Create (klass=None) or change a class; audited. Raises ValidationFailed on bad dates,
    an unknown course, or numbers out of range; the course cannot change once results exist."""
    _check(data)
    if klass is not None and data.course_id != klass.course_id and _has_results(klass):
        raise ValidationFailed([("course", _("Results are recorded: the course cannot change."))])
    if klass is not None:
        klass = enrolment.lock(klass)
        held = enrolment.enrolled_count(klass.id)
        if data.capacity is not None and data.capacity < held:
            raise ValidationFailed(
                [
                    (
                        "capacity",
                        _("%(n)d officials already hold a place: no fewer places.", n=held),
                    )
                ]
            )
    before = _values(klass) if klass is not None else {}
    if klass is None:
        klass = TrainingClass(created_by_id=getattr(actor, "id", None))
        db.session.add(klass)
    for name, value in data.__dict__.items():
        if name not in LISTS:
            setattr(klass, name, value.strip() if isinstance(value, str) else value)
    klass.positions = list(
        db.session.scalars(select(Position).where(Position.id.in_(data.position_ids)))
    )
    klass.units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(data.unit_ids))))
    db.session.flush()
    old, new = audit.diff(before, _values(klass))
    action = "class.updated" if before else "class.created"
    audit.record(actor, action, "training_class", klass.id, before=old or None, after=new)
    if before and any(before[name] != getattr(klass, name) for name in INVITATION_FIELDS):
        klass.schedule_version += 1
        enrolment.tell_update(klass)
    if before and (before["capacity"] or 0) != (klass.capacity or 0):
        enrolment.promote_waitlist(klass, actor)
    return klass


def final_tests() -> list:
    """The online tests a class may take as its final test: those of published courses, by
    course code (the test engine's, through final_test.ENGINE)."""
    return list(final_test.ENGINE["tests"]())


def final_test_ids() -> set[int]:
    return {quiz.id for quiz in final_tests()}


def _has_results(klass: TrainingClass) -> bool:
    return any(member.result for member in klass.members)


def classes_select(scope: list[str] | None):
    """Classes of the units in `scope` (SQL), newest first, with their course and unit."""
    stmt = (
        select(TrainingClass)
        .join(OrgUnit, OrgUnit.id == TrainingClass.unit_id)
        .order_by(TrainingClass.starts_on.desc(), TrainingClass.id.desc())
    )
    condition = scope_condition(OrgUnit.path, scope)
    return stmt if condition is None else stmt.where(condition)


def class_in_scope(class_id: int, scope: list[str] | None) -> TrainingClass | None:
    """The class if its unit lies in `scope`, else None."""
    return db.session.scalar(classes_select(scope).where(TrainingClass.id == class_id))


def member_counts(class_ids: list[int]) -> dict[int, tuple[int, int]]:
    """class id → (officials holding a place, results recorded), in one query."""
    if not class_ids:
        return {}
    rows = db.session.execute(
        select(
            ClassMember.class_id,
            func.count(),
            func.count(ClassMember.result),
        )
        .where(ClassMember.class_id.in_(class_ids), ClassMember.status == MemberStatus.ENROLLED)
        .group_by(ClassMember.class_id)
    )
    return {class_id: (size, recorded) for class_id, size, recorded in rows}


def roster(klass: TrainingClass, status: str = MemberStatus.ENROLLED) -> list[ClassMember]:
    """The class's members of `status` (default: those holding a place) with their officials,
    ordered the Vietnamese way (given name first); the waiting list in its queue's order."""
    order = (
        (ClassMember.queued_at, ClassMember.id)
        if status == MemberStatus.WAITLISTED
        else (Official.sort_name, Official.id)
    )
    return list(
        db.session.scalars(
            select(ClassMember)
            .join(Official, Official.id == ClassMember.official_id)
            .where(ClassMember.class_id == klass.id, ClassMember.status == status)
            .order_by(*order)
        )
    )


# --- roster --------------------------------------------------------------------------------


def parse_codes(text: str) -> list[tuple[int, str]]:
    """(line, CODE) for every code in pasted text: one or more a line, separated by spaces,
    commas or semicolons."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        found += [(number, code.upper()) for code in CODE_SEPARATORS.split(line) if code]
    return found


def codes_from_table(table: Table) -> list[tuple[int, str]]:
    """(line, CODE) from the first column of a sheet; its header is a code too unless it reads
    "Mã cán bộ" or "employee_code"."""
    codes = []
    first = table.header[0].strip() if table.header else ""
    if first and header_key(first) not in {"macanbo", "employeecode"}:
        codes.append((1, first.upper()))
    codes += [(line, cells[0].strip().upper()) for line, cells in table.rows if cells[0].strip()]
    return codes


@dataclass
class RosterReport:
    """What adding a list did: codes added, codes skipped (already listed), problems per line.
    When there is a problem nothing is added: fix the list and send it again."""

    added: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    # Set when the officials were added outside the sign-up period (the notice to show).
    outside_period: str | None = None


def add_members(
    klass: TrainingClass,
    entries: list[tuple[int, str]],
    scope: list[str] | None,
    actor,
    outside_period: bool = False,
) -> RosterReport:
    """Put the officials named by `entries` ((line, code)) on the roster, all or none.

    An unknown code, an official outside `scope` (their current unit), one the class is not
    open to (its positions and units, as for sign-up: the line says why) or one booked into
    an overlapping session is a problem and nothing is added; a code already on the roster or
    repeated in the list is skipped. Outside the class's sign-up period nothing is added
    unless `outside_period` says the actor means it (the report then carries the notice).
    """
    report = RosterReport()
    if len(entries) > MAX_CODES:
        report.problems.append((0, "", _("At most %(n)d codes at a time.", n=MAX_CODES)))
        return report
    notice = eligibility.outside_window(klass, clock.today())
    if notice and not outside_period:
        report.problems.append((0, "", eligibility.window_error(notice).message))
    codes = sorted({code for _line, code in entries})
    visible, known = {}, set()
    for chunk in iter_chunks(codes, 900):
        stmt = registry_select(scope).where(Official.employee_code.in_(chunk))
        visible.update({o.employee_code: o.id for o in db.session.scalars(stmt)})
        known.update(
            db.session.scalars(
                select(Official.employee_code).where(Official.employee_code.in_(chunk))
            )
        )
    listed = set(
        db.session.scalars(
            select(Official.employee_code)
            .join(ClassMember, ClassMember.official_id == Official.id)
            .where(ClassMember.class_id == klass.id, ClassMember.status != MemberStatus.CANCELLED)
        )
    )
    seen: dict[str, int] = {}
    to_add = []
    for line, code in entries:
        if code not in known:
            report.problems.append((line, code, _("Unknown employee code.")))
        elif code not in visible:
            report.problems.append((line, code, _("This official is outside your units.")))
        elif code in listed:
            report.skipped.append((line, code, _("Already on the roster.")))
        elif code in seen:
            report.skipped.append(
                (line, code, _("Repeated (first on line %(line)d).", line=seen[code]))
            )
        elif why := eligibility.why_ineligible(klass, visible[code]):
            report.problems.append((line, code, _("Cannot join this class: %(why)s", why=why)))
        elif enrolment.clashes(visible[code], klass):
            report.problems.append(
                (line, code, _("This official has another class at the same time."))
            )
        else:
            seen[code] = line
            to_add.append(code)
    if report.problems:
        return report
    klass = enrolment.lock(klass)
    places = enrolment.free_places(klass)
    cancelled = {m.official_id: m for m in klass.members if m.status == MemberStatus.CANCELLED}
    for code in to_add:
        member = cancelled.get(visible[code])
        if member is None:
            member = ClassMember(official_id=visible[code])
            klass.members.append(member)
        full = places is not None and places <= 0
        member.status = MemberStatus.WAITLISTED if full else MemberStatus.ENROLLED
        member.source, member.queued_at, member.cancelled_at = "hr", clock.now(), None
        member.added_by_id = getattr(actor, "id", None)
        if full:
            report.waitlisted.append(code)
        elif places is not None:
            places -= 1
    db.session.flush()
    for member in klass.members:
        if member.official.employee_code in to_add:
            enrolment.tell(
                member,
                "class_enrolled" if member.status == MemberStatus.ENROLLED else "class_waitlisted",
            )
    report.added = to_add
    report.outside_period = notice
    if to_add:
        after = {"codes": to_add, **({"outside_period": True} if notice else {})}
        audit.record(actor, "class.roster_added", "training_class", klass.id, after=after)
    return report


def remove_member(member: ClassMember, actor) -> None:
    """Take an official off the roster; refused once a pass was recorded for them (withdraw
    the result first, so the credits are reversed with a reason)."""
    if member.completion_id is not None:
        raise RuleViolation(
            _("A pass was recorded for this official: they stay on the roster."), "has_completion"
        )
    code = member.official.employee_code
    klass = enrolment.lock(member.training_class)
    held = member.status == MemberStatus.ENROLLED
    db.session.delete(member)
    db.session.flush()
    audit.record(actor, "class.roster_removed", "training_class", klass.id, after={"code": code})
    if held:
        enrolment.promote_waitlist(klass, actor)
