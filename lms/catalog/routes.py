"""The learner's side: the catalog at /courses/, a course page, the lesson player with "done"
tracking and resume, self-enrolment in electives, and the course's images and attachments."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.catalog import assetstore, enrolments, queries, rules
from lms.catalog.blueprint import bp
from lms.catalog.models import Course, Lesson
from lms.catalog.permissions import (
    can_author,
    can_edit_course,
    can_read_lessons,
    can_self_enrol,
    can_track_progress,
    can_view_course,
)
from lms.catalog.rendering import render_markdown
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.web import page_number
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _

PAGE_SIZE = 20


def _positions() -> set[str]:
    return queries.held_position_codes(current_user.official_id, clock.today())


def _load(code: str) -> tuple[Course, queries.LearnerState]:
    """The course and the viewer's standing in it; 404 when the viewer may not see it."""
    course = queries.course_by_code(code) or abort(404)
    state = queries.learner_state(current_user.official_id, course, _positions())
    if not can_view_course(current_user, course, state.enrolment):
        abort(404)
    return course, state


def _lesson(course: Course, slug: str) -> Lesson:
    lesson = next((item for item in course.active_lessons if item.slug == slug), None)
    return lesson or abort(404)


def asset_base(course: Course) -> str:
    """URL prefix for the course's assets, as lesson Markdown references them."""
    return url_for("catalog.course_detail", code=course.code) + "/assets/"


@bp.route("/")
@login_required
def catalog():
    """Published courses: accent-blind search, filters, the viewer's progress in each."""
    filters = queries.CatalogFilters.from_args(request.args)
    positions = _positions()
    page = queries.search_catalog(
        filters, current_user.official_id, positions, page_number(), PAGE_SIZE
    )
    return render_template(
        "catalog/catalog.html",
        page=page,
        filters=filters,
        credit_choices=queries.credit_choices(),
        holds_position=bool(positions),
        can_author=can_author(current_user),
    )


@bp.route("/<code>")
@login_required
def course_detail(code: str):
    """A course: its facts, lessons with progress, and the button that resumes where the
    learner left off (the first lesson not done)."""
    course, state = _load(code)
    lessons = course.active_lessons
    done = [lesson for lesson in lessons if lesson.id in state.done]
    resume_id = rules.resume_at([lesson.id for lesson in lessons], state.done)
    return render_template(
        "catalog/course.html",
        course=course,
        state=state,
        lessons=lessons,
        done_count=len(done),
        percent=rules.percent(len(done), len(lessons)),
        resume=next((lesson for lesson in lessons if lesson.id == resume_id), None),
        can_read=can_read_lessons(current_user, course, state.enrolment, state.mandatory),
        can_enrol=can_self_enrol(current_user, course, state.enrolment),
        can_edit=can_edit_course(current_user, course),
    )


@bp.route("/<code>/enrol", methods=["POST"])
@login_required
def enrol(code: str):
    """Enrol oneself in a published elective."""
    course, state = _load(code)
    require(can_self_enrol(current_user, course, state.enrolment))
    if ButtonForm().validate_on_submit():
        try:
            enrolments.self_enrol(current_user.official_id, course)
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("You are enrolled. Start with the first lesson."), "success")
    return redirect(url_for(".course_detail", code=course.code))


@bp.route("/<code>/lessons/<slug>")
@login_required
def lesson(code: str, slug: str):
    """The lesson player: the lesson, "Mark as done", previous and next lesson."""
    course, state = _load(code)
    lesson = _lesson(course, slug)
    require(can_read_lessons(current_user, course, state.enrolment, state.mandatory))
    lessons = course.active_lessons
    index = lessons.index(lesson)
    done_count = sum(1 for item in lessons if item.id in state.done)
    return render_template(
        "catalog/lesson.html",
        course=course,
        lesson=lesson,
        number=index + 1,
        total=len(lessons),
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
        is_done=lesson.id in state.done,
        done_count=done_count,
        percent=rules.percent(done_count, len(lessons)),
        can_track=can_track_progress(current_user, course, state.enrolment, state.mandatory),
        body=render_markdown(lesson.body_markdown, asset_base(course)),
    )


@bp.route("/<code>/lessons/<slug>/done", methods=["POST"])
@login_required
def lesson_done(code: str, slug: str):
    """Mark a lesson done, then go on to the next lesson (or back to the course)."""
    course, state = _load(code)
    lesson = _lesson(course, slug)
    require(can_track_progress(current_user, course, state.enrolment, state.mandatory))
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".lesson", code=course.code, slug=lesson.slug))
    finished_before = state.enrolment is not None and state.enrolment.lessons_done_at is not None
    try:
        enrolment = enrolments.mark_done(current_user.official_id, lesson, state.mandatory)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".lesson", code=course.code, slug=lesson.slug))
    db.session.commit()
    if enrolment.lessons_done_at is not None and not finished_before:
        flash(_("You have finished every lesson of this course."), "success")
        return redirect(url_for(".course_detail", code=course.code))
    lessons = course.active_lessons
    index = lessons.index(lesson)
    flash(_("Lesson marked as done."), "success")
    if index + 1 < len(lessons):
        return redirect(url_for(".lesson", code=course.code, slug=lessons[index + 1].slug))
    return redirect(url_for(".course_detail", code=course.code))


@bp.route("/<code>/assets/<path:name>")
@login_required
def asset(code: str, name: str):
    """An image or attachment of a course, for those who may read its lessons."""
    course, state = _load(code)
    require(can_read_lessons(current_user, course, state.enrolment, state.mandatory))
    row = next((item for item in course.assets if item.path == name), None)
    if row is None:
        abort(404)
    return assetstore.send(course.code, row.path)
