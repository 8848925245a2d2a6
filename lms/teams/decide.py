"""The head's decision on a request of their team — an external-training request
(routes_decisions) or a place in a class (routes_places): the request's page and the approve and
decline buttons of templates/teams/_decision.html, added to the blueprint from one description,
HeadDecisionPages."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from lms.common.web import commit_or_attach
from lms.errors import RuleViolation
from lms.extensions import db
from lms.teams.forms import DecisionForm


@dataclass(frozen=True)
class HeadDecisionPages:
    """One kind of request's pages for the head: `url` (the request, GET) with the endpoint
    `<name>_request`, and `url/approve`, `url/decline` (POST) with `<name>_approve` and
    `<name>_decline`.

    - `load(id)`: the request named in the URL (404 outside the head's team, 403 for a user who
      heads no team);
    - `page(row, form, status=200)`: the request's page with the decision form;
    - `approve`, `decline`: (act(row, reason, actor), the sentence flashed when done).
    """

    name: str
    url: str
    load: Callable
    page: Callable
    approve: tuple
    decline: tuple

    def add_to(self, bp) -> "HeadDecisionPages":
        """Add the three pages to the blueprint `bp` (each behind login_required)."""
        show = _view(f"{self.name}_request", self.show, "The request, with the head's buttons.")
        bp.add_url_rule(self.url, show.__name__, login_required(show))
        for verdict in ("approve", "decline"):
            decide = _view(
                f"{self.name}_{verdict}",
                lambda object_id, verdict=verdict: self.decide(object_id, verdict),
                f"The head's {verdict} button on the request.",
            )
            bp.add_url_rule(
                f"{self.url}/{verdict}", decide.__name__, login_required(decide), methods=["POST"]
            )
        return self

    def show(self, object_id: int):
        """One request of the head's team with the approve and decline forms."""
        return self.page(self.load(object_id), DecisionForm(formdata=None))

    def decide(self, object_id: int, verdict: str):
        """The head approves or declines (`verdict`) with a reason. Done: flash the verdict's
        sentence and go to the team page. Refused by a rule: flash why and go back to the
        request's page. An invalid form: the request's page again (422)."""
        act, done = getattr(self, verdict)
        row = self.load(object_id)
        form = DecisionForm()
        if form.validate_on_submit():
            try:
                ok, _result = commit_or_attach(
                    form, lambda: act(row, form.reason.data, current_user)
                )
            except RuleViolation as error:
                db.session.rollback()
                flash(error.message, "error")
                return redirect(url_for(f".{self.name}_request", **request.view_args))
            if ok:
                flash(str(done), "success")
                return redirect(url_for("teams.team_page"))
        return self.page(row, form, 422)


def _view(endpoint: str, page: Callable, doc: str) -> Callable:
    """A view function named `endpoint` giving the request's id in the URL to `page`."""

    def view(**ids):
        (object_id,) = ids.values()  # record_id or request_id, as the URL names it
        return page(object_id)

    view.__name__, view.__doc__ = endpoint, doc
    return view
