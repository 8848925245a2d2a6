"""The head's decision on a request of their team — an external-training request
(routes_decisions) or a place in a class (routes_places): one POST flow behind the approve and
decline buttons of templates/teams/_decision.html."""

from collections.abc import Callable

from flask import flash, redirect, url_for

from lms.common.web import commit_or_attach
from lms.errors import RuleViolation
from lms.extensions import db
from lms.teams.forms import DecisionForm


def head_decides(load: Callable, object_id: int, page: Callable, act: Callable, done: str, back):
    """`load(object_id)` gives the request (404 outside the head's team); `act(row, reason)`
    decides it. Done: flash `done` and go to the team page. Refused by a rule: flash why and go
    back to `back(row)`, the request's page. An invalid form: `page(row, form, 422)` again."""
    row = load(object_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            ok, _result = commit_or_attach(form, lambda: act(row, form.reason.data))
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(back(row))
        if ok:
            flash(done, "success")
            return redirect(url_for("teams.team_page"))
    return page(row, form, 422)
