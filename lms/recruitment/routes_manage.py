"""The staff pages of recruitment exams (/manage/recruitment…): the recruitments of one's units,
a recruitment's positions, rooms, sessions and candidates, a session's seat list and admission
cards, and the invigilator's page (who is in, incidents with added time)."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.pdf import qr_data_uri, render_pdf
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import exam, queries, results_log, rooms, services
from lms.recruitment.blueprint import bp
from lms.recruitment.forms import IncidentForm
from lms.recruitment.models import ExamSession, Recruitment, SeatAssignment
from lms.recruitment.permissions import can_invigilate, can_run_recruitments, invigilates_any, runs


def _recruitment(code: str) -> Recruitment:
    """The recruitment `code` if the user runs it; 404 otherwise (403 for who runs none)."""
    if not can_run_recruitments(current_user):
        abort(403)
    item = queries.recruitment_by_code(code)
    if item is None or not runs(current_user, item):
        abort(404)
    return item


def _session(session_id: int, invigilating: bool = False) -> ExamSession:
    """The session if the user runs its recruitment (or, `invigilating`, supervises it)."""
    session = db.session.get(ExamSession, session_id)
    allowed = can_invigilate if invigilating else (lambda u, s: runs(u, s.recruitment))
    if session is None or not allowed(current_user, session):
        if not (can_run_recruitments(current_user) or invigilates_any(current_user)):
            abort(403)
        abort(404)
    return session


@bp.route("/manage/recruitment/")
@login_required
def manage_list():
    """The recruitments of the user's units, and the sessions they invigilate."""
    if not (can_run_recruitments(current_user) or invigilates_any(current_user)):
        abort(403)
    return render_template(
        "recruitment/manage_list.html",
        recruitments=queries.recruitments_run_by(current_user),
        sessions=queries.sessions_invigilated_by(current_user.id),
        can_create=can_run_recruitments(current_user),
    )


@bp.route("/manage/recruitment/<code>")
@login_required
def recruitment_page(code: str):
    """A recruitment: positions and quotas, rooms, sessions, candidates by position, and whether
    its results log verifies."""
    item = _recruitment(code)
    sessions = queries.sessions_of(item.id)
    return render_template(
        "recruitment/recruitment.html",
        recruitment=item,
        counts=queries.candidates_per_position(item.id),
        sessions=sessions,
        rooms=queries.rooms_of(item.id),
        used_rooms={s.room_id for s in sessions},
        problems=results_log.verify(item.id),
        today=clock.today(),
        form=ButtonForm(),
    )


@bp.route("/manage/recruitment/<code>/candidates")
@login_required
def candidates(code: str):
    """The recruitment's candidates, by candidate number."""
    item = _recruitment(code)
    return render_template(
        "recruitment/candidates.html", recruitment=item, candidates=queries.candidates_of(item.id)
    )


@bp.route("/manage/recruitment/sessions/<int:session_id>")
@login_required
def session_page(session_id: int):
    """A session: its window, code, networks and paper, and the seat list."""
    session = _session(session_id)
    return render_template(
        "recruitment/session.html",
        session=session,
        seats=queries.seat_list(session.id),
        unseated=queries.unseated_count(session),
        removable=not rooms.is_locked(session),
        form=ButtonForm(),
    )


@bp.route("/manage/recruitment/sessions/<int:session_id>/seat", methods=["POST"])
@login_required
def seat_all(session_id: int):
    """Seat the recruitment's candidates who have no seat in a session of this round yet."""
    session = _session(session_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        seated = services.seat_candidates(session, queries.unseated(session), current_user)
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.reasons[0][1], "error")
        return redirect(url_for(".session_page", session_id=session.id))
    db.session.commit()
    flash(_("%(num)d candidates seated.", num=seated), "success")
    return redirect(url_for(".session_page", session_id=session.id))


@bp.route("/manage/recruitment/sessions/<int:session_id>/cards.pdf")
@login_required
def admission_cards(session_id: int):
    """The admission cards of the session's candidates (one per page, with a QR code of the
    candidate number)."""
    session = _session(session_id)
    seats = queries.seat_list(session.id)
    html = render_template(
        "recruitment/cards_pdf.html",
        session=session,
        seats=seats,
        qr={seat.id: qr_data_uri(seat.candidate.number) for seat in seats},
        today=clock.today(),
    )
    response = make_response(render_pdf(html))
    response.headers["Content-Type"] = "application/pdf"
    name = f"the-du-thi-{session.recruitment.code}-{session.id}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/manage/recruitment/sessions/<int:session_id>/invigilate")
@login_required
def invigilate(session_id: int):
    """The invigilator's page: the session code to announce, who has started or submitted, the
    time left of each, the incidents so far, and the incident form."""
    session = _session(session_id, invigilating=True)
    return render_template(
        "recruitment/invigilate.html",
        session=session,
        rows=queries.room_state(session),
        incidents=queries.incidents_of(session.id),
        form=IncidentForm(),
        now=clock.now(),
    )


@bp.route("/manage/recruitment/sessions/<int:session_id>/incidents", methods=["POST"])
@login_required
def record_incident(session_id: int):
    """Record an incident for a seat, with minutes added to that candidate's time."""
    session = _session(session_id, invigilating=True)
    form = IncidentForm()
    back = redirect(url_for(".invigilate", session_id=session.id))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
        return back
    seat = db.session.scalar(
        select(SeatAssignment).where(
            SeatAssignment.session_id == session.id, SeatAssignment.seat == form.seat.data
        )
    )
    if seat is None:
        flash(_("No candidate sits at that seat."), "error")
        return back
    try:
        exam.add_time(seat, form.minutes.data or 0, form.note.data, current_user)
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.reasons[0][1], "error")
        return back
    db.session.commit()
    flash(_("The incident is recorded."), "success")
    return back
