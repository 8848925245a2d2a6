"""Authoring screens for training managers under /courses/manage/: the course list, course and
lesson forms with a preview, lesson order, publish/archive, zip upload and export."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.auth.permissions import require
from lms.catalog import archive, queries, services, transfer
from lms.catalog.blueprint import bp
from lms.catalog.bundles import ContentError
from lms.catalog.contentfiles import parse_tree
from lms.catalog.forms import CourseForm, LessonForm, MoveForm, StatusForm, UploadForm
from lms.catalog.models import DRAFT, PUBLISHED, Course, Lesson
from lms.catalog.permissions import author_scope, can_author, can_edit_course
from lms.catalog.rendering import render_markdown
from lms.catalog.routes import asset_base
from lms.common.forms import ButtonForm, upload_page
from lms.common.web import commit_or_attach, page_number
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _, _l, format_number
from lms.organisation.models import Position
from lms.organisation.queries import units_for_choice

STATUS_MESSAGES = {
    "published": _l("Course published."),
    "archived": _l("Course archived."),
    "draft": _l("Course returned to draft."),
}


def _editable(code: str) -> Course:
    """The course if the viewer may edit it: 404 when they cannot even see it, else 403."""
    require(can_author(current_user))
    course = queries.course_by_code(code) or abort(404)
    if not can_edit_course(current_user, course):
        abort(403 if course.status == PUBLISHED else 404)
    return course


def _lesson_of(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id or lesson.retired_at is not None:
        abort(404)
    return lesson


def _units():
    return units_for_choice(author_scope(current_user))


def _fill_choices(form, course: Course | None) -> None:
    form.owner_unit.choices = [(str(u.id), f"{u.name} ({u.code})") for u in _units()]
    if hasattr(form, "positions"):
        positions = db.session.scalars(db.select(Position).order_by(Position.code))
        form.positions.choices = [(p.code, f"{p.name} ({p.code})") for p in positions]
        others = queries.courses_for_choice(course.id if course else None)
        form.prerequisites.choices = [(c.code, f"{c.code} — {c.title}") for c in others]


def _owner_id(form) -> int:
    """The chosen owner unit, which must lie in the viewer's scope."""
    if form.owner_unit.data not in {value for value, _label in form.owner_unit.choices}:
        raise ValidationFailed([("owner_unit", _("Unknown unit, or a unit outside your scope."))])
    return int(form.owner_unit.data)


def _course_data(form: CourseForm, course: Course | None) -> services.CourseData:
    kept = []  # positions this installation does not define: the form cannot show them
    if course is not None:
        known = {value for value, _label in form.positions.choices}
        kept = [code for code in course.position_codes if code not in known]
    chosen = [code for code, _label in form.positions.choices if code in form.positions.data]
    return services.CourseData(
        code=course.code if course else form.code.data,
        title=form.title.data,
        title_en=form.title_en.data,
        summary=form.summary.data,
        credits=form.credits.data,
        periods=form.periods.data,
        content_area=form.content_area.data,
        kind=form.kind.data,
        delivery=form.delivery.data,
        certificate=form.certificate.data,
        validity_months=form.validity_months.data,
        repeatable=form.repeatable.data,
        positions=tuple(_in_order(course, chosen) + kept),
        prerequisites=tuple(form.prerequisites.data or ()),
    )


def _in_order(course: Course | None, chosen: list[str]) -> list[str]:
    """Keep the stored order of positions still chosen; new ones follow in code order."""
    before = course.position_codes if course else []
    return [code for code in before if code in chosen] + [c for c in chosen if c not in before]


@bp.route("/manage/")
@login_required
def manage_courses():
    """The courses the viewer may author, every status, with search."""
    require(can_author(current_user))
    q = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    page = queries.manage_courses(author_scope(current_user), q, status, page_number(), 50)
    return render_template("catalog/manage_list.html", page=page, q=q, status=status)


@bp.route("/manage/new", methods=["GET", "POST"])
@login_required
def course_new():
    """Create a draft course."""
    require(can_author(current_user))
    form = CourseForm()
    _fill_choices(form, None)
    if form.validate_on_submit():
        saved, course = commit_or_attach(
            form,
            lambda: services.create_course(
                _course_data(form, None), _owner_id(form), actor=current_user
            ),
        )
        if saved:
            flash(_("Course created as a draft. Add its lessons."), "success")
            return redirect(url_for(".course_manage", code=course.code))
    return render_template("catalog/course_form.html", form=form, course=None)


@bp.route("/manage/<code>")
@login_required
def course_manage(code: str):
    """A course seen by its author: facts, status buttons, lessons to order and edit, assets."""
    course = _editable(code)
    return render_template(
        "catalog/course_manage.html",
        course=course,
        lessons=course.active_lessons,
        move_form=MoveForm(),
        status_form=StatusForm(),
    )


@bp.route("/manage/<code>/edit", methods=["GET", "POST"])
@login_required
def course_edit(code: str):
    """Edit a course's fields (its code stays)."""
    course = _editable(code)
    form = CourseForm(obj=course)
    del form.code
    _fill_choices(form, course)
    if request.method == "GET":
        form.owner_unit.data = str(course.owner_unit_id or "")
        form.positions.data = course.position_codes
        form.prerequisites.data = [c.code for c in course.prerequisites]
    if (
        form.validate_on_submit()
        and commit_or_attach(
            form,
            lambda: services.update_course(
                course, _course_data(form, course), _owner_id(form), actor=current_user
            ),
        )[0]
    ):
        flash(_("Changes saved."), "success")
        return redirect(url_for(".course_manage", code=course.code))
    return render_template("catalog/course_form.html", form=form, course=course)


@bp.route("/manage/<code>/status", methods=["POST"])
@login_required
def course_status(code: str):
    """Publish, archive or return to draft."""
    course = _editable(code)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.set_status(course, form.status.data, actor=current_user)
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(str(STATUS_MESSAGES[form.status.data]), "success")
    return redirect(url_for(".course_manage", code=course.code))


def _lesson_form(course: Course, lesson: Lesson | None):
    """Shared GET/POST of a lesson: Preview renders the Markdown, Save stores it."""
    form = LessonForm(obj=lesson)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body_markdown.data, asset_base(course))
        else:
            try:
                services.save_lesson(
                    course, lesson, form.title.data, form.slug.data, form.body_markdown.data
                )
            except ValidationFailed as error:
                db.session.rollback()
                error.attach_to(form)
            else:
                db.session.commit()
                flash(_("Lesson saved."), "success")
                return redirect(url_for(".course_manage", code=course.code))
    return render_template(
        "catalog/lesson_form.html", form=form, course=course, lesson=lesson, preview=preview
    )


@bp.route("/manage/<code>/lessons/new", methods=["GET", "POST"])
@login_required
def lesson_new(code: str):
    """Add a lesson at the end of the course."""
    return _lesson_form(_editable(code), None)


@bp.route("/manage/<code>/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@login_required
def lesson_edit(code: str, lesson_id: int):
    """Edit a lesson, with a preview."""
    course = _editable(code)
    return _lesson_form(course, _lesson_of(course, lesson_id))


@bp.route("/manage/<code>/lessons/<int:lesson_id>/move", methods=["POST"])
@login_required
def lesson_move(code: str, lesson_id: int):
    """Move a lesson one place up or down."""
    course = _editable(code)
    lesson = _lesson_of(course, lesson_id)
    form = MoveForm()
    if form.validate_on_submit():
        services.move_lesson(lesson, form.direction.data)
        db.session.commit()
    return redirect(url_for(".course_manage", code=course.code) + f"#lesson-{lesson.id}")


@bp.route("/manage/<code>/lessons/<int:lesson_id>/remove", methods=["POST"])
@login_required
def lesson_remove(code: str, lesson_id: int):
    """Remove a lesson (kept in the database with its learners' progress)."""
    course = _editable(code)
    lesson = _lesson_of(course, lesson_id)
    if ButtonForm().validate_on_submit():
        services.retire_lesson(lesson)
        db.session.commit()
        flash(_("Lesson removed."), "success")
    return redirect(url_for(".course_manage", code=course.code))


def _import_zip(form: UploadForm) -> tuple[transfer.ImportReport | None, list]:
    """Read, check and import an uploaded zip; (report, []) or (None, reasons)."""
    limit = current_app.config["LMS_COURSE_UPLOAD_MAX_BYTES"]
    data = form.archive.data.read(limit + 1)
    if len(data) > limit:
        message = _("The file is larger than %(mb)s MB.", mb=format_number(limit // 2**20))
        return None, [ContentError(form.archive.data.filename or ".zip", None, message)]
    files, errors = archive.read_zip(data, archive.Limits.from_config(current_app.config))
    if errors:
        return None, errors
    bundles, errors = parse_tree(files)
    if errors:
        return None, errors
    try:
        report = transfer.import_bundles(
            bundles, current_user, _owner_id(form), DRAFT, author_scope(current_user)
        )
    except ValidationFailed as error:
        db.session.rollback()
        return None, [message for _field, message in error.reasons]
    return report, []


@bp.route("/manage/upload", methods=["GET", "POST"])
@login_required
@upload_page("LMS_COURSE_UPLOAD_MAX_BYTES")
def course_upload():
    """Upload a .zip of course folders: checked whole, refused whole (nothing written) on any
    problem; new courses arrive as drafts, changed ones are updated in place."""
    require(can_author(current_user))
    form = UploadForm()
    _fill_choices(form, None)
    errors: list = []
    if form.validate_on_submit():
        report, errors = _import_zip(form)
        if report is not None:
            db.session.commit()
            transfer.sync_assets(report)
            flash(
                _(
                    "Upload imported: %(created)s new, %(updated)s updated, %(unchanged)s "
                    "unchanged.",
                    created=len(report.created),
                    updated=len(report.updated),
                    unchanged=len(report.unchanged),
                ),
                "success",
            )
            for warning in report.warnings:
                flash(warning, "warning")
            return redirect(url_for(".manage_courses"))
    return render_template("catalog/upload.html", form=form, errors=[str(e) for e in errors])


@bp.route("/manage/<code>/export.zip")
@login_required
def course_export(code: str):
    """The course as a .zip of its folder, the same tree `flask courses export` writes."""
    course = _editable(code)
    try:
        files = transfer.export_files(course)
    except RuleViolation as error:
        flash(error.message, "error")
        return redirect(url_for(".course_manage", code=course.code))
    return Response(
        archive.zip_folder(course.code, files),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{course.code}.zip"'},
    )
