"""The learner's side of a test: the test page of a course, starting (or resuming) an attempt,
the attempt page (saved as answers change, by fetch or by a plain POST), and the review."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.assessments import attempts, bank, kinds, retake, review, scoring
from lms.assessments.blueprint import bp
from lms.assessments.grading import active_completion
from lms.assessments.models import IN_PROGRESS, ONE_PER_PAGE, Attempt
from lms.assessments.permissions import can_manage_tests, can_see_attempt, can_take
from lms.assessments.queries import passed_unfinished
from lms.assessments.questions import DESCRIPTION
from lms.assessments.quizzes import quiz_of, terms_of
from lms.auth.permissions import require
from lms.catalog import queries
from lms.catalog.permissions import can_track_progress, can_view_course
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _


def _course_and_quiz(code: str):
    course = queries.course_by_code(code, lessons=False) or abort(404)
    positions = queries.held_position_codes(current_user.official_id, clock.today())
    state = queries.learner_state(current_user.official_id, course, positions, lessons=False)
    if not can_view_course(current_user, course, state.enrolment):
        abort(404)
    quiz = quiz_of(course) or abort(404)
    return course, quiz, state


def _may_take(course, state) -> bool:
    return can_track_progress(current_user, course, state.enrolment, state.mandatory)


@bp.route("/courses/<code>/test")
@login_required
def test_home(code: str):
    """The test of a course: its rules, the learner's attempts, and Start or Continue."""
    course, quiz, state = _course_and_quiz(code)
    official_id = current_user.official_id
    mine = attempts.attempts_of(quiz, official_id) if official_id else []
    overdue = [a for a in mine if a.status == IN_PROGRESS and attempts.close_if_overdue(a)]
    if overdue:  # submitted just now, by this visit
        db.session.commit()
    running = next((a for a in mine if a.status == IN_PROGRESS), None)
    reason = None
    if not _may_take(course, state):
        reason = _("Only officials studying this course can take its test.")
    elif running is None:
        reason = attempts.why_not_start(quiz, official_id, clock.now())
    completion = active_completion(official_id, course.id) if official_id else None
    window = retake.window(official_id, course) if official_id else None
    lessons_done = bool(state.enrolment and state.enrolment.lessons_done_at)
    passed = any(attempt.passed for attempt in mine)
    if passed and not completion and not lessons_done:  # which lessons are left, and links
        unfinished = passed_unfinished(official_id, course.id)
    else:
        unfinished = []
    staff = can_manage_tests(current_user, course)
    shown = review.parts_by_attempt(quiz, official_id, mine, staff) if official_id else {}
    return render_template(
        "assessments/test_home.html",
        shown=shown,
        course=course,
        quiz=quiz,
        attempts=mine,
        running=running,
        reason=reason,
        terms=terms_of(quiz, official_id),
        left=attempts.attempts_left(quiz, official_id) if official_id else None,
        completion=completion,
        window=window,
        unfinished=unfinished,
        can_manage=staff,
    )


@bp.route("/courses/<code>/test/start", methods=["POST"])
@login_required
def test_start(code: str):
    """Start an attempt (or go back to the one in progress)."""
    course, quiz, state = _course_and_quiz(code)
    require(_may_take(course, state))
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".test_home", code=course.code))
    try:
        attempt = attempts.start_attempt(quiz, current_user.official_id)
    except RuleViolation as error:
        db.session.commit()  # an overdue attempt closed on the way stays closed
        flash(error.message, "error")
        return redirect(url_for(".test_home", code=course.code))
    db.session.commit()
    return redirect(url_for(".attempt_page", attempt_id=attempt.id))


def _load(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    if not can_see_attempt(current_user, attempt):
        abort(404)
    return attempt


def _page_of(attempt: Attempt) -> tuple[list, int, int]:
    slots = attempt.slots
    if attempt.quiz.layout != ONE_PER_PAGE or not slots:
        return slots, 1, 1
    raw = request.values.get("page", "1")
    page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1
    page = min(max(page, 1), len(slots))
    return [slots[page - 1]], page, len(slots)


def _views(slots):
    views = []
    for slot in slots:
        question = bank.to_question(slot.question)
        view = kinds.kind_of(question).view(question, slot.shown or {}, slot.response)
        views.append((slot, question, view))
    return views


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt_page(attempt_id: int):
    """The attempt: questions with the saved answers, the time left by the server's clock.
    A POST saves the page's answers, then moves page or (action "finish") submits."""
    attempt = _load(attempt_id)
    to_review = redirect(url_for(".attempt_review", attempt_id=attempt.id))
    if not can_take(current_user, attempt) or attempts.close_if_overdue(attempt):
        db.session.commit()
        return to_review
    slots, page, pages = _page_of(attempt)
    if request.method == "POST":
        if not ButtonForm().validate_on_submit():
            return redirect(url_for(".attempt_page", attempt_id=attempt.id))
        saved = attempts.save_responses(attempt, request.form)
        if saved.closed:
            db.session.commit()
            flash(_("Time is up: the answers saved before the deadline were graded."), "error")
            return to_review
        action = request.form.get("action", "save")
        if action == "finish":
            attempts.submit(attempt, current_user)
            db.session.commit()
            return to_review
        db.session.commit()
        step = {"next": 1, "previous": -1}.get(action, 0)
        target = min(max(page + step, 1), pages)
        if step == 0:
            flash(_("Your answers are saved."), "success")
        return redirect(url_for(".attempt_page", attempt_id=attempt.id, page=target))
    graded = _graded(attempt.slots)
    on_page = {slot.id for slot in slots}
    return render_template(
        "assessments/attempt.html",
        attempt=attempt,
        quiz=attempt.quiz,
        course=attempt.quiz.course,
        views=_views(slots),
        page=page,
        pages=pages,
        seconds_left=scoring.seconds_left(attempt.deadline_at, clock.now()),
        questions=len(graded),
        answered=sum(1 for slot in graded if slot.response),
        answered_elsewhere=sum(1 for s in graded if s.response and s.id not in on_page),
    )


def _graded(slots) -> list:
    """The slots that ask something: an information item (description) is never "answered",
    so the counter and the submit confirmation leave it out."""
    return [slot for slot in slots if slot.question.kind != DESCRIPTION]


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
def attempt_save(attempt_id: int):
    """Autosave (fetch from assessments.js): store the page's answers; JSON with the time
    left, or 409 when the attempt is over (answers after the deadline are refused).
    The request test takers send most, so it works on rows (attempts.autosave), not on the
    attempt's objects."""
    official_id = current_user.official_id
    saved = attempts.autosave(attempt_id, official_id, request.form) if official_id else None
    if saved is None:  # not a running attempt of this official: the full answer
        attempt = _load(attempt_id)
        require(can_take(current_user, attempt))  # 404, or 403 to those who may only see it
        saved = attempts.save_responses(attempt, request.form)
    db.session.commit()
    if saved.closed:
        body = {"closed": True, "review": url_for(".attempt_review", attempt_id=attempt_id)}
        body["message"] = _("Time is up: answers sent after the deadline were not saved.")
        return jsonify(body), 409
    return jsonify(
        saved=True,
        changed=saved.changed,
        seconds_left=scoring.seconds_left(saved.deadline_at, saved.at),
        saved_at=saved.at.isoformat() + "Z",
    )


@bp.route("/attempts/<int:attempt_id>/state")
@login_required
def attempt_state(attempt_id: int):
    """The attempt's status and time left (JSON, no answer key), for the countdown."""
    attempt = _load(attempt_id)
    require(can_take(current_user, attempt))
    if attempts.close_if_overdue(attempt):
        db.session.commit()
    return jsonify(
        status=attempt.status,
        seconds_left=scoring.seconds_left(attempt.deadline_at, clock.now()),
        answered=sum(1 for slot in _graded(attempt.slots) if slot.response),
        questions=len(_graded(attempt.slots)),
    )


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def attempt_review(attempt_id: int):
    """The result of a submitted attempt, with the parts the test's review options show at
    this moment (the course's authors see everything)."""
    attempt = _load(attempt_id)
    if attempt.status == IN_PROGRESS:
        if not attempts.close_if_overdue(attempt):
            return redirect(url_for(".attempt_page", attempt_id=attempt.id))
        db.session.commit()
    staff = can_manage_tests(current_user, attempt.quiz.course)
    parts = review.visible_parts(attempt, staff)
    mine = attempt.official_id == current_user.official_id
    return render_template(
        "assessments/review.html",
        attempt=attempt,
        quiz=attempt.quiz,
        course=attempt.quiz.course,
        details=review.details(attempt, parts),
        review=parts,
        correctness_label=review.correctness_label,
        answers_later=review.answers_later(attempt, parts),
        unfinished=passed_unfinished(attempt.official_id, attempt.quiz.course_id)
        if mine and attempt.passed
        else [],
    )
