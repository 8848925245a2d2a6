"""In-person class screens for training managers: the list of their units' classes, a class
with its roster, adding officials (search or a list of codes), and the results page."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import ADMINISTRATOR, TRAINING_MANAGER
from lms.auth.permissions import require, scope_paths
from lms.catalog.models import Course
from lms.common import clock
from lms.common.forms import ButtonForm, upload_page
from lms.common.pagination import paginate
from lms.common.tabular import TableError, read_table
from lms.common.web import commit_or_attach, page_number
from lms.curricula.blueprint import bp
from lms.curricula.classes import eligibility, final_test
from lms.curricula.classes import services as classes
from lms.curricula.classes.forms import (
    ClassForm,
    DecideForm,
    ResultsForm,
    RosterCodesForm,
    RosterPickForm,
)
from lms.curricula.classes.models import ClassMember, MemberStatus
from lms.curricula.classes.results import ResultInput, record_results
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation import queries
from lms.organisation.models import Position

ROSTER_PAGE = 30  # search results on the roster page


def _scope():
    return scope_paths(current_user, TRAINING_MANAGER, ADMINISTRATOR)


def _load(class_id: int):
    """The class named in the URL if it belongs to the viewer's units (403/404 otherwise)."""
    require(classes.can_run_classes(current_user))
    klass = classes.class_in_scope(class_id, _scope())
    if klass is None:
        abort(404)
    return klass


def _fill_choices(form: ClassForm) -> None:
    units = queries.units_for_choice(_scope())
    form.unit.choices = [(str(u.id), f"{u.name} ({u.code})") for u in units]
    courses = db.session.scalars(
        select(Course).where(Course.status == "published").order_by(Course.code)
    )
    form.course.choices = [("", "—")] + [(c.code, f"{c.code} · {c.title}") for c in courses]
    form.units.choices = [(str(u.id), f"{u.name} ({u.code})") for u in units]
    positions = db.session.scalars(select(Position).order_by(Position.code))
    form.positions.choices = [(str(p.id), f"{p.code} · {p.name}") for p in positions]
    form.final_test.choices = [("", _("No final test"))] + [
        (str(q.id), f"{q.course.code} · {q.course.title}") for q in classes.final_tests()
    ]


def _ids(values) -> tuple[int, ...]:
    return tuple(int(v) for v in values or () if str(v).isdigit() and len(str(v)) < 10)


def _class_data(form: ClassForm) -> classes.ClassData:
    """The class a form describes; ValidationFailed for a unit outside the scope or an unknown
    course."""
    units = {code for code, _label in form.unit.choices}
    course_id = db.session.scalar(select(Course.id).where(Course.code == form.course.data))
    reasons = []
    if form.unit.data not in units:
        reasons.append(("unit", _("Unknown unit, or a unit outside your scope.")))
    if not set(form.units.data or ()) <= units:
        reasons.append(("units", _("Unknown unit, or a unit outside your scope.")))
    if course_id is None:
        reasons.append(("course", _("Unknown course.")))
    final = str(form.final_test.data or "")
    if final and not (final.isdigit() and len(final) < 10):
        reasons.append(("final_test", _("Choose a test of a published course.")))
    if reasons:
        raise ValidationFailed(reasons)
    return classes.ClassData(
        course_id=course_id,
        unit_id=int(form.unit.data),
        title=form.title.data,
        location=form.location.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        sessions=form.sessions.data,
        min_attendance_percent=form.min_attendance_percent.data,
        capacity=form.capacity.data,
        join_mode=form.join_mode.data,
        enrol_opens_on=form.enrol_opens_on.data,
        enrol_closes_on=form.enrol_closes_on.data,
        cancel_closes_on=form.cancel_closes_on.data,
        position_ids=_ids(form.positions.data),
        unit_ids=_ids(form.units.data),
        final_quiz_id=int(final) if final else None,
    )


@bp.route("/classes/")
@login_required
def class_list():
    """In-person classes of the viewer's units, newest first."""
    require(classes.can_run_classes(current_user))
    page = paginate(classes.classes_select(_scope()), page_number(), 50)
    counts = classes.member_counts([k.id for k in page.items])
    return render_template("curricula/classes_list.html", page=page, counts=counts)


@bp.route("/classes/new", methods=["GET", "POST"])
@login_required
def class_new():
    """Create a class: course, organising unit, dates, sessions, minimum attendance."""
    require(classes.can_run_classes(current_user))
    form = ClassForm()
    _fill_choices(form)
    if request.method == "GET":  # from the annual plan: "Create a class" of a course
        form.course.data = request.args.get("course", "", type=str)[:32].upper()
    if form.validate_on_submit():
        saved, klass = commit_or_attach(
            form, lambda: classes.save_class(None, _class_data(form), current_user)
        )
        if saved:
            flash(_("Class created. Now add the officials."), "success")
            return redirect(url_for(".class_roster", class_id=klass.id))
    return render_template("curricula/classes_form.html", form=form, klass=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@login_required
def class_edit(class_id: int):
    """Change a class's details."""
    klass = _load(class_id)
    form = ClassForm(obj=klass)
    _fill_choices(form)
    if request.method == "GET":
        form.course.data, form.unit.data = klass.course.code, str(klass.unit_id)
        form.positions.data = [str(p.id) for p in klass.positions]
        form.units.data = [str(u.id) for u in klass.units]
        form.final_test.data = str(klass.final_quiz_id or "")
    if form.validate_on_submit():
        saved, _klass = commit_or_attach(
            form, lambda: classes.save_class(klass, _class_data(form), current_user)
        )
        if saved:
            flash(_("Class saved."), "success")
            return redirect(url_for(".class_detail", class_id=klass.id))
    return render_template("curricula/classes_form.html", form=form, klass=klass)


@bp.route("/classes/<int:class_id>")
@login_required
def class_detail(class_id: int):
    """A class: its details and roster with attendance and results."""
    klass = _load(class_id)
    members = classes.roster(klass)
    return render_template(
        "curricula/classes_detail.html",
        klass=klass,
        members=members,
        held=len(members),
        waiting=classes.roster(klass, MemberStatus.WAITLISTED),
    )


@bp.route("/classes/<int:class_id>/roster")
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")  # its codes form's file field shows the limit
def class_roster(class_id: int):
    """Add officials: search by name (with or without diacritics) or code, or paste codes.
    Results come 30 a page; a page past the last (an old link, a typed number) shows the last."""
    klass = _load(class_id)
    q = request.args.get("q", "").strip()
    found = None
    if q:
        filters = queries.OfficialFilters(q=q)
        found = queries.search_officials(_scope(), filters, page_number(), ROSTER_PAGE)
        if found.total and not found.items:
            found = queries.search_officials(_scope(), filters, found.pages, ROSTER_PAGE)
    return _roster_page(klass, q, found, RosterPickForm(), RosterCodesForm(), None)


def _roster_page(klass, q, found, pick_form, codes_form, report, status=200):
    listed = {m.official_id for m in klass.members}
    period = eligibility.outside_window(klass, clock.today())
    return (
        render_template(
            "curricula/classes_roster.html",
            klass=klass,
            q=q,
            found=found,
            listed=listed,
            pick_form=pick_form,
            codes_form=codes_form,
            report=report,
            period=period,
            members=classes.roster(klass),
        ),
        status,
    )


def _add(klass, entries, outside_period: bool):
    report = classes.add_members(klass, entries, _scope(), current_user, outside_period)
    if report.problems:
        db.session.rollback()
        return report
    db.session.commit()
    flash(
        _(
            "%(added)d added to the roster, %(skipped)d skipped.",
            added=len(report.added),
            skipped=len(report.skipped),
        ),
        "success",
    )
    if report.outside_period and report.added:
        flash(
            report.outside_period + " " + _("They were added outside the sign-up period."),
            "warning",
        )
    return report


@bp.route("/classes/<int:class_id>/roster/pick", methods=["POST"])
@login_required
def class_roster_pick(class_id: int):
    """Add the officials ticked in the search results."""
    klass = _load(class_id)
    form = RosterPickForm()
    if not form.validate_on_submit():
        abort(400)
    entries = [(n, str(code).upper()) for n, code in enumerate(form.picked.data or [], 1)]
    report = _add(klass, entries, bool(form.outside_period.data))
    if report.problems:
        return _roster_page(klass, "", None, form, RosterCodesForm(), report, 422)
    return redirect(url_for(".class_roster", class_id=klass.id))


@bp.route("/classes/<int:class_id>/roster/codes", methods=["POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def class_roster_codes(class_id: int):
    """Add officials from pasted employee codes or a .csv/.xlsx file; all or nothing."""
    klass = _load(class_id)
    form = RosterCodesForm()
    if form.validate_on_submit():
        entries = classes.parse_codes(form.codes.data or "")
        upload = form.file.data
        if upload and getattr(upload, "filename", ""):
            try:
                table = read_table(
                    upload.filename, upload.read(), current_app.config["LMS_IMPORT_MAX_BYTES"]
                )
            except TableError as error:
                form.file.errors = [str(error)]
            else:
                entries += classes.codes_from_table(table)
        if not entries and not form.file.errors:
            form.codes.errors = [_("Paste at least one employee code, or choose a file.")]
        if not form.errors:
            report = _add(klass, entries, bool(form.outside_period.data))
            if not report.problems:
                return redirect(url_for(".class_roster", class_id=klass.id))
            return _roster_page(klass, "", None, RosterPickForm(), form, report, 422)
    return _roster_page(klass, "", None, RosterPickForm(), form, None, 422)


@bp.route("/classes/<int:class_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def class_member_remove(class_id: int, member_id: int):
    """Take an official off the roster (refused once a pass was recorded)."""
    klass = _load(class_id)
    member = db.session.get(ClassMember, member_id)
    if member is None or member.class_id != klass.id:
        abort(404)
    if ButtonForm().validate_on_submit():
        try:
            classes.remove_member(member, current_user)
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Removed from the roster."), "success")
    return redirect(url_for(".class_roster", class_id=klass.id))


@bp.route("/classes/<int:class_id>/results", methods=["GET", "POST"])
@login_required
def class_results(class_id: int):
    """Attendance, score and result of every official on the roster, on one page."""
    klass = _load(class_id)
    members = classes.roster(klass)
    form = ResultsForm()
    if request.method == "GET":
        for member in members:
            form.rows.append_entry(
                {
                    "member_id": member.id,
                    "sessions_attended": member.sessions_attended,
                    "score": member.score,
                    "result": member.result or "",
                }
            )
    if form.validate_on_submit():
        rows = [_result_input(entry) for entry in form.rows]
        if None in rows:
            form.form_errors.append(_("A line of the form is not on this roster."))
        else:
            saved, counts = commit_or_attach(
                form,
                lambda: record_results(klass, rows, form.reason.data, current_user),
            )
            if saved:
                flash(
                    _(
                        "Results saved: %(changed)d changed, %(passed)d passed (credits "
                        "written), %(withdrawn)d passes withdrawn.",
                        **counts,
                    ),
                    "success",
                )
                return redirect(url_for(".class_detail", class_id=klass.id))
    by_id = {m.id: m for m in members}
    lines = [(entry, by_id.get(_member_id(entry))) for entry in form.rows]
    status = 422 if request.method == "POST" else 200
    tests = (
        {m.id: final_test.standing(klass, m.official_id) for m in members}
        if klass.final_quiz_id
        else {}
    )
    return render_template(
        "curricula/classes_results.html",
        klass=klass,
        form=form,
        lines=lines,
        tests=tests,
        decide_form=DecideForm(),
    ), status


def _member_id(entry) -> int | None:
    value = str(entry.member_id.data or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _result_input(entry) -> ResultInput | None:
    member_id = _member_id(entry)
    if member_id is None:
        return None
    return ResultInput(
        member_id=member_id,
        sessions_attended=entry.sessions_attended.data,
        score=entry.score.data,
        result=entry.result.data or None,
    )
