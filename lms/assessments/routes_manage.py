"""Question bank screens for a course's authors under /courses/manage/<code>/questions: the bank
by category, upload with preview (GIFT or Aiken), edit one question as GIFT, retire, export."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from lms.assessments import aiken, bank, gift, moodle_xml
from lms.assessments.blueprint import bp
from lms.assessments.categories import localise
from lms.assessments.forms import ConfirmImportForm, QuestionForm, UploadForm
from lms.assessments.kind_labels import QuestionKind
from lms.assessments.models import BankQuestion
from lms.assessments.permissions import can_manage_tests
from lms.assessments.questions import CLOZE, SHORT_ANSWER
from lms.auth.permissions import require
from lms.catalog import queries
from lms.catalog.permissions import can_author
from lms.common.forms import ButtonForm, upload_page
from lms.common.web import commit_or_attach, handle_button
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _

MODULES = {"gift": gift, "aiken": aiken, "xml": moodle_xml}  # the readers, by upload format


def managed_course(code: str):
    """The course if the viewer authors it (404 when they cannot, as catalog's screens)."""
    require(can_author(current_user))
    course = queries.course_by_code(code) or abort(404)
    if not can_manage_tests(current_user, course):
        abort(404)
    return course


def _question(course, question_id: int) -> BankQuestion:
    row = db.session.get(BankQuestion, question_id)
    if row is None or row.course_id != course.id or row.retired_at is not None:
        abort(404)
    return row


@bp.route("/courses/manage/<code>/questions")
@login_required
def question_bank(code: str):
    """The course's bank, grouped by category, with links to import, export and edit."""
    course = managed_course(code)
    rows = bank.questions_of(course)
    words = request.args.get("q", "")[:200]
    kind = request.args.get("kind", "")[:32]
    path = request.args.get("category")
    path = path[:255] if path is not None else None
    categories = sorted({row.category.path for row in rows})
    shown = [row for row in rows if bank.matches(row, words, kind, path)]
    groups: dict[str, list[BankQuestion]] = {}
    for row in shown:
        groups.setdefault(row.category.path, []).append(row)
    return render_template(
        "assessments/bank.html",
        course=course,
        groups=groups,
        total=len(rows),
        found=len(shown),
        categories=categories,
        search={"q": words, "kind": kind, "category": path},
        kinds=QuestionKind.choices(),
        bulk_form=ButtonForm(formdata=None),
    )


def _preview(course, result, text: str, file_format: str):
    result = localise(result)  # categories as the bank will hold them
    keys = bank.keys_of(result.questions)
    existing = {row.key for row in bank.questions_of(course, active_only=False)}
    confirm = ConfirmImportForm(formdata=None, source=text, file_format=file_format)
    return render_template(
        "assessments/import_preview.html",
        course=course,
        result=result,
        errors=bank.problems(result),
        warnings=bank.notices(result),
        rows=list(zip(keys, result.questions, strict=True)),
        existing=existing,
        confirm=confirm,
    )


@bp.route("/courses/manage/<code>/questions/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def question_import(code: str):
    """Upload a GIFT, Moodle XML or Aiken file: every question is shown before anything is
    written; a file with errors lists them by line and cannot be imported."""
    course = managed_course(code)
    form = UploadForm()
    if form.validate_on_submit():
        limit = current_app.config["LMS_IMPORT_MAX_BYTES"]
        data = form.file.data.read(limit + 1)
        problem = bank.upload_problem(form.file.data.filename, data, form.file_format.data, limit)
        if problem:
            form.file.errors = [problem]
        else:
            result = bank.parse_upload(data, form.file_format.data)
            module = MODULES[form.file_format.data]
            text = "" if result.errors else module.decode(data)
            if not result.errors and not result.questions:
                form.file.errors = [_("No question was found in the file.")]
            else:
                return _preview(course, result, text, form.file_format.data)
    return render_template("assessments/import.html", course=course, form=form)


@bp.route("/courses/manage/<code>/questions/import/confirm", methods=["POST"])
@login_required
def question_import_confirm(code: str):
    """Import the previewed file (parsed again; nothing is written on any error)."""
    course = managed_course(code)
    form = ConfirmImportForm()
    if not form.validate_on_submit() or form.file_format.data not in bank.FORMATS:
        flash(_("The preview expired. Upload the file again."), "error")
        return redirect(url_for(".question_import", code=course.code))
    result = MODULES[form.file_format.data].parse(form.source.data)
    try:
        report = bank.import_questions(course, result, current_user)
    except ValidationFailed:
        db.session.rollback()
        return _preview(course, result, form.source.data, form.file_format.data)
    db.session.commit()
    flash(
        _(
            "Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.",
            created=len(report.created),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
        ),
        "success",
    )
    return redirect(url_for(".question_bank", code=course.code))


@bp.route("/courses/manage/<code>/questions/export.gift")
@login_required
def question_export(code: str):
    """The bank as a GIFT file (UTF-8), to import into Moodle or another installation."""
    course = managed_course(code)
    disposition = f'attachment; filename="{course.code}-questions.gift"'
    return Response(
        bank.export_gift(course),
        mimetype="text/plain; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


@bp.route("/courses/manage/<code>/questions/export.xml")
@login_required
def question_export_xml(code: str):
    """The bank as a Moodle XML file (UTF-8), Moodle's default import format."""
    course = managed_course(code)
    disposition = f'attachment; filename="{course.code}-questions.xml"'
    return Response(
        bank.export_xml(course),
        mimetype="application/xml; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


@bp.route("/courses/manage/<code>/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
def question_edit(code: str, question_id: int):
    """Edit one question, written in GIFT, with its grading options. Attempts already graded
    keep their score until the test is regraded."""
    course = managed_course(code)
    row = _question(course, question_id)
    if row.kind == CLOZE:  # GIFT cannot carry it: the editor's form edits its text
        return redirect(url_for(".question_editor", code=course.code, question_id=row.id))
    options = row.options or {}
    form = QuestionForm()
    if not form.is_submitted():  # a POST must carry every field: nothing is kept from before
        form.source.data = bank.question_gift(row)
        form.case_sensitive.data = options.get("case_sensitive", False)
        form.ignore_diacritics.data = options.get("ignore_diacritics", False)
    if form.validate_on_submit():
        chosen = {"case_sensitive": form.case_sensitive.data}
        chosen["ignore_diacritics"] = form.ignore_diacritics.data
        saved, changed = commit_or_attach(
            form, lambda: bank.edit_question(row, form.source.data, chosen, current_user)
        )
        if saved:
            message = _("Question saved. Regrade the test so that past attempts use it.")
            flash(message if changed else _("Nothing changed."), "success")
            return redirect(url_for(".question_bank", code=course.code))
    return render_template(
        "assessments/question_edit.html",
        course=course,
        row=row,
        form=form,
        short_answer=row.kind == SHORT_ANSWER,
        retire_form=ButtonForm(formdata=None),
    )


@bp.route("/courses/manage/<code>/questions/<int:question_id>/retire", methods=["POST"])
@login_required
def question_retire(code: str, question_id: int):
    """Remove a question from the bank (attempts that drew it keep it)."""
    course = managed_course(code)
    row = _question(course, question_id)
    handle_button(
        lambda: bank.retire_question(row, current_user), _("Question removed from the bank.")
    )
    return redirect(url_for(".question_bank", code=course.code))
