"""The performance-review view: a reviewer reads, for each official they rate (their scope),
the training statement of the cycle and the certificates; a unit's statements print as PDF."""

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER
from lms.auth.permissions import has_role, path_in_scope, require, scope_paths
from lms.common import clock
from lms.common.pagination import paginate
from lms.common.pdf import render_pdf
from lms.common.web import page_number
from lms.compliance import bp, queries, statements
from lms.curricula import ledger
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.organisation.queries import official_in_scope

PDF_LIMIT = 3000  # one unit's statements; larger scopes use the export


def can_review(user) -> bool:
    """Reviewers, HR officers and administrators read statements (in their scope)."""
    return has_role(user, REVIEWER, HR_OFFICER, ADMINISTRATOR)


def _scope():
    return scope_paths(current_user, REVIEWER, HR_OFFICER)


def _cycle(required: bool = True):
    """The cycle named by `?cycle=YYYY` (default the latest) and the day its figures are for;
    404 for an unknown year (or, when `required`, when there is no cycle at all)."""
    year = request.args.get("cycle", "", type=str)
    cycle = queries.cycle_by_year(int(year) if year.isdigit() and len(year) == 4 else None)
    if cycle is None:
        if required or year:
            abort(404)
        return None, None
    return cycle, min(clock.today(), cycle.ends_on)


@bp.route("/reviews/")
@login_required
def review_list():
    """Officials of the reviewer's scope with their statement's headline for the cycle."""
    require(can_review(current_user))
    cycle, as_of = _cycle(required=False)
    if cycle is None:
        return render_template("compliance/no_cycle.html")
    filters = queries.Filters.from_args(request.args)
    if filters.unit_code:
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == filters.unit_code))
        if unit is None or not path_in_scope(unit.path, _scope()):
            abort(404)
    sub = queries.filtered(cycle, as_of, _scope(), filters)
    page = paginate(
        select(sub).order_by(sub.c.sort_name, sub.c.official_id), page_number(), 50, scalars=False
    )
    return render_template(
        "compliance/reviews.html", cycle=cycle, page=page, filters=filters, cycles=queries.cycles()
    )


@bp.route("/reviews/<employee_code>")
@login_required
def review_detail(employee_code: str):
    """One official's statement, certificates and credit entries for the cycle."""
    require(can_review(current_user))
    official = official_in_scope(employee_code, _scope()) or abort(404)
    cycle, as_of = _cycle()
    statement = statements.statement_for(official.id, cycle, as_of)
    entries = ledger.entries(official.id, cycle.id)
    return render_template(
        "compliance/review_detail.html",
        official=official,
        cycle=cycle,
        statement=statement,
        entries=entries,
        flag_not_met=current_app.config.get("LMS_REVIEW_FLAG_NOT_MET", True),
    )


@bp.route("/reviews/units/<code>.pdf")
@login_required
def review_unit_pdf(code: str):
    """The statements of a unit's subtree for the cycle, printable (A4, embedded font)."""
    require(can_review(current_user))
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or not path_in_scope(unit.path, _scope()):
        abort(404)
    cycle, as_of = _cycle()
    sub = queries.filtered(cycle, as_of, [unit.path], queries.Filters())
    rows = db.session.execute(
        select(sub).order_by(sub.c.sort_name, sub.c.official_id).limit(PDF_LIMIT + 1)
    ).all()
    if len(rows) > PDF_LIMIT:
        abort(413)
    html = render_template(
        "compliance/review_unit_pdf.html", unit=unit, cycle=cycle, rows=rows, as_of=as_of
    )
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="statements-{code}-{cycle.year}.pdf"'},
    )
