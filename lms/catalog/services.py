"""Catalog services for authors: courses and lessons, their order, status changes. Each flushes
and raises ValidationFailed (field, message) or RuleViolation; course changes are audited.
Learners' enrolment and progress live in lms.catalog.enrolments, course trees in
lms.catalog.transfer."""

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import func, select

from lms.audit.services import diff, record
from lms.catalog import rules
from lms.catalog.bundles import CODE, MAX_SLUG, SLUG, clean_body, slugify
from lms.catalog.coursetoml import COURSE_FIELDS
from lms.catalog.models import (
    CERTIFICATES,
    CONTENT_AREAS,
    DELIVERIES,
    KINDS,
    PUBLISHED,
    Course,
    CoursePosition,
    Enrolment,
    Lesson,
    course_prerequisites,
)
from lms.common import clock, vntext
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import SORT_KEY_LENGTH


@dataclass(frozen=True)
class CourseData:
    """A course's own fields, as a form or a course.toml gives them."""

    code: str
    title: str
    credits: Decimal
    periods: int
    content_area: str
    kind: str
    delivery: str
    certificate: str
    title_en: str | None = None
    summary: str = ""
    validity_months: int | None = None
    repeatable: bool = False
    positions: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()


def assign(obj, **values) -> bool:
    """Set only the attributes whose value differs; whether anything changed (so an unchanged
    import writes no row)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def derive_keys(course: Course) -> None:
    """Rewrite the search and sort keys from the code and titles."""
    assign(
        course,
        search_text=vntext.search_key(f"{course.code} {course.title} {course.title_en or ''}"),
        # A long title's key outgrows the indexed column; its first 256 letters decide.
        sort_title=vntext.sort_string(course.title)[:SORT_KEY_LENGTH],
    )


def _text(value: str | None) -> str:
    """Normalised text without NUL characters (which no database text column accepts)."""
    return vntext.normalize((value or "").replace("\x00", "")) or ""


def _clean(data: CourseData) -> CourseData:
    return CourseData(
        code=(data.code or "").strip().upper(),
        title=_text(data.title),
        credits=Decimal(data.credits).quantize(Decimal("0.01"))
        if data.credits is not None
        else None,
        periods=data.periods,
        content_area=data.content_area,
        kind=data.kind,
        delivery=data.delivery,
        certificate=data.certificate,
        title_en=_text(data.title_en) or None,
        summary=_text(data.summary),
        validity_months=data.validity_months or None,
        repeatable=bool(data.repeatable),
        positions=tuple(dict.fromkeys(data.positions)),
        prerequisites=tuple(dict.fromkeys(c.strip().upper() for c in data.prerequisites)),
    )


def _check(data: CourseData, course_id: int | None) -> list[Course]:
    """Refuse bad input whole; returns the prerequisite courses."""
    reasons = []
    if not CODE.fullmatch(data.code):
        reasons.append(("code", _("Use capital letters, digits, - or _ (at most 32), e.g. BB01.")))
    elif course_id is None and db.session.scalar(select(Course.id).where(Course.code == data.code)):
        reasons.append(("code", _("Another course already has this code.")))
    if not data.title:
        reasons.append(("title", _("This field is required.")))
    if data.credits is None or not Decimal(0) <= data.credits <= Decimal("999.99"):
        reasons.append(("credits", _("Expected a number of credits from 0 to 999.99, e.g. 0.5.")))
    for name, choices in (
        ("content_area", CONTENT_AREAS),
        ("kind", KINDS),
        ("delivery", DELIVERIES),
        ("certificate", CERTIFICATES),
    ):
        if getattr(data, name) not in choices:
            reasons.append((name, _("Choose one of the options.")))
    prerequisites = list(
        db.session.scalars(select(Course).where(Course.code.in_(data.prerequisites)))
    )
    unknown = set(data.prerequisites) - {c.code for c in prerequisites}
    if unknown:
        reasons.append(
            ("prerequisites", _("Unknown course: %(codes)s.", codes=", ".join(sorted(unknown))))
        )
    if data.code in data.prerequisites:
        reasons.append(("prerequisites", _("A course cannot be its own prerequisite.")))
    elif not unknown:
        graph = prerequisite_graph()
        graph[data.code] = set(data.prerequisites)
        cycle = rules.find_cycle(graph)
        if cycle:
            reasons.append(
                (
                    "prerequisites",
                    _("Prerequisites go round in a circle: %(path)s.", path=" → ".join(cycle)),
                )
            )
    if reasons:
        raise ValidationFailed(reasons)
    return prerequisites


def prerequisite_graph() -> dict[str, set[str]]:
    """Every course code → the codes of its prerequisites (one query)."""
    required = Course.__table__.alias("required")
    rows = db.session.execute(
        select(Course.code, required.c.code)
        .join(course_prerequisites, course_prerequisites.c.course_id == Course.id)
        .join(required, required.c.id == course_prerequisites.c.prerequisite_id)
    )
    graph: dict[str, set[str]] = {}
    for code, prerequisite in rows:
        graph.setdefault(code, set()).add(prerequisite)
    return graph


def set_positions(course: Course, codes: tuple[str, ...]) -> bool:
    """Make the course mandatory for exactly these position codes (in this order)."""
    if course.position_codes == list(codes):
        return False
    existing = {p.position_code: p for p in course.positions}
    for code in set(existing) - set(codes):
        course.positions.remove(existing[code])
    for ordinal, code in enumerate(codes):
        row = existing.get(code)
        if row is None:
            course.positions.append(CoursePosition(position_code=code, ordinal=ordinal))
        else:
            row.ordinal = ordinal
    return True


def _values(course: Course) -> dict:
    values = {name: getattr(course, name) for name in COURSE_FIELDS}
    values["positions"] = course.position_codes
    values["prerequisites"] = [c.code for c in course.prerequisites]
    return values


def create_course(data: CourseData, owner_unit_id: int | None, actor) -> Course:
    """Add a draft course owned by a unit. Audited."""
    data = _clean(data)
    prerequisites = _check(data, None)
    course = Course(code=data.code, owner_unit_id=owner_unit_id, status="draft")
    assign(course, **{name: getattr(data, name) for name in COURSE_FIELDS})
    derive_keys(course)
    db.session.add(course)
    set_positions(course, data.positions)
    course.prerequisites = prerequisites
    db.session.flush()
    record(actor, "course.created", "course", course.code, after=_values(course))
    return course


def update_course(course: Course, data: CourseData, owner_unit_id: int | None, actor) -> Course:
    """Change a course's fields (never its code); the audit entry holds only what changed."""
    data = _clean(replace(data, code=course.code))
    prerequisites = _check(data, course.id)
    before = _values(course)
    assign(
        course, owner_unit_id=owner_unit_id, **{name: getattr(data, name) for name in COURSE_FIELDS}
    )
    derive_keys(course)
    set_positions(course, data.positions)
    if [c.code for c in course.prerequisites] != [c.code for c in prerequisites]:
        course.prerequisites = sorted(prerequisites, key=lambda c: c.code)
    db.session.flush()
    old, new = diff(before, _values(course))
    if new:
        record(actor, "course.updated", "course", course.code, before=old, after=new)
    return course


def set_status(course: Course, status: str, actor) -> Course:
    """Publish, archive or return a course to draft. Audited.

    Raises RuleViolation when the change is not allowed: publishing needs a lesson (unless the
    course is taught in person only); a course with learners is archived, not made a draft.
    """
    if not rules.can_move(course.status, status):
        raise RuleViolation(_("This status change is not allowed."), "status_change")
    if status == PUBLISHED and course.delivery != "in_person" and not course.active_lessons:
        raise RuleViolation(_("Add at least one lesson before publishing."), "no_lessons")
    if status == "draft" and db.session.scalar(
        select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course.id)
    ):
        raise RuleViolation(
            _("Officials are enrolled in this course: archive it instead."), "has_learners"
        )
    before = course.status
    course.status = status
    db.session.flush()
    record(
        actor,
        "course.status_changed",
        "course",
        course.code,
        {"status": before},
        {"status": status},
    )
    return course


def save_lesson(course: Course, lesson: Lesson | None, title: str, slug: str, body: str) -> Lesson:
    """Create (lesson=None) or edit a lesson. A new lesson goes last; its slug is made from the
    title when left empty. Re-using the slug of a removed lesson brings that lesson back (with
    its learners' progress)."""
    title = _text(title)
    slug = (slug or "").strip().lower() or _free_slug(course, slugify(title), lesson)
    reasons = []
    if not title:
        reasons.append(("title", _("This field is required.")))
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        reasons.append(("slug", _("Use lowercase letters, digits and hyphens, e.g. gioi-thieu.")))
    taken = next((other for other in course.lessons if other.slug == slug), None)
    # a removed lesson's name may bring it back, but not be given to another lesson
    if (
        taken is not None
        and taken is not lesson
        and (taken.retired_at is None or lesson is not None)
    ):
        reasons.append(("slug", _("Another lesson of this course has this name.")))
    if reasons:
        raise ValidationFailed(reasons)
    if lesson is None:
        last = max((other.position for other in course.active_lessons), default=0)
        lesson = taken or Lesson(course=course, slug=slug)
        lesson.retired_at, lesson.position = None, last + 1
    assign(lesson, title=title, slug=slug, body_markdown=clean_body(body))
    db.session.add(lesson)
    db.session.flush()
    return lesson


def _free_slug(course: Course, base: str, lesson: Lesson | None) -> str:
    """`base`, or `base-2`, `base-3`… when another lesson in the course uses it."""
    used = {other.slug for other in course.active_lessons if other is not lesson}
    slug, number = base, 1
    while slug in used:
        number += 1
        slug = f"{base[: MAX_SLUG - 1 - len(str(number))]}-{number}"
    return slug


def move_lesson(lesson: Lesson, direction: str) -> None:
    """Swap a lesson with the one before ("up") or after ("down") it; no-op at either end."""
    ordered = lesson.course.active_lessons
    for number, item in enumerate(ordered, start=1):  # positions 1…n, whatever they were
        item.position = number
    index = ordered.index(lesson)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index].position, ordered[other].position = other + 1, index + 1
    db.session.flush()


def retire_lesson(lesson: Lesson) -> None:
    """Remove a lesson from its course; the row stays for the progress learners recorded."""
    lesson.retired_at = clock.now()
    db.session.flush()
