"""Staff pages of the citizen satisfaction index (/manage/satisfaction): the ranking of the
units in scope with the month-by-month trend, one unit's index, items and comments, its A4
poster with the counter's QR code, and the XLSX export."""

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.certificates.documents import public_base_url
from lms.common import clock, exporter
from lms.common.pdf import qr_data_uri, render_pdf
from lms.i18n import format_day
from lms.surveys import exports, reports, satisfaction, side_by_side
from lms.surveys.blueprint import bp
from lms.surveys.permissions import can_view_satisfaction, report_scope


def _year() -> int:
    """?year=YYYY, else this year."""
    text = request.args.get("year", "")
    return int(text) if text.isdigit() and len(text) == 4 else clock.today().year


def _unit(code: str):
    """The unit if the viewer's scope covers it; 404 if not (or unknown)."""
    unit = satisfaction.public_unit(code)
    if unit is None or not report_scope(current_user).covers_unit(unit.path):
        abort(404)
    return unit


def _years(year: int) -> list[int]:
    return sorted(set(reports.years()) | {year, clock.today().year}, reverse=True)


@bp.route("/manage/satisfaction/")
@login_required
def ranking():
    """Every unit of the scope with citizen responses in the year, best index first, and the
    month-by-month index over the scope."""
    require(can_view_satisfaction(current_user))
    year = _year()
    scope = report_scope(current_user)
    return render_template(
        "surveys/ranking.html",
        year=year,
        years=_years(year),
        rows=reports.ranking(scope, year),
        months=reports.monthly(None, scope, year),
        few=reports.FEW_RESPONSES,
    )


@bp.route("/manage/satisfaction/side-by-side")
@login_required
def side_by_side_page():
    """Each unit's index beside the training of its one-stop officials, and the correlation
    over units."""
    require(can_view_satisfaction(current_user))
    year = _year()
    rows = side_by_side.rows(report_scope(current_user), year)
    return render_template(
        "surveys/side_by_side.html",
        year=year,
        years=_years(year),
        rows=rows,
        by_completion=side_by_side.correlation(rows, "completed_share"),
        by_credits=side_by_side.correlation(rows, "credits_per_official"),
        positions=", ".join(side_by_side._codes("LMS_ONE_STOP_POSITIONS")),
        courses=", ".join(side_by_side._codes("LMS_ONE_STOP_COURSES")),
    )


@bp.route("/manage/satisfaction/export.xlsx")
@login_required
def export():
    """The ranking with the monthly index of each unit, as XLSX."""
    require(can_view_satisfaction(current_user))
    year = _year()
    return exporter.download(exports.ranking_export(report_scope(current_user), year), "xlsx")


@bp.route("/manage/satisfaction/<code>")
@login_required
def unit_page(code: str):
    """One unit: the index with its interval, the months, the items and the comments."""
    require(can_view_satisfaction(current_user))
    unit = _unit(code)
    year = _year()
    return render_template(
        "surveys/unit.html",
        unit=unit,
        year=year,
        years=_years(year),
        index=reports.unit_index(unit, year),
        months=reports.monthly(unit, report_scope(current_user), year),
        items=reports.items(unit, year),
        comments=reports.comments(unit, year),
        few=reports.FEW_RESPONSES,
    )


@bp.route("/manage/satisfaction/<code>/poster.pdf")
@login_required
def poster(code: str):
    """The A4 poster for the unit's counter: the QR code of this window's survey link."""
    require(can_view_satisfaction(current_user))
    unit = _unit(code)
    path = url_for("surveys.citizen", code=unit.code, t=satisfaction.token_for(unit.code))
    link = public_base_url() + path
    html = render_template(
        "surveys/poster.html",
        unit=unit,
        link=link,
        qr=qr_data_uri(link),
        valid_until=format_day(satisfaction.printed_valid_until()),
    )
    headers = {
        "Content-Disposition": f'inline; filename="satisfaction-{unit.code}.pdf"',
        "Cache-Control": "private, no-store",
    }
    return Response(render_pdf(html), mimetype="application/pdf", headers=headers)
