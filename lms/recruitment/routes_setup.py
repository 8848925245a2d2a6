"""HR's set-up pages of a recruitment (/manage/recruitment…): create and edit the recruitment,
its positions and quotas (units of the manager's scope), its exam rooms and its sessions (the
invigilators of a session: routes_invigilators.py). The rules are the services' (services.py,
rooms.py), shared with the command line."""

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.assessments.models import BankQuestion
from lms.catalog.models import Course
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation import queries as org_queries
from lms.organisation.models import OrgUnit
from lms.recruitment import exam, queries, rooms, rules, services
from lms.recruitment.blueprint import bp
from lms.recruitment.forms import (
    ExamSessionForm,
    PositionForm,
    RecruitmentForm,
    RoomForm,
)
from lms.recruitment.models import ExamRoom, RecruitmentPosition
from lms.recruitment.permissions import can_run_recruitments, recruitment_scope
from lms.recruitment.routes_manage import _recruitment, _session


def _unit_choices(*extra_ids: int) -> list[tuple[str, str]]:
    """The units of the manager's scope (and the ones already chosen), in tree order."""
    units = org_queries.units_for_choice(recruitment_scope(current_user))
    known = {u.id for u in units}
    units += [db.session.get(OrgUnit, i) for i in extra_ids if i and i not in known]
    return [(u.code, f"{u.name} ({u.code})") for u in units if u is not None]


def _done(message: str, endpoint: str, **values):
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _refused(error: ValidationFailed, endpoint: str, **values):
    """A refused removal: its reason, back on the page the button was on."""
    db.session.rollback()
    flash(error.reasons[0][1], "error")
    return redirect(url_for(endpoint, **values))


# --- recruitments ---------------------------------------------------------------------------


def _recruitment_data(form: RecruitmentForm) -> services.RecruitmentData:
    return services.RecruitmentData(
        name=form.name.data or "",
        year=form.year.data,
        unit_code=form.unit.data,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        appeal_days=form.appeal_days.data,
        status=form.status.data,
    )


@bp.route("/manage/recruitment/new", methods=["GET", "POST"])
@login_required
def recruitment_new():
    """A new recruitment, organised by one of the manager's units."""
    if not can_run_recruitments(current_user):
        abort(403)
    form = RecruitmentForm()
    form.unit.choices = _unit_choices()
    if request.method == "GET":
        form.year.data = clock.today().year
    if form.validate_on_submit():
        data = _recruitment_data(form)
        ok, item = commit_or_attach(
            form,
            lambda: services.create_recruitment(
                form.code.data,
                data.name,
                data.year,
                data.unit_code,
                current_user,
                data.opens_on,
                data.closes_on,
                data.appeal_days,
                data.status,
            ),  # fmt: skip
        )
        if ok:
            message = _("Recruitment %(code)s created.", code=item.code)
            return _done(message, ".recruitment_page", code=item.code)
    return render_template("recruitment/setup_recruitment.html", form=form, recruitment=None)


@bp.route("/manage/recruitment/<code>/edit", methods=["GET", "POST"])
@login_required
def recruitment_edit(code: str):
    """Change a recruitment (its code stays)."""
    item = _recruitment(code)
    form = RecruitmentForm(obj=None if request.method == "POST" else item)
    del form.code
    form.unit.choices = _unit_choices(item.unit_id)
    if request.method == "GET":
        form.unit.data = item.unit.code
        form.opens_on.data = item.applications_open_on
        form.closes_on.data = item.applications_close_on
    if form.validate_on_submit():
        data = _recruitment_data(form)
        ok, _item = commit_or_attach(
            form, lambda: services.update_recruitment(item, data, current_user)
        )
        if ok:
            return _done(_("Saved."), ".recruitment_page", code=item.code)
    return render_template("recruitment/setup_recruitment.html", form=form, recruitment=item)


# --- positions ------------------------------------------------------------------------------


def _remove(remove, message: str, code: str, refused_to=None):
    """A posted Remove button: `remove()` refused by its rule goes back with the reason (to
    `refused_to`, an endpoint and its values, else the recruitment's page); done, it commits
    and goes to the recruitment's page saying `message`."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    endpoint, values = refused_to or (".recruitment_page", {"code": code})
    try:
        remove()
    except ValidationFailed as error:
        return _refused(error, endpoint, **values)
    db.session.commit()
    return _done(message, ".recruitment_page", code=code)


def _part(item, model, part_id: int):
    """The recruitment's position or room (a `model` row) with that id, or 404."""
    part = db.session.get(model, part_id)
    if part is None or part.recruitment_id != item.id:
        abort(404)
    return part


@bp.route(
    "/manage/recruitment/<code>/positions/new", methods=["GET", "POST"], endpoint="position_new"
)
@bp.route(
    "/manage/recruitment/<code>/positions/<int:position_id>",
    methods=["GET", "POST"],
    endpoint="position_edit",
)
@login_required
def position_form(code: str, position_id: int | None = None):
    """Add a position with its quota (position_new), or change a position's code, title, unit
    or quota (position_edit)."""
    item = _recruitment(code)
    position = None if position_id is None else _part(item, RecruitmentPosition, position_id)
    form = PositionForm(obj=None if request.method == "POST" else position)
    form.unit.choices = _unit_choices(position.unit_id if position else 0)
    if request.method == "GET" and position is not None:
        form.unit.data = position.unit.code
    if form.validate_on_submit():
        values = (form.code.data, form.title.data, form.unit.data, form.quota.data, current_user)
        if position is None:
            ok, _p = commit_or_attach(form, lambda: services.add_position(item, *values))
        else:
            ok, _p = commit_or_attach(form, lambda: services.update_position(position, *values))
        if ok:
            return _done(_("Saved."), ".recruitment_page", code=item.code)
    return render_template(
        "recruitment/setup_position.html", form=form, recruitment=item, position=position
    )


@bp.route("/manage/recruitment/<code>/positions/<int:position_id>/remove", methods=["POST"])
@login_required
def position_remove(code: str, position_id: int):
    """Remove a position no candidate has applied for."""
    item = _recruitment(code)
    position = _part(item, RecruitmentPosition, position_id)
    return _remove(
        lambda: services.remove_position(position, current_user),
        _("The position is removed."),
        item.code,
    )


# --- rooms ----------------------------------------------------------------------------------


@bp.route("/manage/recruitment/<code>/rooms/new", methods=["GET", "POST"], endpoint="room_new")
@bp.route(
    "/manage/recruitment/<code>/rooms/<int:room_id>", methods=["GET", "POST"], endpoint="room_edit"
)
@login_required
def room_form(code: str, room_id: int | None = None):
    """Add an exam room (room_new), or rename a room or change its seats or location
    (room_edit)."""
    item = _recruitment(code)
    room = None if room_id is None else _part(item, ExamRoom, room_id)
    form = RoomForm(obj=None if request.method == "POST" else room)
    if form.validate_on_submit():
        name, seats, location = form.name.data, form.seats.data, form.location.data or ""
        if room is None:
            act = lambda: rooms.add_room(item, name, seats, current_user, location)  # noqa: E731
        else:
            act = lambda: rooms.update_room(room, name, seats, location, current_user)  # noqa: E731
        ok, _r = commit_or_attach(form, act)
        if ok:
            return _done(_("Saved."), ".recruitment_page", code=item.code)
    return render_template("recruitment/setup_room.html", form=form, recruitment=item, room=room)


@bp.route("/manage/recruitment/<code>/rooms/<int:room_id>/remove", methods=["POST"])
@login_required
def room_remove(code: str, room_id: int):
    """Remove a room no session uses."""
    item = _recruitment(code)
    room = _part(item, ExamRoom, room_id)
    return _remove(
        lambda: rooms.remove_room(room, current_user), _("The room is removed."), item.code
    )


# --- sessions -------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(clock.LOCAL_TZ).replace(tzinfo=None)


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _bank_choices(current_id: int | None) -> list[tuple[str, str]]:
    """The courses that have a question bank (and the session's own)."""
    with_bank = select(BankQuestion.course_id)
    courses = db.session.scalars(
        select(Course)
        .where(Course.id.in_(with_bank) | (Course.id == (current_id or -1)))
        .order_by(Course.code)
    )
    return [("", "—")] + [(str(c.id), f"{c.code} · {c.title}") for c in courses]


def _session_form(item, session=None) -> ExamSessionForm:
    form = ExamSessionForm(obj=None if request.method == "POST" else session)
    form.room.choices = [(str(r.id), r.name) for r in queries.rooms_of(item.id)]
    form.bank.choices = _bank_choices(session.bank_course_id if session else None)
    if request.method == "GET" and session is not None:
        form.round.data = str(session.round)
        form.room.data = str(session.room_id)
        form.bank.data = str(session.bank_course_id or "")
        form.starts_at.data = _local(session.starts_at)
        form.ends_at.data = _local(session.ends_at)
        form.blueprint.data = rules.blueprint_text(session.blueprint)
    return form


def _session_data(form: ExamSessionForm) -> services.SessionData:
    """The form's values; raises ValidationFailed on a blueprint that does not read."""
    try:
        blueprint = rules.parse_blueprint(form.blueprint.data or "")
    except ValueError as error:
        message = _(
            "Blueprint rows are TOPIC:DIFFICULTY:COUNT (this one is not: %(row)s).",
            row=str(error)[:80],
        )
        raise ValidationFailed([("blueprint", message)]) from None
    bank = form.bank.data
    return services.SessionData(
        room_id=int(form.room.data) if (form.room.data or "").isdigit() else 0,
        starts_at=_utc(form.starts_at.data),
        ends_at=_utc(form.ends_at.data),
        duration_minutes=form.duration_minutes.data,
        title=form.title.data or "",
        round=int(form.round.data),
        subject=form.subject.data,
        allowed_networks=form.allowed_networks.data or "",
        bank_course_id=int(bank) if bank and bank.isdigit() else None,
        blueprint=tuple(blueprint),
        code=(form.code.data or "").strip(),
    )


def _warn_shortfalls(session) -> None:
    """Say which blueprint rows the bank cannot fill (the paper then carries what there is)."""
    if session.bank_course_id is None:
        return
    for row, available in rules.shortfalls(exam.bank_items(session), session.blueprint):
        message = _(
            "Warning: %(topic)s asks %(count)d questions, the bank has %(available)d.",
            topic=row["category"] or "*",
            count=row["count"],
            available=available,
        )
        flash(message, "warning")


def _session_page(item, session=None):
    form = _session_form(item, session)
    if form.validate_on_submit():
        try:
            data = _session_data(form)
        except ValidationFailed as error:
            error.attach_to(form)
        else:
            if session is None:
                act = lambda: rooms.create_session(item, data, current_user)  # noqa: E731
            else:
                act = lambda: rooms.update_session(session, data, current_user)  # noqa: E731
            ok, saved = commit_or_attach(form, act)
            if ok:
                _warn_shortfalls(saved)
                return _done(_("Saved."), ".session_page", session_id=saved.id)
    locked = session is not None and rooms.is_locked(session)
    return render_template(
        "recruitment/setup_session.html",
        form=form,
        recruitment=item,
        session=session,
        locked=locked,
    )


@bp.route("/manage/recruitment/<code>/sessions/new", methods=["GET", "POST"])
@login_required
def session_new(code: str):
    """Add an exam session."""
    return _session_page(_recruitment(code))


@bp.route("/manage/recruitment/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(session_id: int):
    """Change a session (its times, room and paper only before it starts)."""
    session = _session(session_id)
    return _session_page(session.recruitment, session)


@bp.route("/manage/recruitment/sessions/<int:session_id>/remove", methods=["POST"])
@login_required
def session_remove(session_id: int):
    """Remove a session that has not started (its seat list and invigilators go with it)."""
    session = _session(session_id)
    return _remove(
        lambda: rooms.remove_session(session, current_user),
        _("The session is removed."),
        session.recruitment.code,
        refused_to=(".session_page", {"session_id": session_id}),
    )
