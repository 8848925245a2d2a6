"""The public look-up of a published result by candidate number and date of birth: no login,
throttled per address, and one answer for every miss (wrong number, wrong date, unpublished),
so the page tells nothing about who took part. A signed-in candidate opens it too, in the
candidate's own layout (no menu of the LMS)."""

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from lms.extensions import db, limiter
from lms.recruitment.blueprint import bp
from lms.recruitment.marking import queries, results
from lms.recruitment.marking.forms import LookupForm
from lms.recruitment.models import Recruitment
from lms.recruitment.permissions import is_candidate

NO_STORE = {"Cache-Control": "private, no-store"}


def _lookup_limit() -> str:
    """LMS_RECRUITMENT_LOOKUP_RATE_LIMIT: look-ups per address (a number and a date of birth
    are guessable, so fewer than the certificate check); generous under the testing config."""
    default = "10000 per minute" if current_app.testing else "10 per minute"
    return current_app.config.get("LMS_RECRUITMENT_LOOKUP_RATE_LIMIT") or default


@bp.route("/recruitment/<code>/lookup")
@limiter.limit(_lookup_limit, scope="recruitment-lookup")
def results_lookup(code: str):
    """The form, and the candidate's result when both fields match a published result."""
    recruitment = db.session.scalar(select(Recruitment).where(Recruitment.code == code))
    if recruitment is None:
        abort(404)
    form = LookupForm(formdata=request.args)
    asked = bool(form.number.data) or bool(form.born_on.raw_data and form.born_on.raw_data[0])
    found = None
    if asked and form.validate():
        found = results.lookup(recruitment, form.number.data, form.born_on.data)
    return (
        render_template(
            "recruitment/marking/lookup.html",
            **queries.labels(),
            recruitment=recruitment,
            form=form,
            asked=asked,
            found=found,
            layout="recruitment/exam_base.html" if is_candidate(current_user) else "base.html",
        ),
        200,
        NO_STORE,
    )
