"""The timetable screens of training managers: a class's sessions (add, change, remove), the
trainers and venues (lists shared by the organisation) and a trainer's schedule."""

from calendar import monthrange
from datetime import date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.permissions import require
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach, handle_button
from lms.curricula.blueprint import bp
from lms.curricula.classes import schedule
from lms.curricula.classes import services as classes
from lms.curricula.classes.forms import SessionForm, TrainerForm, VenueForm
from lms.curricula.classes.models import ClassSession, Trainer, TrainerKind, TrainingClass, Venue
from lms.curricula.classes.routes_manage import _load, _scope
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.queries import official_id_by_code


def _session_choices(form: SessionForm) -> None:
    form.venue.choices = [("", "—")] + [
        (str(v.id), f"{v.name} ({v.capacity})") for v in schedule.venues(active_only=True)
    ]
    form.trainer.choices = [("", "—")] + [
        (str(t.id), t.name) for t in schedule.trainers(active_only=True)
    ]


def _choice_id(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _session_data(form: SessionForm) -> schedule.SessionData:
    return schedule.SessionData(
        day=form.day.data,
        starts=form.starts.data,
        ends=form.ends.data,
        topic=form.topic.data or "",
        venue_id=_choice_id(form.venue.data),
        trainer_id=_choice_id(form.trainer.data),
    )


def _class_session(klass, session_id: int) -> ClassSession:
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != klass.id:
        abort(404)
    return session


@bp.route("/classes/<int:class_id>/sessions", methods=["GET", "POST"])
@login_required
def class_sessions(class_id: int):
    """The class's timetable and a form to add a session."""
    klass = _load(class_id)
    form = SessionForm()
    _session_choices(form)
    if form.validate_on_submit():
        saved, _session = commit_or_attach(
            form, lambda: schedule.save_session(klass, None, _session_data(form), current_user)
        )
        if saved:
            flash(_("Session added."), "success")
            return redirect(url_for(".class_sessions", class_id=klass.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "curricula/classes_sessions.html", klass=klass, form=form, button_form=ButtonForm()
    ), status


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def class_session_edit(class_id: int, session_id: int):
    """Change a session's day, times, venue or trainer (the members' invitations follow)."""
    klass = _load(class_id)
    session = _class_session(klass, session_id)
    form = SessionForm()
    _session_choices(form)
    if request.method == "GET":
        form.day.data, form.topic.data = session.starts_at.date(), session.topic
        form.starts.data, form.ends.data = session.starts_at.time(), session.ends_at.time()
        form.venue.data = str(session.venue_id or "")
        form.trainer.data = str(session.trainer_id or "")
    if form.validate_on_submit():
        saved, _session = commit_or_attach(
            form, lambda: schedule.save_session(klass, session, _session_data(form), current_user)
        )
        if saved:
            flash(_("Session saved."), "success")
            return redirect(url_for(".class_sessions", class_id=klass.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "curricula/classes_session_form.html", klass=klass, session=session, form=form
    ), status


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/remove", methods=["POST"])
@login_required
def class_session_remove(class_id: int, session_id: int):
    """Take a session off the timetable."""
    klass = _load(class_id)
    session = _class_session(klass, session_id)
    handle_button(lambda: schedule.remove_session(session, current_user), _("Session removed."))
    return redirect(url_for(".class_sessions", class_id=klass.id))


# --- trainers and venues ---------------------------------------------------------------------


@bp.route("/classes/trainers/")
@login_required
def trainer_list():
    """The trainers, internal and external."""
    require(classes.can_run_classes(current_user))
    return render_template("curricula/classes_trainers.html", trainers=schedule.trainers())


def _trainer_data(form: TrainerForm) -> schedule.TrainerData:
    official_id = None
    code = (form.employee_code.data or "").strip().upper()
    if form.kind.data == TrainerKind.INTERNAL:
        official_id = official_id_by_code(code) if code else None
        if code and official_id is None:
            raise ValidationFailed([("employee_code", _("Unknown employee code."))])
    return schedule.TrainerData(
        name=form.name.data,
        kind=form.kind.data,
        official_id=official_id,
        organisation=form.organisation.data or "",
        email=form.email.data or "",
        is_active=bool(form.is_active.data),
    )


@bp.route("/classes/trainers/new", methods=["GET", "POST"], endpoint="trainer_new")
@bp.route("/classes/trainers/<int:trainer_id>", methods=["GET", "POST"], endpoint="trainer_edit")
@login_required
def trainer_form(trainer_id: int | None = None):
    """Add a trainer (trainer_new), or change one or set them inactive (trainer_edit)."""
    require(classes.can_run_classes(current_user))
    trainer = None if trainer_id is None else db.session.get(Trainer, trainer_id) or abort(404)
    form = TrainerForm(obj=trainer)
    if request.method == "GET" and trainer is not None and trainer.official is not None:
        form.employee_code.data = trainer.official.employee_code
    if form.validate_on_submit():
        saved, _trainer = commit_or_attach(
            form, lambda: schedule.save_trainer(trainer, _trainer_data(form), current_user)
        )
        if saved:
            flash(_("Trainer saved."), "success")
            return redirect(url_for(".trainer_list"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "curricula/classes_trainer_form.html", form=form, trainer=trainer
    ), status


@bp.route("/classes/trainers/<int:trainer_id>/schedule")
@login_required
def trainer_schedule(trainer_id: int):
    """A trainer's sessions in the classes of the viewer's units."""
    require(classes.can_run_classes(current_user))
    trainer = db.session.get(Trainer, trainer_id) or abort(404)
    in_scope = classes.classes_select(_scope()).with_only_columns(TrainingClass.id).order_by(None)
    sessions = schedule.trainer_schedule(trainer, in_scope)
    return render_template(
        "curricula/classes_trainer_schedule.html", trainer=trainer, sessions=sessions
    )


@bp.route("/classes/venues/")
@login_required
def venue_list():
    """The venues and how many each seats."""
    require(classes.can_run_classes(current_user))
    return render_template("curricula/classes_venues.html", venues=schedule.venues())


@bp.route("/classes/venues/new", methods=["GET", "POST"], endpoint="venue_new")
@bp.route("/classes/venues/<int:venue_id>", methods=["GET", "POST"], endpoint="venue_edit")
@login_required
def venue_form(venue_id: int | None = None):
    """Add a venue (venue_new), or change one or set it inactive (venue_edit)."""
    require(classes.can_run_classes(current_user))
    venue = None if venue_id is None else db.session.get(Venue, venue_id) or abort(404)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        data = schedule.VenueData(
            name=form.name.data,
            address=form.address.data or "",
            capacity=form.capacity.data,
            is_active=bool(form.is_active.data),
        )
        saved, _venue = commit_or_attach(
            form, lambda: schedule.save_venue(venue, data, current_user)
        )
        if saved:
            flash(_("Venue saved."), "success")
            return redirect(url_for(".venue_list"))
    status = 422 if request.method == "POST" else 200
    return render_template("curricula/classes_venue_form.html", form=form, venue=venue), status


@bp.route("/classes/calendar")
@login_required
def class_calendar():
    """The sessions of the viewer's units' classes in one month (?month=YYYY-MM), by day."""
    require(classes.can_run_classes(current_user))
    today = clock.today()
    month = _month(request.args.get("month", ""), today)
    first_weekday, days = monthrange(month.year, month.month)
    start = datetime.combine(month, time(0))
    end = start + timedelta(days=days)
    in_scope = classes.classes_select(_scope()).with_only_columns(TrainingClass.id).order_by(None)
    sessions = db.session.scalars(
        select(ClassSession)
        .where(
            ClassSession.class_id.in_(in_scope),
            ClassSession.starts_at >= start,
            ClassSession.starts_at < end,
        )
        .order_by(ClassSession.starts_at)
    )
    by_day: dict[int, list] = {}
    for session in sessions:
        by_day.setdefault(session.starts_at.day, []).append(session)
    weeks, week = [], [None] * first_weekday
    for day in range(1, days + 1):
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=31)).replace(day=1)
    return render_template(
        "curricula/classes_calendar.html",
        month=month,
        weeks=weeks,
        by_day=by_day,
        previous=previous,
        following=following,
        today=today,
    )


def _month(value: str, today: date) -> date:
    """The first day of the month `value` names (YYYY-MM), else of this month."""
    try:
        parsed = datetime.strptime(value[:7], "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return parsed if 2000 <= parsed.year <= 2100 else today.replace(day=1)
