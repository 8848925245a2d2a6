"""An official's courses for "download all my data": enrolments and the lessons marked done
(two queries)."""

from collections import defaultdict

from sqlalchemy import select

from lms.catalog.models import Course, Enrolment, Lesson, LessonProgress
from lms.common.plain import fields, plain
from lms.extensions import db


def enrolments(official_id: int) -> list[dict]:
    """Each course the official is enrolled in, with the lessons done and when."""
    rows = db.session.execute(
        select(Enrolment, Course.code, Course.title)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.official_id == official_id)
        .order_by(Enrolment.enrolled_at, Enrolment.id)
    ).all()
    done = defaultdict(list)
    progress = db.session.execute(
        select(LessonProgress.enrolment_id, Lesson.title, LessonProgress.done_at)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Enrolment, Enrolment.id == LessonProgress.enrolment_id)
        .where(Enrolment.official_id == official_id)
        .order_by(LessonProgress.done_at, LessonProgress.id)
    )
    for enrolment_id, title, done_at in progress:
        done[enrolment_id].append({"lesson": title, "done_at": plain(done_at)})
    return [
        {
            "course_code": code,
            "course_title": title,
            **fields(enrolment, "source", "enrolled_at", "lessons_done_at"),
            "lessons_done": done[enrolment.id],
        }
        for enrolment, code, title in rows
    ]
