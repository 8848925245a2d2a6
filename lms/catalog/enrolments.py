"""Enrolment and lesson progress: self-enrolment in electives, "done" marks, the first
completion of every lesson. Services flush and raise RuleViolation; the route commits."""

from blinker import Namespace
from sqlalchemy import select

from lms.catalog.models import ELECTIVE, PUBLISHED, Course, Enrolment, Lesson, LessonProgress
from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _

# Sent (sender: the Enrolment, keyword actor_id) in the service's transaction when an official
# finishes every lesson of a course, so later domains (a test passed before the lessons were
# done completes the course) act on it without catalog importing them.
lessons_finished = Namespace().signal("lessons-finished")


def self_enrol(official_id: int, course: Course) -> Enrolment:
    """Enrol an official in a published elective.

    Raises RuleViolation when the course is not a published elective or they are enrolled.
    """
    if course.status != PUBLISHED or course.kind != ELECTIVE:
        raise RuleViolation(_("Only published electives are open for enrolment."), "not_elective")
    if _enrolment(official_id, course.id) is not None:
        raise RuleViolation(_("You are already enrolled in this course."), "already_enrolled")
    enrolment = Enrolment(official_id=official_id, course_id=course.id, source="self")
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def enrol(official_id: int, course: Course, source: str) -> Enrolment:
    """Enrol an official in a course on someone's decision (`source`, e.g. "nominated" by
    their head); the enrolment they already have is kept. Flushed."""
    found = _enrolment(official_id, course.id)
    if found is not None:
        return found
    enrolment = Enrolment(official_id=official_id, course_id=course.id, source=source)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def _enrolment(official_id: int, course_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.official_id == official_id, Enrolment.course_id == course_id
        )
    )


def mark_done(official_id: int, lesson: Lesson, mandatory: bool) -> Enrolment:
    """Record a lesson as done (again: no change). An official for whom the course is mandatory
    is enrolled on their first lesson; when every lesson is done, `lessons_done_at` is set.

    Raises RuleViolation when the course is not published, the lesson is removed, or the
    official is neither enrolled nor required to take the course.
    """
    course = lesson.course
    if course.status != PUBLISHED or lesson.retired_at is not None:
        raise RuleViolation(_("This lesson is not open for study."), "not_open")
    enrolment = _enrolment(official_id, course.id)
    if enrolment is None:
        if not mandatory:
            raise RuleViolation(_("Enrol in the course first."), "not_enrolled")
        enrolment = Enrolment(official_id=official_id, course_id=course.id, source="position")
        db.session.add(enrolment)
        db.session.flush()
    done = set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment.id)
        )
    )
    if lesson.id not in done:
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id))
        done.add(lesson.id)
    if enrolment.lessons_done_at is None and {item.id for item in course.active_lessons} <= done:
        enrolment.lessons_done_at = clock.now()
        db.session.flush()
        lessons_finished.send(enrolment)
    db.session.flush()
    return enrolment
