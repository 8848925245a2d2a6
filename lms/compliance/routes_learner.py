"""`/me`: "My training" — an official's target and earned credits this cycle, mandatory courses
with due dates and warnings, the cycle's ledger with its sources, and earlier cycles."""

from collections.abc import Callable

from flask import render_template
from flask_login import current_user, login_required

from lms.assessments.queries import passed_unfinished
from lms.common import clock
from lms.compliance.blueprint import bp
from lms.compliance.my_training import my_training
from lms.compliance.ratings import assigned_for
from lms.curricula.classes.enrolment import upcoming_places
from lms.curricula.obligations.queries import months_summary
from lms.programmes.requirements import my_programmes

# What other domains add to /me: (partial template, func(official_id) → items; the partial
# gets them as `items`). lms.assessments adds the courses whose test is passed while lessons are
# left; later domains append theirs when their blueprint is registered (lms.teams: the courses
# the official's head nominated them to); lms.programmes (earlier, so named here) the programmes
# required of the official (sets done, next, due date); lms.curricula the official's upcoming
# classes with their invitations; lms.compliance itself the courses assigned after the
# official's annual rating (with the rating as the reason).
ME_NOTES: list[tuple[str, Callable[[int], list]]] = [
    ("curricula/_me_classes.html", lambda official_id: upcoming_places(official_id, clock.today())),
    ("assessments/_unfinished.html", passed_unfinished),
    ("programmes/_me.html", my_programmes),
    ("compliance/_me_ratings.html", assigned_for),
]


@bp.route("/me")
@login_required
def me():
    """The official's own training; anyone without an official record gets a short page."""
    official = current_user.official
    if official is None:
        return render_template("compliance/me_no_official.html")
    data = my_training(official, clock.today())
    notes = [(partial, found) for partial, func in ME_NOTES if (found := func(official.id))]
    months = None
    if data.cycle is not None:  # months in post, on leave, counted; "not rated" (issue 21)
        months = {"year": data.cycle.year, **months_summary(official, data.cycle)._asdict()}
    return render_template(
        "compliance/me.html",
        data=data,
        notes=notes,
        months=months,
    )
