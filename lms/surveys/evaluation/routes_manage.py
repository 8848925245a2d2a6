"""Staff reports of training evaluation (/manage/evaluations): the groups of a questionnaire's
responses by course, class, trainer or unit over a year or a date range, one group's items with
their bars and comments, and the XLSX export — for training managers and HR officers over their
units, administrators for all. Groups under LMS_SURVEY_MIN_GROUP respondents show their count
only."""

from datetime import date

from flask import abort, render_template, request
from flask_login import current_user, login_required

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, TRAINING_MANAGER
from lms.auth.permissions import has_role, require
from lms.auth.scope import Scope
from lms.common import clock, exporter
from lms.surveys.blueprint import bp
from lms.surveys.evaluation import exports, reports

VIEWER_ROLES = (TRAINING_MANAGER, HR_OFFICER)


def can_view_evaluations(user) -> bool:
    """Training managers and HR officers (their units) and administrators (all)."""
    return has_role(user, TRAINING_MANAGER, HR_OFFICER, ADMINISTRATOR)


def _scope() -> Scope:
    return Scope.of(current_user, *VIEWER_ROLES)


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


def filters() -> dict:
    """The report's choices from the query string, each falling back to its default: subject
    (course, trainers, effectiveness), grouping (course, class, trainer, unit), and the period:
    ?from=&to= (ISO days) or ?year= (this year by default)."""
    subject = request.args.get("subject", "course")
    subject = subject if subject in reports.SUBJECTS else "course"
    by = request.args.get("by", "trainer" if subject == "trainers" else "course")
    by = by if by in reports.GROUPINGS else "course"
    text = request.args.get("year", "")
    year = int(text) if text.isdigit() and len(text) == 4 else clock.today().year
    start, end = _day("from"), _day("to")
    if start is None or end is None or end < start:
        start, end = date(year, 1, 1), date(year, 12, 31)
        ranged = False
    else:
        ranged = True
    return {
        "subject": subject,
        "by": by,
        "year": year,
        "period": reports.Period(start, end),
        "ranged": ranged,
    }


@bp.route("/manage/evaluations/")
@login_required
def evaluations():
    """The groups of the chosen questionnaire's responses, with their counts and (large enough
    groups) the mean of their Likert items."""
    require(can_view_evaluations(current_user))
    chosen = filters()
    rows = reports.groups(chosen["subject"], chosen["by"], chosen["period"], _scope())
    return render_template(
        "surveys/evaluation_reports.html",
        rows=rows,
        least=reports.min_group(),
        subjects=reports.SUBJECTS,
        groupings=reports.GROUPINGS,
        **chosen,
    )


@bp.route("/manage/evaluations/<by>/<int:key>")
@login_required
def evaluation_group(by: str, key: int):
    """One course, class, trainer or unit: responses, each item's mean and distribution, the
    comments — or only the count under the smallest group."""
    require(can_view_evaluations(current_user))
    scope = _scope()
    if by not in reports.GROUPINGS or not reports.in_scope(by, key, scope):
        abort(404)
    chosen = filters() | {"by": by}
    found = reports.groups(chosen["subject"], by, chosen["period"], scope, key=key)
    label = reports.labels(by, [key]).get(key, "")
    return render_template(
        "surveys/evaluation_group.html",
        groups=found,
        label=label,
        key=key,
        least=reports.min_group(),
        subjects=reports.SUBJECTS,
        **chosen,
    )


@bp.route("/manage/evaluations/export.xlsx")
@login_required
def evaluations_export():
    """The report's groups with their items, as XLSX (the same smallest-group rule)."""
    require(can_view_evaluations(current_user))
    chosen = filters()
    rows = reports.groups(chosen["subject"], chosen["by"], chosen["period"], _scope())
    return exporter.download(exports.groups_export(rows, chosen, reports.min_group()), "xlsx")
