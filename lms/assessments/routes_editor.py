"""The question editor: a new question written field by field, by type, previewed as the
learner sees it, saved through GIFT into the course's bank (lms.assessments.editor)."""

import random

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from lms.assessments import bank, editor, editor_store, kinds, kinds_cloze
from lms.assessments.blueprint import bp
from lms.assessments.editor_forms import EditQuestionForm
from lms.assessments.forms import EditorForm
from lms.assessments.kind_labels import QuestionKind
from lms.assessments.questions import ParseResult
from lms.assessments.routes_manage import _question, managed_course
from lms.common.forms import ButtonForm
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _


@bp.app_template_filter("cloze_split")
def cloze_split(rendered, count: int):
    """A cloze question's sanitised text cut where its gaps go (the attempt page's macro puts
    an input or a list there)."""
    return [
        (Markup(piece), gap)  # noqa: S704 - pieces of already sanitised HTML
        for piece, gap in kinds_cloze.split_placeholders(str(rendered), count)
    ]


def _data(form: EditorForm, kept: editor.EditorData | None = None) -> editor.EditorData:
    keep = {}
    if kept is not None:  # what the form does not show stays as the question has it
        keep = {
            "idnumber": kept.idnumber,
            "text_format": kept.text_format,
            "general_feedback_format": kept.general_feedback_format,
        }
    return editor.EditorData(
        **keep,
        kind=form.kind.data,
        name=form.name.data or "",
        text=form.text.data or "",
        category=form.category.data or "",
        tags=form.tags.data or "",
        lines=form.lines.data or "",
        true_is_right=form.true_is_right.data == "true",
        number=form.number.data or "",
        tolerance=form.tolerance.data or "",
        general_feedback=form.general_feedback.data or "",
    )


class _Slot:
    """A stand-in for an attempt's slot, so the preview uses the attempt page's macro."""

    id, position = 0, 1


@bp.route("/courses/manage/<code>/questions/new", methods=["GET", "POST"])
@login_required
def question_new(code: str):
    """Write a question by type; Preview shows it as the learner will see it; Save adds it."""
    course = managed_course(code)
    form = EditorForm()
    form.kind.choices = QuestionKind.choices()
    preview = None
    if form.validate_on_submit():
        try:
            question = editor.build(_data(form))
        except ValidationFailed as error:
            form.form_errors.extend(message for _field, message in error.reasons)
        else:
            existing = {row.key for row in bank.questions_of(course, active_only=False)}
            if request.form.get("action") == "save" and question.name not in existing:
                result = ParseResult(questions=[question])
                bank.import_questions(course, result, current_user)
                db.session.commit()
                flash(_("Question saved."), "success")
                return redirect(url_for(".question_bank", code=course.code))
            if question.name in existing:
                form.name.errors = [_("The bank already has a question with this name.")]
            kind = kinds.kind_of(question)
            view = kind.view(question, kind.shown(question, random.Random(0), False), None)
            preview = (_Slot(), question, view)
    return render_template(
        "assessments/question_new.html", course=course, form=form, preview=preview
    )


def _fill(form: EditorForm, data: editor.EditorData) -> None:
    for name in ("kind", "name", "text", "category", "tags", "lines", "number", "tolerance"):
        getattr(form, name).data = getattr(data, name)
    form.general_feedback.data = data.general_feedback
    form.true_is_right.data = "true" if data.true_is_right else "false"


def _preview(question):
    kind = kinds.kind_of(question)
    view = kind.view(question, kind.shown(question, random.Random(0), False), None)
    return (_Slot(), question, view)


@bp.route("/courses/manage/<code>/questions/<int:question_id>/editor", methods=["GET", "POST"])
@login_required
def question_editor(code: str, question_id: int):
    """An existing question in the editor's form: Preview shows it as the learner will see
    it; Save makes a new version (rules for questions already used: editor_store)."""
    course = managed_course(code)
    row = _question(course, question_id)
    current = editor.from_question(bank.to_question(row))
    if current is None:  # the form cannot hold it exactly: edit it as GIFT
        flash(
            _("This question cannot be shown in the form without changing it; edit it as GIFT."),
            "info",
        )
        return redirect(url_for(".question_edit", code=course.code, question_id=row.id))
    form = EditQuestionForm()
    form.kind.choices = QuestionKind.choices()
    if not form.is_submitted():
        _fill(form, current)
    preview = None
    if form.validate_on_submit():
        try:
            question = editor.build(_data(form, current))
            if request.form.get("action") == "save":
                changed = editor_store.save(row, question, current_user, form.regrade.data)
                db.session.commit()
                flash(_("Question saved.") if changed else _("Nothing changed."), "success")
                return redirect(url_for(".question_bank", code=course.code))
        except ValidationFailed as error:
            db.session.rollback()
            form.form_errors.extend(message for _field, message in error.reasons)
        else:
            preview = _preview(question)
    elif not form.is_submitted():
        preview = _preview(bank.to_question(row))
    return render_template(
        "assessments/editor_edit.html",
        course=course,
        row=row,
        form=form,
        preview=preview,
        used=editor_store.attempts_using(row),
    )


@bp.route("/courses/manage/<code>/questions/bulk", methods=["POST"])
@login_required
def question_bulk(code: str):
    """Move the chosen questions to a category, or retire them (audited per question)."""
    course = managed_course(code)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".question_bank", code=course.code))
    ids = {
        int(v) for v in request.form.getlist("ids") if v.isascii() and v.isdigit() and len(v) < 10
    }
    rows = [row for row in bank.questions_of(course) if row.id in ids]
    action = request.form.get("action")
    if not rows:
        flash(_("Choose at least one question."), "error")
    elif action == "retire":
        for row in rows:
            bank.retire_question(row, current_user)
        db.session.commit()
        flash(_("%(count)d question(s) removed from the bank.", count=len(rows)), "success")
    elif action == "move" and request.form.get("target", "").strip():
        target = request.form["target"][:255]
        moved = bank.move_questions(course, rows, target, current_user)
        db.session.commit()
        flash(_("%(count)d question(s) moved.", count=moved), "success")
    else:
        flash(_("Choose what to do, and for a move the category."), "error")
    return redirect(url_for(".question_bank", code=course.code))
