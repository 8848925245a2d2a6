"""The performance-review view: a reviewer reads, for each official they rate (their scope),
the training statement of the cycle — each mandatory course with its due date and state, the
certificates as links — on the page or as a PDF; a unit's statements print as one PDF."""

from dataclasses import replace

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.audit import reads
from lms.auth.models import HR_OFFICER, REVIEWER
from lms.auth.permissions import path_in_scope, require, scope_paths
from lms.certificates import documents
from lms.certificates import queries as certificate_queries
from lms.certificates.services import status_of
from lms.common import clock
from lms.common.pagination import paginate
from lms.common.pdf import render_pdf
from lms.common.web import client_address, page_number
from lms.compliance import documents as letters
from lms.compliance import months, queries, snapshots, statements
from lms.compliance.blueprint import bp
from lms.compliance.models import FINAL, LIVE, REVIEW
from lms.compliance.permissions import can_review
from lms.curricula.ledger import services as ledger
from lms.extensions import db
from lms.organisation.queries import official_in_scope, unit_by_code

KINDS = (FINAL, REVIEW, LIVE)
PDF_LIMIT = 3000  # one unit's statements; larger scopes use the export


def _scope():
    return scope_paths(current_user, REVIEWER, HR_OFFICER)


def _cycle(required: bool = True):
    """The cycle named by `?cycle=YYYY` (default the latest) and the day its figures are for:
    today, as in the API, so that a course due on the last day of a cycle that is over and
    not closed yet reads as owed. 404 for an unknown year (or, when `required`, when there is
    no cycle at all)."""
    year = request.args.get("cycle", "", type=str)
    cycle = queries.cycle_by_year(int(year) if year.isdigit() and len(year) == 4 else None)
    if cycle is None:
        if required or year:
            abort(404)
        return None, None
    return cycle, clock.today()


def _unit_in_scope(code: str):
    """The unit of a URL or filter (any letter case) if the viewer covers it, else 404."""
    unit = unit_by_code(code)
    if unit is None or not path_in_scope(unit.path, _scope()):
        abort(404)
    return unit


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
        filters = replace(filters, unit_code=_unit_in_scope(filters.unit_code).code)
    sub = queries.filtered(cycle, as_of, _scope(), filters)
    page = paginate(
        select(sub).order_by(sub.c.sort_name, sub.c.official_id), page_number(), 50, scalars=False
    )
    return render_template(
        "compliance/reviews.html", cycle=cycle, page=page, filters=filters, cycles=queries.cycles()
    )


def _statement_page(employee_code: str) -> dict:
    """What an official's statement shows (page and PDF alike), or 404 outside the scope."""
    require(can_review(current_user))
    official = official_in_scope(employee_code, _scope()) or abort(404)
    cycle, as_of = _cycle()
    kind = request.args.get("kind", "", type=str)
    if kind not in KINDS:
        kind = None
    statement = statements.statement_for(official.id, cycle, as_of, kind)
    serials = statement["certificates"] if statement else []
    base_url = documents.public_base_url()
    certificates = [
        (c, status_of(c), documents.verify_url(c.verification_code, base_url))
        for c in certificate_queries.by_serials(official.id, serials)
    ]
    return {
        "official": official,
        "cycle": cycle,
        "as_of": as_of,
        "statement": statement,
        "kind": kind,
        "reviews": statements.review_dates(official.id, cycle),
        "has_final": statements.frozen_statement(official.id, cycle, FINAL) is not None,
        "certificates": certificates,
        "entries": ledger.entries(official.id, cycle.id),
        "flag_not_met": current_app.config.get("LMS_REVIEW_FLAG_NOT_MET", True),
        "not_rated_under": months.threshold(),
    }


def _read(shown: dict, fmt: str | None = None) -> None:
    """Audit a statement read by someone else (flushed; the view commits once rendered)."""
    reads.record_view(
        current_user,
        "statement.viewed",
        shown["official"],
        client_address(),
        cycle=shown["cycle"].year,
        via="web",
        format=fmt,
    )


@bp.route("/reviews/<employee_code>")
@login_required
def review_detail(employee_code: str):
    """One official's statement (mandatory courses with due dates and states, certificates as
    links) and credit entries for the cycle (the read is audited)."""
    shown = _statement_page(employee_code)
    _read(shown)
    page = render_template("compliance/review_detail.html", **shown)
    db.session.commit()  # the read is logged; after rendering, as the commit expires the rows
    return page


def _unit_path(statement: dict) -> str:
    """The path of a statement's unit (its code as frozen), for the letterhead; "" if gone."""
    unit = unit_by_code(statement["unit"]["code"])
    return unit.path if unit is not None else ""


@bp.route("/reviews/<employee_code>.pdf")
@login_required
def review_pdf(employee_code: str):
    """One official's statement as a PDF (A4, embedded font), scoped like the page (the read is
    audited)."""
    shown = _statement_page(employee_code)
    statement = shown["statement"]
    frozen_on = statement["closed_at"] if statement else None
    head = letters.letterhead(
        _unit_path(statement) if statement else "",
        statement["number"] if statement else None,
        frozen_on.date() if frozen_on else shown["as_of"],
    )
    html = render_template("compliance/review_pdf.html", head=head, **shown)
    name = f"statement-{shown['official'].employee_code}-{shown['cycle'].year}.pdf"
    _read(shown, "pdf")
    db.session.commit()
    return Response(
        letters.signed(render_pdf(html), head, shown["official"].employee_code),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@bp.route("/reviews/units/<code>.pdf")
@login_required
def review_unit_pdf(code: str):
    """The statements of a unit's subtree for the cycle, printable (A4 landscape, embedded
    font, Decree 30/2020 layout): `?kind=review` the latest review snapshot's, else the final
    ones where the cycle is closed and the live figures elsewhere."""
    require(can_review(current_user))
    unit = _unit_in_scope(code)
    cycle, as_of = _cycle()
    kind = LIVE
    if request.args.get("kind") == REVIEW:
        kind = REVIEW
        as_of, rows = snapshots.review_rows(cycle, unit, PDF_LIMIT)
        if as_of is None:
            abort(404)
    else:
        sub = queries.filtered(cycle, as_of, [unit.path], queries.Filters())
        found = db.session.execute(
            select(sub).order_by(sub.c.sort_name, sub.c.official_id).limit(PDF_LIMIT + 1)
        ).all()
        rows = [row._asdict() for row in found]
        worked = months.months_for([row["official_id"] for row in rows], cycle)
        for row in rows:
            row.update(worked[row["official_id"]].as_columns())
        if rows and all(row["closed_at"] for row in rows):
            kind, as_of = FINAL, cycle.ends_on
    if len(rows) > PDF_LIMIT:
        abort(413)
    reads.record_list(
        current_user,
        "statements.printed",
        "unit",
        unit.code,
        count=len(rows),
        scope=[unit.path],
        official_ids=[row["official_id"] for row in rows],
        address=client_address(),
        via="web",
        format="pdf",
        cycle=cycle.year,
    )
    db.session.commit()
    number = letters.unit_number(cycle, unit, kind, as_of)
    head = letters.letterhead(unit.path, number, clock.today())
    html = render_template(
        "compliance/review_unit_pdf.html",
        unit=unit,
        cycle=cycle,
        rows=rows,
        as_of=as_of,
        kind=kind,
        head=head,
        not_rated_under=months.threshold(),
    )
    return Response(
        letters.signed(render_pdf(html), head, unit.code),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="statements-{unit.code}-{cycle.year}.pdf"'
        },
    )
