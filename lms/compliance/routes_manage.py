"""Compliance pages: the dashboard over the viewer's scope, the list of officials with what they
still owe, exports, closing and re-opening a cycle, review snapshots."""

from dataclasses import replace

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import HR_OFFICER, REVIEWER
from lms.auth.permissions import is_admin, path_in_scope, require, scope_paths
from lms.common import clock, exporter
from lms.common.pagination import paginate
from lms.common.web import client_address, commit_or_attach, page_number
from lms.compliance import exports, queries, snapshots, statements
from lms.compliance.blueprint import bp
from lms.compliance.forms import CloseForm, ExportForm, ReviewForm
from lms.compliance.permissions import can_close, can_view_compliance
from lms.compliance.programme_counts import open_programmes
from lms.compliance.rules import LIVE_STATUSES, STATUSES
from lms.curricula.obligations.models import OPEN
from lms.curricula.obligations.queries import mandatory_courses
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _, format_day
from lms.organisation.models import OrgUnit, Position, Rank
from lms.organisation.queries import (
    export_unit,
    narrowed_scope,
    unit_by_code,
    units_for_choice,
)

PER_PAGE = 50


def _scope():
    return scope_paths(current_user, HR_OFFICER, REVIEWER)


def _filters() -> queries.Filters:
    """The request's filters, the unit code spelt as stored ("?unit=snv" selects SNV)."""
    filters = queries.Filters.from_args(request.args)
    unit = unit_by_code(filters.unit_code) if filters.unit_code else None
    return replace(filters, unit_code=unit.code) if unit is not None else filters


def _context():
    """Cycle, day and filters of the request (404 for an unknown cycle year)."""
    year = request.args.get("cycle", "", type=str)
    cycle = queries.cycle_by_year(int(year) if year.isdigit() and len(year) == 4 else None)
    if cycle is None:
        if year:
            abort(404)
        return None, None, _filters()
    as_of = min(clock.today(), cycle.ends_on) if clock.today() >= cycle.starts_on else clock.today()
    return cycle, as_of, _filters()


def _unit(code: str) -> OrgUnit | None:
    """The unit of a filter or form (any letter case) if in the viewer's scope; 404 if not."""
    if not code:
        return None
    unit = unit_by_code(code)
    if unit is None or not path_in_scope(unit.path, _scope()):
        abort(404)
    return unit


def _choices():
    return {
        "units": units_for_choice(_scope()),
        "positions": list(db.session.scalars(select(Position).order_by(Position.code))),
        "ranks": list(db.session.scalars(select(Rank).order_by(Rank.code))),
        "cycles": queries.cycles(),
        "statuses": STATUSES,
    }


@bp.route("/compliance/")
@login_required
def dashboard():
    """Counts and shares by status over the scope, drill-down by unit, and by position, rank
    and gender (a fixed number of queries)."""
    require(can_view_compliance(current_user))
    cycle, as_of, filters = _context()
    if cycle is None:
        return render_template("compliance/no_cycle.html")
    root = _unit(filters.unit_code)
    sub = queries.filtered(cycle, as_of, _scope(), filters)
    totals = {status: count for status, count in queries.status_counts(sub)}
    tables = {
        "unit": _pivot(queries.by_child_unit(sub, root or _single_top()), 4),
        "position": _pivot(queries.status_counts(sub, "position_code", "position_name"), 2),
        "rank": _pivot(queries.status_counts(sub, "rank_code", "rank_name"), 2),
        "gender": _pivot(queries.status_counts(sub, "gender"), 1),
    }
    closed = statements.closure_state(cycle, root) if root else None
    return render_template(
        "compliance/dashboard.html",
        cycle=cycle,
        as_of=as_of,
        filters=filters,
        root=root,
        totals=totals,
        total=sum(totals.values()),
        tables=tables,
        closed=closed,
        shown=_shown_statuses(totals),
        **_choices(),
    )


def _single_top() -> OrgUnit | None:
    """The one unit at the top of the viewer's scope (the city for city-wide HR), whose
    sub-units the unit table then lists; None when the scope has several tops."""
    scope = _scope()
    if scope is None:
        tops = list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))))
    else:
        tops = list(db.session.scalars(select(OrgUnit).where(OrgUnit.path.in_(scope))))
    return tops[0] if len(tops) == 1 else None


def _shown_statuses(totals: dict) -> tuple:
    return STATUSES if "not_met" in totals else LIVE_STATUSES


def _pivot(rows, width: int) -> list[dict]:
    """Rows of (key…, status, count) → [{"key": (…), "counts": {status: n}, "total": n}]."""
    table: dict[tuple, dict] = {}
    for row in rows:
        key, status, count = tuple(row[:width]), row[width], row[width + 1]
        entry = table.setdefault(key, {"key": key, "counts": {}, "total": 0})
        entry["counts"][status] = count
        entry["total"] += count
    return list(table.values())


@bp.route("/compliance/officials")
@login_required
def officials():
    """The officials behind a count: status, target, earned, what they still owe."""
    require(can_view_compliance(current_user))
    cycle, as_of, filters = _context()
    if cycle is None:
        return render_template("compliance/no_cycle.html")
    _unit(filters.unit_code)
    sub = queries.filtered(cycle, as_of, _scope(), filters)
    stmt = select(sub).order_by(sub.c.sort_name, sub.c.official_id)
    page = paginate(stmt, page_number(), PER_PAGE, scalars=False)
    ids = [row.official_id for row in page.items]
    owed = _open_obligations(ids, cycle)
    return render_template(
        "compliance/officials.html",
        cycle=cycle,
        as_of=as_of,
        filters=filters,
        page=page,
        owed=owed,
        owed_programmes=open_programmes(ids, cycle, as_of),
        **_choices(),
    )


def _open_obligations(official_ids: list[int], cycle) -> dict[int, list]:
    """The mandatory courses still open of the page's officials, one per course, by official
    (one query)."""
    courses = mandatory_courses(official_ids, cycle.id) if official_ids else {}
    return {
        official_id: [course for course in items if course.status == OPEN]
        for official_id, items in courses.items()
    }


@bp.route("/compliance/export", methods=["GET", "POST"])
@login_required
def export():
    """The officials list (current filters, whole scope) as CSV or XLSX, streamed; the reason
    and the count go to the audit log."""
    require(can_view_compliance(current_user))
    cycle, as_of, filters = _context()
    if cycle is None:
        abort(404)
    _unit(filters.unit_code)
    form = ExportForm()
    if form.validate_on_submit():
        sub = queries.filtered(cycle, as_of, _scope(), filters)
        exports.record_export(
            current_user,
            cycle,
            sub,
            narrowed_scope(_scope(), filters.unit_code),
            filters,
            form,
            via="web",
            address=client_address(),
        )
        db.session.commit()
        header, rows = exports.standing_rows(sub, cycle)
        unit = export_unit(_scope(), filters.unit_code)
        export = exporter.Export(
            f"tuan-thu-{cycle.year}",
            _("Compliance %(year)d", year=cycle.year),
            _("Compliance, cycle %(year)d, as of %(day)s", year=cycle.year, day=format_day(as_of)),
            header,
            rows,
            unit_code=unit.code if unit else "",
            unit_name=unit.name if unit else "",
        )
        # The CSV is streamed: its rows are read while the response is sent, after the view
        # returned, in the request's context.
        return exporter.download(export, form.fmt.data)
    return render_template("compliance/export.html", form=form, cycle=cycle, filters=filters)


def _as_form_error(act):
    """A rule the close breaks (not ended, closed already) shown on the form, not as a 409."""

    def run():
        try:
            return act()
        except RuleViolation as error:
            raise ValidationFailed([(None, error.message)], error.code) from None

    return run


@bp.route("/compliance/cycles/<int:year>/close", methods=["GET", "POST"])
@login_required
def close(year: int):
    """Freeze the statements of a unit subtree for a finished cycle; administrators may also
    re-open a closed one with a reason."""
    require(can_close(current_user))
    cycle = queries.cycle_by_year(year) or abort(404)
    scope = scope_paths(current_user, HR_OFFICER)
    form = CloseForm()
    form.unit.choices = [("", _("Choose a unit"))] + [
        (u.code, u.name) for u in units_for_choice(scope)
    ]
    reopen = request.form.get("action") == "reopen"
    if form.validate_on_submit():
        unit = _unit(form.unit.data)
        if reopen:
            require(is_admin(current_user))

            def act():
                return statements.reopen_cycle(cycle, unit, form.reason.data, current_user)

            message = _("Cycle re-opened: %(num)s statements superseded.")
        else:

            def act():
                return statements.close_cycle(cycle, unit, current_user, clock.today())

            message = _("Cycle closed: %(num)s statements frozen.")
        ok, count = commit_or_attach(form, _as_form_error(act))
        if ok:
            flash(message % {"num": count}, "success")
            return redirect(url_for("compliance.dashboard", cycle=year, unit=unit.code))
    return render_template(
        "compliance/close.html",
        form=form,
        cycle=cycle,
        can_reopen=is_admin(current_user),
        ended=clock.today() > cycle.ends_on,
        review_from=snapshots.review_from(cycle),
    )


@bp.route("/compliance/cycles/<int:year>/review", methods=["GET", "POST"])
@login_required
def review_snapshot(year: int):
    """Freeze the review statements of a unit subtree as of a review date inside the cycle
    (from LMS_REVIEW_FROM to the cycle's last day); the same date again changes nothing."""
    require(can_close(current_user))
    cycle = queries.cycle_by_year(year) or abort(404)
    form = ReviewForm()
    form.unit.choices = [("", _("Choose a unit"))] + [
        (u.code, u.name) for u in units_for_choice(scope_paths(current_user, HR_OFFICER))
    ]
    first = snapshots.review_from(cycle)
    if request.method == "GET" and form.as_of.data is None:
        form.as_of.data = min(max(clock.today(), first), cycle.ends_on)
    if form.validate_on_submit():
        unit = _unit(form.unit.data)
        day = form.as_of.data

        def act():
            return snapshots.review_cycle(cycle, unit, current_user, day)

        ok, count = commit_or_attach(form, _as_form_error(act))
        if ok:
            flash(
                _(
                    "Review statements as of %(day)s: %(num)s frozen.",
                    day=format_day(day),
                    num=count,
                ),
                "success",
            )
            return redirect(url_for("compliance.review_list", cycle=year, unit=unit.code))
    return render_template(
        "compliance/review_snapshot.html",
        form=form,
        cycle=cycle,
        review_from=first,
    )
