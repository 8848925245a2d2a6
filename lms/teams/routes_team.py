"""The head's team page (`/team/`): their officials with target, earned, mandatory courses owed
and due dates, status and what awaits their decision; filters, an export, one official's page."""

from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.audit import reads
from lms.auth.permissions import require
from lms.common import exporter
from lms.common.web import client_address
from lms.compliance import exports
from lms.compliance import queries as compliance
from lms.compliance.forms import ExportForm
from lms.compliance.rules import STATUSES
from lms.curricula.obligations.queries import mandatory_courses
from lms.extensions import db
from lms.i18n import _, format_day
from lms.organisation.models import Official
from lms.organisation.queries import current_post_of, current_unit_paths
from lms.teams import approvals, places, team
from lms.teams.blueprint import bp
from lms.teams.permissions import can_lead_team
from lms.teams.queries import officials_in


def _cycle():
    """The cycle of ?cycle= (404 when unknown) or the latest one; None when there is none."""
    year = request.args.get("cycle", "", type=str)
    cycle = compliance.cycle_by_year(int(year) if year.isdigit() and len(year) == 4 else None)
    if cycle is None and year:
        abort(404)
    return cycle


def _team_ids(scope) -> list[int]:
    """The ids of the officials of the head's units (but the head): whose requests wait for
    them, whether or not a cycle is set up."""
    members = officials_in(scope.path_list or [])
    return [o.id for o in members if o.id != current_user.official_id]


@bp.route("/team/")
@login_required
def team_page():
    """The head's officials, sorted by given name, with the filters of the query string."""
    require(can_lead_team(current_user))
    cycle = _cycle()
    filters = team.TeamFilters.from_args(request.args)
    scope = team.head_scope()
    rows, as_of = [], None
    if cycle is not None:
        as_of = team.as_of_for(cycle)
        rows = team.team_rows(cycle, as_of, scope, current_user.official_id, filters)
    waiting = [row.official_id for row in rows if row.awaiting]
    return render_template(
        "teams/team.html",
        cycle=cycle,
        as_of=as_of,
        filters=filters,
        rows=rows,
        cycles=compliance.cycles(),
        positions=team.positions(),
        statuses=STATUSES,
        requests=approvals.awaiting_records(waiting),
        places=places.awaiting_for_team(_team_ids(scope)),
    )


@bp.route("/team/export", methods=["GET", "POST"])
@login_required
def team_export():
    """The team list (current filters) as XLSX or CSV; the reason and the count are logged."""
    require(can_lead_team(current_user))
    cycle = _cycle() or abort(404)
    filters = team.TeamFilters.from_args(request.args)
    form = ExportForm()
    if form.validate_on_submit():
        as_of = team.as_of_for(cycle)
        scope = team.head_scope()
        sub = team.team_subquery(cycle, as_of, scope, current_user.official_id, filters)
        exports.record_export(
            current_user,
            cycle,
            sub,
            scope.path_list,
            filters,
            form,
            via="team",
            address=client_address(),
        )
        db.session.commit()
        header, rows = exports.standing_rows(sub, cycle)
        export = exporter.Export(
            f"doi-ngu-{cycle.year}",
            _("Team %(year)d", year=cycle.year),
            _("My team, cycle %(year)d, as of %(day)s", year=cycle.year, day=format_day(as_of)),
            header,
            rows,
        )
        return exporter.download(export, form.fmt.data)
    return render_template("teams/export.html", form=form, cycle=cycle, filters=filters)


def team_member(employee_code: str) -> Official:
    """The official of the head's team with this code; 404 for anyone else (another unit's
    official, the head themselves, an unknown code)."""
    official = db.session.scalar(select(Official).where(Official.employee_code == employee_code))
    if official is None or official.id == current_user.official_id:
        abort(404)
    path = current_unit_paths([official.id]).get(official.id)
    if path is None or not team.head_scope().covers_unit(path):
        abort(404)
    return official


@bp.route("/team/<employee_code>")
@login_required
def member(employee_code: str):
    """One official of the team: post, the cycle's figures, mandatory courses with due dates."""
    require(can_lead_team(current_user))
    official = team_member(employee_code)
    cycle = _cycle()
    row, courses = None, []
    if cycle is not None:
        as_of = team.as_of_for(cycle)
        sub = team.team_subquery(
            cycle, as_of, team.head_scope(), current_user.official_id, team.TeamFilters()
        )
        row = db.session.execute(select(sub).where(sub.c.official_id == official.id)).first()
        courses = mandatory_courses([official.id], cycle.id).get(official.id, [])
    reads.record_view(current_user, "official.viewed", official, client_address(), via="team")
    db.session.commit()
    return render_template(
        "teams/member.html",
        official=official,
        post=current_post_of(official.id),
        cycle=cycle,
        row=row,
        courses=courses,
        cycles=compliance.cycles(),
    )
