"""The annual ratings pages (issue 21, docs/compliance.md "Ratings"): HR sets each official's
rating for a cycle, previews the courses it assigns for the next cycle, and applies them.
Everything is limited to the HR officer's units (an official outside them is 404)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.models import HR_OFFICER
from lms.auth.permissions import path_in_scope, require
from lms.auth.scope import Scope
from lms.common import exporter
from lms.common.forms import ButtonForm, upload_page
from lms.common.pagination import Page
from lms.common.web import commit_or_attach, page_number
from lms.compliance import queries, ratings, ratings_import, rules
from lms.compliance.blueprint import bp
from lms.compliance.forms import ApplyRatingsForm, RatingForm, RatingsImportForm
from lms.compliance.models import RatingLevel
from lms.compliance.permissions import can_close
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.queries import official_in_scope, unit_by_code


def _scope() -> Scope:
    return Scope.of(current_user, HR_OFFICER)


def _cycle(year: int):
    require(can_close(current_user))
    return queries.cycle_by_year(year) or abort(404)


def _form() -> RatingForm:
    form = RatingForm()
    form.level.choices = RatingLevel.choices(blank=_("Choose a rating"))
    form.weak_areas.choices = [(area, area) for area in rules.WEAK_AREAS]
    return form


@bp.route("/compliance/ratings/<int:year>", methods=["GET", "POST"])
@login_required
def ratings_list(year: int):
    """The officials of the HR officer's units (50 a page, by given name; narrowed by name or
    code, unit and rated or not) with their rating for the cycle, each with a form to set or
    change it."""
    cycle = _cycle(year)
    scope = _scope()
    filters = _filters()
    if filters["unit"]:
        unit = unit_by_code(filters["unit"])
        if unit is None or not path_in_scope(unit.path, scope.path_list):
            abort(404)
    form = _form()
    if request.method == "POST":
        if form.validate_on_submit():
            official = official_in_scope(form.official.data, scope) or abort(404)
            if official.id == current_user.official_id:
                flash(_("This is your own record: another officer records your rating."), "error")
                return redirect(url_for("compliance.ratings_list", year=year, **_kept(filters)))

            def act():
                return ratings.record_rating(
                    official,
                    cycle,
                    form.level.data,
                    form.weak_areas.data,
                    current_user,
                    form.weak_courses.data or "",
                )

            ok, _row = commit_or_attach(form, act)
            if ok:
                flash(_("Rating of %(name)s saved.", name=official.full_name), "success")
                return redirect(url_for("compliance.ratings_list", year=year, **_kept(filters)))
        elif form.official.data and official_in_scope(form.official.data, scope) is None:
            abort(404)
    page = ratings.officials_page(
        cycle, scope, filters["q"], filters["unit"], filters["state"], page_number()
    )
    return render_template(
        "compliance/ratings.html",
        cycle=cycle,
        page=page,
        filters=filters,
        kept=_kept(filters),
        ratings=ratings.ratings_of(cycle, [o.id for o in page.items]),
        form=form,
        levels=RatingLevel.choices(),
        areas=rules.WEAK_AREAS,
    )


def _kept(filters: dict[str, str]) -> dict:
    """The filters set, and the page when past the first: the query string a save returns to."""
    kept = {key: value for key, value in filters.items() if value}
    return kept | ({"page": page_number()} if page_number() > 1 else {})


def _filters() -> dict[str, str]:
    """The list's filters from the query string (name or code, unit code, rated or not); only
    the ones set, so that they pass on to the pager and the redirects."""
    q = request.args.get("q", "", type=str).strip()[:100]
    unit = request.args.get("unit", "", type=str).strip().upper()[:32]
    state = request.args.get("state", "", type=str)
    state = state if state in (ratings.RATED, ratings.UNRATED) else ""
    return {"q": q, "unit": unit, "state": state}


@bp.route("/compliance/ratings/<int:year>/preview", methods=["GET", "POST"])
@login_required
def ratings_preview(year: int):
    """The courses the ratings of the cycle assign for the next one, per official and why;
    "Apply" writes them (twice adds nothing)."""
    cycle = _cycle(year)
    scope = _scope()
    form = ApplyRatingsForm()
    following = ratings.next_cycle(cycle)
    if form.validate_on_submit():
        try:
            count = ratings.apply(cycle, scope, current_user)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(num)s courses assigned for %(year)s.", num=count, year=year + 1), "success")
            return redirect(url_for("compliance.ratings_preview", year=year))
    proposals = ratings.preview(cycle, scope)
    number, size = page_number(), ratings.PER_PAGE
    shown = proposals[(number - 1) * size : number * size]
    return render_template(
        "compliance/ratings_preview.html",
        cycle=cycle,
        following=following,
        page=Page(shown, number, size, len(proposals)),
        to_assign=sum(len(p.new_items) for p in proposals),
        form=form,
        reason_text=_reason,
    )


def _reason(reason: str) -> str:
    if reason == rules.REASON_NOT_DONE:
        return _("rated non-completion of duties: the position's mandatory courses again")
    if reason == rules.REASON_WEAK_COURSE:
        return _("course found weak at the rating")
    return _("content area %(area)s found weak", area=reason)


# --- the ratings import (upload → checked preview → confirm; lms.common.import_flow) ---------


@bp.route("/compliance/ratings/<int:year>/import", methods=["GET", "POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def ratings_import_upload(year: int):
    """Upload a ratings file for the cycle; it is checked (dry run) before anything is written."""
    cycle = _cycle(year)
    return ratings_import.FLOW.upload_view(
        RatingsImportForm(),
        "compliance/ratings_import_upload.html",
        ".ratings_import_preview",
        current_user,
        _scope().path_list,
        options={"year": cycle.year},
        cycle=cycle,
    )


@bp.route("/compliance/ratings/import/<token>", methods=["GET", "POST"])
@login_required
def ratings_import_preview(token: str):
    """The checked file: counts, the per-row report, and the confirm button."""
    require(can_close(current_user))
    return ratings_import.FLOW.preview_view(
        ratings_import.FLOW.owned(token, current_user.id) or abort(404),
        ButtonForm(),
        "compliance/ratings_import_preview.html",
        current_user,
        _scope().path_list,
        lambda result: _(
            "Import finished: %(created)d new ratings, %(updated)d changed.", **result
        ),
        blocking=True,
    )


@bp.route("/compliance/ratings/import/template.<fmt>")
@login_required
def ratings_import_template(fmt: str):
    """An empty ratings file with the expected columns and one example row."""
    require(can_close(current_user))
    header, rows = ratings_import.template_rows()
    title = _("Annual ratings import template")
    export = exporter.Export("ratings-template", _("Annual ratings"), title, header, rows)
    return exporter.download(export, fmt)
