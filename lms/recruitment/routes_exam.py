"""The candidate's pages (/exam/…): their seat and session, starting the paper with the session
code, the paper with autosave, and the score at the end. A candidate account opens these and
nothing else (permissions.candidate_guard); everyone else gets 404 here."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.assessments import bank, kinds, scoring
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.web import client_address
from lms.errors import RuleViolation
from lms.extensions import db, limiter
from lms.i18n import _
from lms.recruitment import exam
from lms.recruitment.blueprint import bp
from lms.recruitment.forms import SessionCodeForm
from lms.recruitment.models import Candidate, ExamAttempt
from lms.recruitment.permissions import is_candidate
from lms.recruitment.window import exam_window


def _candidate() -> Candidate:
    """The signed-in candidate's record; 404 for any other account."""
    if not is_candidate(current_user):
        abort(404)
    candidate = db.session.scalar(select(Candidate).where(Candidate.user_id == current_user.id))
    return candidate or abort(404)


def _running(candidate: Candidate) -> ExamAttempt | None:
    seat = exam.seat_of(candidate)
    return exam.attempt_of(seat.session_id, candidate.id) if seat else None


@bp.route("/exam/")
@login_required
def exam_home():
    """The candidate's exam: who they are, their session, room, seat and time, and the session
    code form (or the way back to a paper in progress, or their score)."""
    candidate = _candidate()
    seat = exam.seat_of(candidate)
    attempt = exam.attempt_of(seat.session_id, candidate.id) if seat else None
    if attempt is not None and exam.close_if_overdue(attempt):
        db.session.commit()
    return render_template(
        "recruitment/exam_home.html",
        candidate=candidate,
        seat=seat,
        attempt=attempt,
        now=clock.now(),
        window=exam_window(seat.session.starts_at, seat.session.ends_at) if seat else "",
        form=SessionCodeForm(),
    )


@bp.route("/exam/start", methods=["POST"])
@login_required
@limiter.limit("20 per minute")
def exam_start():
    """Start (or resume) the paper with the code the invigilator announced."""
    candidate = _candidate()
    seat = exam.seat_of(candidate)
    form = SessionCodeForm()
    if seat is None:
        flash(exam.reason_text("not_seated"), "error")
        return redirect(url_for(".exam_home"))
    if not form.validate_on_submit():
        flash(_("Type the session code the invigilator announced."), "error")
        return redirect(url_for(".exam_home"))
    try:
        exam.start(seat, form.code.data, client_address())
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".exam_home"))
    db.session.commit()
    return redirect(url_for(".exam_paper"))


def _views(attempt: ExamAttempt):
    views = []
    for slot in attempt.slots:
        question = bank.to_question(slot.question)
        views.append(
            (
                slot,
                question,
                kinds.kind_of(question).view(question, slot.shown or {}, slot.response),
            )
        )
    return views


@bp.route("/exam/paper", methods=["GET", "POST"])
@login_required
def exam_paper():
    """The paper: every question on one page with the saved answers and the time left by the
    server's clock; a POST saves, and with action "finish" submits."""
    candidate = _candidate()
    attempt = _running(candidate)
    if attempt is None:
        return redirect(url_for(".exam_home"))
    if attempt.status != exam.IN_PROGRESS or exam.close_if_overdue(attempt):
        db.session.commit()
        return redirect(url_for(".exam_result"))
    if request.method == "POST":
        if not ButtonForm().validate_on_submit():
            return redirect(url_for(".exam_paper"))
        saved = exam.save(attempt.id, candidate.id, request.form)
        if saved.closed:
            db.session.commit()
            flash(_("Time is up: the answers saved before the deadline were graded."), "error")
            return redirect(url_for(".exam_result"))
        if request.form.get("action") == "finish":
            db.session.refresh(attempt)
            exam.submit(attempt)
            db.session.commit()
            return redirect(url_for(".exam_result"))
        db.session.commit()
        flash(_("Your answers are saved."), "success")
        return redirect(url_for(".exam_paper"))
    graded = [s for s in attempt.slots if s.question.kind != "description"]
    return render_template(
        "recruitment/exam_paper.html",
        candidate=candidate,
        attempt=attempt,
        views=_views(attempt),
        seconds_left=scoring.seconds_left(attempt.deadline_at, clock.now()),
        questions=len(graded),
        answered=sum(1 for s in graded if s.response),
        button_form=ButtonForm(),
    )


@bp.route("/exam/paper/save", methods=["POST"])
@login_required
def exam_save():
    """Autosave (assessments.js): JSON with the time left, or 409 when the paper is over."""
    candidate = _candidate()
    attempt = _running(candidate)
    if attempt is None:
        abort(404)
    saved = exam.save(attempt.id, candidate.id, request.form)
    db.session.commit()
    if saved.closed:
        body = {"closed": True, "review": url_for(".exam_result")}
        body["message"] = _("Time is up: answers sent after the deadline were not saved.")
        return jsonify(body), 409
    return jsonify(
        saved=True,
        changed=saved.changed,
        seconds_left=scoring.seconds_left(saved.deadline_at, saved.at),
        saved_at=saved.at.isoformat() + "Z",
    )


@bp.route("/exam/result")
@login_required
def exam_result():
    """The end of the paper: the multiple-choice score, as the computer-based round shows it."""
    candidate = _candidate()
    attempt = _running(candidate)
    if attempt is None:
        return redirect(url_for(".exam_home"))
    if attempt.status == exam.IN_PROGRESS:
        if not exam.close_if_overdue(attempt):
            return redirect(url_for(".exam_paper"))
        db.session.commit()
    correct = sum(1 for s in attempt.slots if s.fraction is not None and s.fraction >= 1)
    return render_template(
        "recruitment/exam_result.html",
        candidate=candidate,
        attempt=attempt,
        out_of_ten=exam.score_out_of_ten(attempt),
        correct=correct,
    )
