"""Staff screens of a course's test: settings, extra time for an official, regrade, statistics
(chart as inline SVG), and the essay grading queue at /manage/grading (scoped in SQL)."""

from datetime import timedelta
from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.assessments import grading, queries, quizzes, rules
from lms.assessments.blueprint import bp
from lms.assessments.forms import REVIEW_FIELDS, ExtraTimeForm, GradeForm, QuizForm
from lms.assessments.models import ExtraTime
from lms.assessments.permissions import can_use_grading_queue, grading_scope
from lms.assessments.routes_manage import managed_course
from lms.auth.permissions import require
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach, page_number
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official

VIETNAM = timedelta(hours=7)  # the form shows Vietnam time; columns hold naive UTC


def _draws(text: str) -> dict[str, int]:
    draws, problems = {}, []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        path, sep, count = line.rpartition("=")
        count = count.strip()
        if not sep or not count.isdigit() or len(count) > 4:
            problems.append(_("Line %(line)d: write category = number.", line=number))
            continue
        draws[path.strip()] = int(count)
    if problems:
        raise ValidationFailed([("draws", problem) for problem in problems])
    return draws


def _fill_review(form: QuizForm, review) -> None:
    shown = rules.normalise_review(review)
    for moment, name in REVIEW_FIELDS.items():
        getattr(form, name).data = shown[moment]


def _quiz_data(form: QuizForm) -> quizzes.QuizData:
    def utc(value):
        return value - VIETNAM if value else None

    return quizzes.QuizData(
        question_count=form.question_count.data or 0,
        draws=_draws(form.draws.data),
        time_limit_minutes=form.time_limit_minutes.data or 0,
        max_attempts=form.max_attempts.data or 0,
        pass_mark=Decimal(form.pass_mark.data),
        shuffle_questions=form.shuffle_questions.data,
        shuffle_answers=form.shuffle_answers.data,
        layout=form.layout.data,
        review={
            moment: [p for p in rules.REVIEW_PARTS if p in (getattr(form, name).data or ())]
            for moment, name in REVIEW_FIELDS.items()
        },
        opens_at=utc(form.opens_at.data),
        closes_at=utc(form.closes_at.data),
        delay_minutes=form.delay_minutes.data or 0,
    )


@bp.route("/courses/manage/<code>/test", methods=["GET", "POST"])
@login_required
def quiz_settings(code: str):
    """The test's settings, extra time granted, and the regrade button."""
    course = managed_course(code)
    quiz = quizzes.quiz_of(course)
    form = QuizForm(obj=quiz)
    if quiz is not None and not form.is_submitted():
        form.draws.data = "\n".join(f"{path} = {n}" for path, n in (quiz.draws or {}).items())
        form.opens_at.data = quiz.opens_at + VIETNAM if quiz.opens_at else None
        _fill_review(form, quiz.review)
        form.closes_at.data = quiz.closes_at + VIETNAM if quiz.closes_at else None
    elif quiz is None and not form.is_submitted():
        _fill_review(form, rules.default_review())
        form.shuffle_questions.data = form.shuffle_answers.data = True
    if form.validate_on_submit():
        saved, _quiz = commit_or_attach(
            form, lambda: quizzes.save_quiz(course, _quiz_data(form), current_user)
        )
        if saved:
            flash(_("Test settings saved."), "success")
            for warning in quizzes.bank_warnings(_quiz):
                flash(warning, "warning")
            return redirect(url_for(".quiz_settings", code=course.code))
    extra = []
    if quiz is not None:
        extra = db.session.execute(
            select(ExtraTime, Official)
            .join(Official, Official.id == ExtraTime.official_id)
            .where(
                ExtraTime.quiz_id == quiz.id,
                (ExtraTime.minutes > 0)
                | (ExtraTime.extra_attempts > 0)
                | ExtraTime.closes_at.is_not(None),
            )
            .order_by(Official.sort_name)
        ).all()
    return render_template(
        "assessments/quiz_form.html",
        course=course,
        quiz=quiz,
        form=form,
        extra=extra,
        extra_form=ExtraTimeForm(formdata=None),
        warnings=quizzes.bank_warnings(quiz) if quiz is not None else [],
        vietnam=VIETNAM,
    )


@bp.route("/courses/manage/<code>/test/extra-time", methods=["POST"])
@login_required
def quiz_extra_time(code: str):
    """Grant an official an override (extra time, extra attempts, a later close; audited); a
    running attempt gets it at once."""
    course = managed_course(code)
    quiz = quizzes.quiz_of(course) or abort(404)
    form = ExtraTimeForm()
    if form.validate_on_submit():
        official = db.session.scalar(
            select(Official).where(Official.employee_code == form.employee_code.data.strip())
        )
        if official is None:
            flash(_("No official has this employee code."), "error")
        else:
            try:
                closes = form.closes_at.data - VIETNAM if form.closes_at.data else None
                override = quizzes.Override(
                    form.minutes.data or 0, form.extra_attempts.data or 0, closes
                )
                quizzes.set_override(quiz, official.id, override, current_user)
            except ValidationFailed as error:
                db.session.rollback()
                flash(error.message, "error")
            else:
                db.session.commit()
                flash(_("Extra time saved."), "success")
    else:
        for errors in form.errors.values():
            flash("; ".join(str(e) for e in errors), "error")
    return redirect(url_for(".quiz_settings", code=course.code))


@bp.route("/courses/manage/<code>/test/regrade", methods=["POST"])
@login_required
def quiz_regrade(code: str):
    """Grade every submitted attempt again with the questions as they are now (audited);
    completions, credits and certificate requests follow the new results."""
    course = managed_course(code)
    quiz = quizzes.quiz_of(course) or abort(404)
    if ButtonForm().validate_on_submit():
        changed = grading.regrade(quiz, current_user)
        db.session.commit()
        flash(_("Regraded: %(count)d attempt(s) changed score.", count=len(changed)), "success")
    return redirect(url_for(".quiz_settings", code=course.code))


def _chart(histogram: list[int]) -> dict:
    """Bar geometry of the score distribution for the inline SVG (no JavaScript)."""
    top = max(histogram) or 1
    bars = []
    for index, count in enumerate(histogram):
        height = round(160 * count / top)
        bars.append({"x": 40 + index * 50, "y": 180 - height, "height": height, "count": count,
                     "label": f"{index * 10}–{index * 10 + 10}"})  # fmt: skip
    return {"bars": bars, "top": top}


@bp.route("/courses/manage/<code>/test/statistics")
@login_required
def quiz_statistics(code: str):
    """Attempts, pass rate, score distribution, and per question facility and discrimination."""
    course = managed_course(code)
    quiz = quizzes.quiz_of(course) or abort(404)
    stats = queries.quiz_statistics(quiz)
    words = {
        rules.NEGATIVE_DISCRIMINATION: _("Negative discrimination: check the key"),
        rules.TOO_EASY: _("Almost everyone answers it right"),
        rules.TOO_HARD: _("Almost no one answers it right"),
    }
    flags = {
        row.question.id: [
            words[flag] for flag in rules.item_flags(row.stats.facility, row.stats.discrimination)
        ]
        for row in stats.questions
    }
    return render_template(
        "assessments/statistics.html",
        course=course,
        quiz=quiz,
        stats=stats,
        flags=flags,
        chart=_chart(stats.histogram),
    )


@bp.route("/manage/grading")
@login_required
def grading_queue():
    """Essays waiting for a grade in the courses of the viewer's units."""
    require(can_use_grading_queue(current_user))
    page = queries.grading_queue(
        grading_scope(current_user), page_number(), grader_official_id=current_user.official_id
    )
    return render_template("assessments/grading_queue.html", page=page)


@bp.route("/manage/grading/<int:slot_id>", methods=["GET", "POST"])
@login_required
def grade_slot(slot_id: int):
    """Grade one essay with a comment (audited); the attempt's score follows."""
    require(can_use_grading_queue(current_user))
    slot = queries.slot_in_scope(slot_id, grading_scope(current_user)) or abort(404)
    if slot.question.kind != "essay":
        abort(404)
    if slot.attempt.official_id == current_user.official_id:  # separation of duties
        abort(403)
    form = GradeForm()
    if not form.is_submitted():
        form.comment.data = slot.comment
    if form.validate_on_submit():
        fraction = (Decimal(form.percent.data) / 100).quantize(Decimal("0.0000001"))
        try:
            saved, _attempt = commit_or_attach(
                form,
                lambda: grading.grade_essay(slot, fraction, form.comment.data or "", current_user),
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".grading_queue"))
        if saved:
            flash(_("Grade saved."), "success")
            return redirect(url_for(".grading_queue"))
    return render_template("assessments/grade.html", slot=slot, form=form)
