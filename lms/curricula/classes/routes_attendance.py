"""Attendance screens: a session's tick list and its QR code for the room (the training
manager, or the session's own trainer when they are one of our officials), and the official's
check-in page the QR code opens (/me/classes/checkin/<code>, login needed)."""

import base64
import io

import qrcode
import qrcode.image.svg
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach
from lms.curricula.blueprint import bp
from lms.curricula.classes import attendance, results, rules
from lms.curricula.classes import services as classes
from lms.curricula.classes.forms import AttendanceForm, DecideForm
from lms.curricula.classes.models import AttendanceMark, ClassSession
from lms.curricula.classes.routes_manage import _load
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _


def _staff_session(class_id: int, session_id: int) -> ClassSession:
    """The session for its own trainer (an internal official), else for a training manager of
    the class's units (403/404 as the class pages)."""
    session = db.session.get(ClassSession, session_id)
    trainer = session.trainer if session is not None else None
    own = (
        trainer is not None
        and trainer.official_id is not None
        and trainer.official_id == current_user.official_id
        and session.class_id == class_id
    )
    if not own:
        klass = _load(class_id)
        if session is None or session.class_id != klass.id:
            abort(404)
    return session


def _member_id(entry) -> int | None:
    value = str(entry.member_id.data or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def session_attendance(class_id: int, session_id: int):
    """The session's tick list: present, late, excused or absent for each official."""
    session = _staff_session(class_id, session_id)
    klass = session.training_class
    members = classes.roster(klass)
    current = attendance.marks(session)
    form = AttendanceForm()
    if request.method == "GET":
        for member in members:
            row = current.get(member.id)
            form.rows.append_entry({"member_id": member.id, "mark": row.mark if row else ""})
    if form.validate_on_submit():
        given = {_member_id(entry): entry.mark.data or None for entry in form.rows}
        if None in given:
            form.form_errors.append(_("A line of the form is not on this roster."))
        else:
            saved, changed = commit_or_attach(
                form, lambda: attendance.record_marks(session, given, current_user)
            )
            if saved:
                flash(_("Attendance saved: %(n)d changed.", n=changed), "success")
                return redirect(request.path)
    by_id = {m.id: m for m in members}
    lines = [(entry, by_id.get(_member_id(entry)), current) for entry in form.rows]
    status = 422 if request.method == "POST" else 200
    return render_template(
        "curricula/classes_attendance.html",
        klass=klass,
        session=session,
        form=form,
        lines=lines,
        marks=current,
    ), status


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/qr")
@login_required
def session_qr(class_id: int, session_id: int):
    """The QR code to show in the room: officials scan it to check in during the session."""
    session = _staff_session(class_id, session_id)
    link = url_for(".class_checkin", code=attendance.checkin_code(session), _external=True)
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    return render_template(
        "curricula/classes_qr.html",
        klass=session.training_class,
        session=session,
        qr=data_uri,
        link=link,
        window=attendance.window_text(session),
    )


def _checkin_target(code: str):
    """(session, member) a code and the logged-in official name; 404 for a bad code or an
    official without a place in that class."""
    require(current_user.official_id is not None)
    session = attendance.session_of_code(code)
    if session is None:
        abort(404)
    member = attendance.enrolled_member(session, current_user.official_id)
    if member is None:
        abort(404)
    return session, member


@bp.route("/me/classes/checkin/<code>", methods=["GET", "POST"])
@login_required
def class_checkin(code: str):
    """Check in to a session with the code of the room's QR; refused outside its window."""
    session, member = _checkin_target(code)
    form = ButtonForm()
    done = attendance.marks(session).get(member.id)
    error = None
    now = attendance.local_now()
    in_window = rules.in_checkin_window(
        now, session.starts_at, session.ends_at, attendance.margin()
    )
    if not in_window:
        error = _(
            "This code is accepted only during the session (%(window)s). Ask the trainer to "
            "mark your attendance.",
            window=attendance.window_text(session),
        )
    if request.method == "POST" and form.validate_on_submit():
        try:
            done = attendance.check_in(session, member, current_user)
        except RuleViolation as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            flash(
                _("You are checked in: %(mark)s.", mark=AttendanceMark.text_of(done.mark)),
                "success",
            )
            return redirect(request.path)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "curricula/classes_checkin.html",
        klass=session.training_class,
        session=session,
        form=form,
        done=done,
        error=error,
    ), status


@bp.route("/classes/<int:class_id>/results/decide", methods=["POST"])
@login_required
def class_results_decide(class_id: int):
    """Decide every undecided result from the attendance rule (and a minimum score if given):
    passes write credits and request certificates."""
    klass = _load(class_id)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            decision = results.decide_results(klass, current_user, form.min_score.data)
        except (RuleViolation, ValidationFailed) as error:
            db.session.rollback()
            reasons = getattr(error, "reasons", [(None, error.message)])
            for _field, message in reasons:
                flash(message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Results decided: %(passed)d passed (credits written, certificates "
                    "requested), %(failed)d failed.",
                    passed=decision.passed,
                    failed=decision.failed,
                ),
                "success",
            )
            if decision.undecided:
                names = ", ".join(decision.undecided)
                flash(_("No score yet, left undecided: %(names)s.", names=names), "warning")
            if decision.waiting_test:
                names = ", ".join(decision.waiting_test)
                flash(
                    _(
                        "Attendance met but the final test not passed yet (not taken, running "
                        "or awaiting a grader), left undecided: %(names)s.",
                        names=names,
                    ),
                    "warning",
                )
    return redirect(url_for(".class_results", class_id=klass.id))
