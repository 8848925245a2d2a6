"""The marking pages of the council's secretary (HR officer over the recruitment's unit, or an
administrator): markers, opening and closing marking, opening the codes, results, publication
and appeals; and the marker's pages, which show a paper's code and answer only."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import HR_OFFICER
from lms.auth.permissions import has_role
from lms.common.forms import ButtonForm
from lms.common.pdf import render_pdf
from lms.common.web import client_address, commit_or_attach
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.blueprint import bp
from lms.recruitment.marking import appeals, queries, results, services
from lms.recruitment.marking.forms import AppealForm, MarkerForm
from lms.recruitment.marking.models import MarkingState
from lms.recruitment.marking.permissions import can_run_marking
from lms.recruitment.models import Candidate, Recruitment


def _recruitment(code: str) -> Recruitment:
    """The recruitment the secretary works on: 404 when unknown or outside an HR officer's
    units, 403 for anyone else."""
    recruitment = db.session.scalar(select(Recruitment).where(Recruitment.code == code))
    if recruitment is None:
        abort(404)
    if not can_run_marking(current_user, recruitment):
        abort(404 if has_role(current_user, HR_OFFICER) else 403)
    return recruitment


def _back(recruitment) -> Response:
    return redirect(url_for("recruitment.marking_overview", code=recruitment.code))


def _act(recruitment, action, success: str) -> Response:
    """Run one state-changing service on a confirmed button, commit, say how it went."""
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action()
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(recruitment)
    db.session.commit()
    flash(success, "success")
    return _back(recruitment)


@bp.route("/recruitment/<code>/marking")
@login_required
def marking_overview(code: str):
    """The marking of a recruitment: its state, the markers, the papers by code (the candidates
    behind the codes only once they are opened) and the appeals."""
    recruitment = _recruitment(code)
    marking_round = services.round_of(recruitment)
    return render_template(
        "recruitment/marking/overview.html",
        **queries.labels(),
        recruitment=recruitment,
        round=marking_round,
        markers=queries.markers(marking_round),
        papers=queries.papers_for_secretary(marking_round),
        revealed=services.at_least(marking_round, MarkingState.REVEALED),
        appeals=appeals.open_appeals(marking_round),
        deadline=appeals.deadline(recruitment),
        marker_form=MarkerForm(),
        appeal_form=AppealForm(),
        button=ButtonForm(),
    )


@bp.route("/recruitment/<code>/marking/markers", methods=["POST"])
@login_required
def marking_appoint(code: str):
    """Appoint a marker by username."""
    recruitment = _recruitment(code)
    form = MarkerForm()
    if form.validate_on_submit():
        ok, _marker = commit_or_attach(
            form, lambda: services.appoint_marker(recruitment, form.username.data, current_user)
        )
        if ok:
            flash(_("Marker appointed."), "success")
            return _back(recruitment)
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    return _back(recruitment)


@bp.route("/recruitment/<code>/marking/open", methods=["POST"])
@login_required
def marking_open(code: str):
    """Open the marking: codes and two markers per paper."""
    recruitment = _recruitment(code)
    return _act(
        recruitment,
        lambda: services.open_marking(recruitment, current_user),
        _("Marking opened: each paper has its code and two markers."),
    )


@bp.route("/recruitment/<code>/marking/close", methods=["POST"])
@login_required
def marking_close(code: str):
    """Close the marking (every paper marked)."""
    recruitment = _recruitment(code)
    return _act(
        recruitment,
        lambda: services.close_marking(recruitment, current_user),
        _("Marking closed."),
    )


@bp.route("/recruitment/<code>/marking/reveal", methods=["POST"])
@login_required
def marking_reveal(code: str):
    """Open the codes (after marking is closed; audited)."""
    recruitment = _recruitment(code)
    return _act(
        recruitment,
        lambda: services.reveal_codes(recruitment, current_user, client_address()),
        _("The codes are open: each paper now shows its candidate."),
    )


@bp.route("/recruitment/<code>/results")
@login_required
def results_page(code: str):
    """The ranked lists per position (once the codes are opened)."""
    recruitment = _recruitment(code)
    marking_round = services.round_of(recruitment)
    revealed = services.at_least(marking_round, MarkingState.REVEALED)
    return render_template(
        "recruitment/marking/results.html",
        **queries.labels(),
        recruitment=recruitment,
        round=marking_round,
        revealed=revealed,
        rankings=results.rankings(recruitment) if revealed else [],
        button=ButtonForm(),
    )


@bp.route("/recruitment/<code>/results/publish", methods=["POST"])
@login_required
def results_publish(code: str):
    """Publish the results: the list's number and date, the look-up and the appeal window."""
    recruitment = _recruitment(code)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        results.publish(recruitment, current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Results published."), "success")
    return redirect(url_for("recruitment.results_page", code=code))


@bp.route("/recruitment/<code>/results.pdf")
@login_required
def results_pdf(code: str):
    """The published list as an administrative notice (Decree 30/2020 layout)."""
    recruitment = _recruitment(code)
    if not results.is_published(recruitment):
        abort(404)
    html = render_template(
        "recruitment/marking/results_pdf.html",
        **queries.labels(),
        recruitment=recruitment,
        head=results.published_letterhead(recruitment),
        rankings=results.rankings(recruitment),
    )
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="results-{recruitment.code}.pdf"'},
    )


@bp.route("/recruitment/<code>/appeals", methods=["POST"])
@login_required
def appeal_record(code: str):
    """Record an appeal from a candidate's letter (filed today)."""
    recruitment = _recruitment(code)
    form = AppealForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return _back(recruitment)
    candidate = db.session.scalar(
        select(Candidate).where(
            Candidate.recruitment_id == recruitment.id,
            Candidate.number == form.number.data.strip().upper(),
        )
    )
    if candidate is None:
        flash(_("No candidate of this recruitment has this number."), "error")
        return _back(recruitment)
    try:
        appeals.file_appeal(recruitment, candidate, form.reason.data, current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(recruitment)
    db.session.commit()
    flash(_("Appeal recorded."), "success")
    return _back(recruitment)
