"""The marker's pages: the papers given to them (codes only) and one paper's answer with the
form for their mark. Nothing here names a candidate or shows another marker's mark."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.common.web import commit_or_attach
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.blueprint import bp
from lms.recruitment.marking import queries, services
from lms.recruitment.marking.forms import MarkForm
from lms.recruitment.marking.models import Mark
from lms.recruitment.marking.permissions import has_marking_work

NO_STORE = {"Cache-Control": "private, no-store"}


@bp.route("/marking/")
@login_required
def marker_home():
    """The papers given to the marker: to mark first, then marked."""
    require(has_marking_work(current_user))
    tasks = queries.marker_tasks(current_user)
    return (
        render_template("recruitment/marking/marker_home.html", **queries.labels(), tasks=tasks),
        200,
        NO_STORE,
    )


@bp.route("/marking/<int:mark_id>", methods=["GET", "POST"])
@login_required
def marker_paper(mark_id: int):
    """One paper under its code: the answer, and the marker's own mark (a form until given)."""
    require(has_marking_work(current_user))
    task = queries.marker_task(current_user, mark_id) or abort(404)
    form = MarkForm()
    if form.validate_on_submit():
        if not task.can_submit:
            flash(_("This mark can no longer be changed."), "error")
            return redirect(url_for("recruitment.marker_paper", mark_id=mark_id))
        mark = db.session.get(Mark, mark_id)
        try:
            ok, _paper = commit_or_attach(
                form,
                lambda: services.submit_mark(mark, form.mark.data, form.note.data, current_user),
            )
        except RuleViolation as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("recruitment.marker_paper", mark_id=mark_id))
        if ok:
            flash(_("Mark submitted for paper %(code)s.", code=task.code), "success")
            return redirect(url_for("recruitment.marker_home"))
    return (
        render_template(
            "recruitment/marking/marker_paper.html", **queries.labels(), task=task, form=form
        ),
        200,
        NO_STORE,
    )
