"""/api/v1/attempts/<attempt_id>/review: the review of one of the caller's own submitted test
attempts, with only the parts the test's review options show at this moment (the same rule as
the review page, lms.assessments.review). Any other attempt does not exist for the caller."""

from flask import g, jsonify

from lms.api.blueprint import bp
from lms.api.responses import not_found
from lms.assessments import review
from lms.assessments.models import IN_PROGRESS, Attempt
from lms.extensions import db

MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger one names nothing


@bp.get("/attempts/<int:attempt_id>/review")
def attempt_review(attempt_id: int):
    """The caller's own attempt, as its review shows it now (hidden parts are absent)."""
    own = g.api_user.official_id
    attempt = db.session.get(Attempt, attempt_id) if 0 < attempt_id <= MAX_ID else None
    if attempt is None or own is None or attempt.official_id != own:
        raise not_found()
    if attempt.status == IN_PROGRESS:
        raise not_found()
    return jsonify(review.as_json(attempt, review.visible_parts(attempt, staff=False)))
