"""The candidate's results page (/exam/results): once the results are published, their written
mark, total and standing, and for each marked part of the written round the "Xin phúc khảo"
form until the appeal deadline (one appeal per part), then the appeal's outcome. A candidate
account opens it (permissions.CANDIDATE_ALLOWS); every other account gets 404."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.blueprint import bp
from lms.recruitment.marking import appeals, queries, results, rules
from lms.recruitment.marking.forms import CandidateAppealForm
from lms.recruitment.marking.rounds import round_of
from lms.recruitment.models import Candidate
from lms.recruitment.permissions import is_candidate

NO_STORE = {"Cache-Control": "private, no-store"}


def _candidate() -> Candidate:
    """The signed-in candidate's record; 404 for any other account."""
    if not is_candidate(current_user):
        abort(404)
    candidate = db.session.scalar(select(Candidate).where(Candidate.user_id == current_user.id))
    return candidate or abort(404)


@bp.route("/exam/results")
@login_required
def candidate_results():
    """The candidate's published result and their appeals."""
    candidate = _candidate()
    recruitment = candidate.recruitment
    published = results.is_published(recruitment)
    found = results.lookup(recruitment, candidate.number, candidate.born_on) if published else None
    paper = appeals.paper_of(recruitment, candidate) if published else None
    appeal = appeals.appeal_of(paper) if paper is not None else None
    marking_round = round_of(recruitment)
    deadline = appeals.deadline(recruitment)
    may_appeal = (
        paper is not None
        and paper.mark is not None
        and appeal is None
        and rules.may_appeal(marking_round.published_on, clock.today(), recruitment.appeal_days)
    )
    return (
        render_template(
            "recruitment/marking/candidate_results.html",
            **queries.labels(),
            candidate=candidate,
            published=published,
            found=found,
            paper=paper,
            appeal=appeal,
            deadline=deadline,
            may_appeal=may_appeal,
            maximum=marking_round.maximum if marking_round else None,
            form=CandidateAppealForm(),
        ),
        200,
        NO_STORE,
    )


@bp.route("/exam/results/appeal/<int:paper_id>", methods=["POST"])
@login_required
def candidate_appeal(paper_id: int):
    """File the candidate's own appeal of their paper `paper_id` (404 when not theirs)."""
    candidate = _candidate()
    paper = appeals.paper_of(candidate.recruitment, candidate)
    if paper is None or paper.id != paper_id:
        abort(404)
    form = CandidateAppealForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("recruitment.candidate_results"))
    try:
        appeals.file_appeal(
            candidate.recruitment, candidate, form.reason.data, current_user, online=True
        )
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("recruitment.candidate_results"))
    db.session.commit()
    flash(_("Your appeal is filed. You will be told the outcome of the re-marking."), "success")
    return redirect(url_for("recruitment.candidate_results"))
