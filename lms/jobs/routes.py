"""Pages: a job run's progress (`/jobs/<id>`, and its JSON for the auto-refresh), the list of
runs with the administrator's "run now", the inbox (`/inbox`) and email preferences."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import gets_staff_notices, is_admin, require
from lms.common.forms import ButtonForm
from lms.common.pagination import paginate
from lms.common.vntext import sort_key
from lms.common.web import date_argument, page_number
from lms.extensions import db
from lms.i18n import _
from lms.jobs import notifications, results
from lms.jobs.blueprint import bp
from lms.jobs.forms import STARTABLE, StartJobForm, preferences_form
from lms.jobs.models import RUN_STATUSES, JobRun, Notification, RunStatus
from lms.jobs.queries import RunFilters, runs_select
from lms.jobs.queue import enqueue, stale_after
from lms.jobs.registry import job_label, load_all

PAGE_SIZE = 30


def _run(run_id: int) -> JobRun:
    """The run, if the viewer started it or is an administrator; else 404."""
    run = db.session.get(JobRun, run_id)
    if run is None or not (is_admin(current_user) or run.user_id == current_user.id):
        abort(404)
    return run


def _status(run: JobRun) -> dict:
    from lms.common import clock

    waiting = run.status == "queued" and clock.now() - run.created_at > stale_after() / 10
    return {
        "id": run.id,
        "status": run.status,
        "status_label": RunStatus.text_of(run.status),
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
        "message": run.message,
        "finished": run.is_finished,
        "waiting_for_worker": bool(waiting),
    }


@bp.route("/jobs/")
@login_required
def runs():
    """The viewer's job runs (every run for administrators), newest first, filtered by kind,
    state and date (and by who started them, for administrators)."""
    admin = is_admin(current_user)
    kinds = sorted(
        ((name, job_label(name)) for name in load_all()), key=lambda pair: sort_key(pair[1])
    )
    filters = RunFilters.from_args(
        request.args,
        {name for name, _label in kinds},
        date_argument("date_from"),
        date_argument("date_to"),
        by_user=admin,
    )
    stmt = runs_select(filters, None if admin else current_user.id)
    page = paginate(stmt, page_number(), PAGE_SIZE, scalars=False)
    return render_template(
        "jobs/runs.html",
        page=page,
        label=job_label,
        form=StartJobForm() if admin else None,
        filters=filters,
        kinds=kinds,
        states=RUN_STATUSES,
        admin=admin,
    )


@bp.route("/jobs/start", methods=["POST"])
@login_required
def start():
    """An administrator starts one of the idempotent maintenance jobs now."""
    require(is_admin(current_user))
    form = StartJobForm()
    if not form.validate_on_submit():
        flash(_("Choose a job to start."), "error")
        return redirect(url_for("jobs.runs"))
    run = enqueue(form.name.data, actor=current_user)
    db.session.commit()
    flash(_("Started: %(job)s.", job=STARTABLE[form.name.data]), "success")
    return redirect(url_for("jobs.run_detail", run_id=run.id))


@bp.route("/jobs/<int:run_id>")
@login_required
def run_detail(run_id: int):
    """A run's status and progress; refreshes itself while the run is not finished."""
    run = _run(run_id)
    return render_template(
        "jobs/run.html",
        run=run,
        label=job_label(run.name),
        state=_status(run),
        result=results.describe(run.result),
    )


@bp.route("/jobs/<int:run_id>.json")
@login_required
def run_status(run_id: int):
    """The run's progress as JSON (polled by static/jobs.js)."""
    return jsonify(_status(_run(run_id)))


@bp.route("/inbox")
@login_required
def inbox():
    """The viewer's notifications, newest first; `?unread=1` shows the unread ones only."""
    unread_only = request.args.get("unread") == "1"
    stmt = notifications.inbox_select(current_user.id, unread_only)
    page = paginate(stmt, page_number(), PAGE_SIZE)
    return render_template(
        "jobs/inbox.html",
        page=page,
        unread_only=unread_only,
        unread=notifications.unread_count(current_user.id),
    )


def _notification(notification_id: int) -> Notification:
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    return item


@bp.route("/inbox/<int:notification_id>")
@login_required
def notification_detail(notification_id: int):
    """One notification in full; opening it marks it read."""
    item = _notification(notification_id)
    if item.read_at is None:
        notifications.mark_read(current_user.id, item.id)
        db.session.commit()
    return render_template("jobs/notification.html", item=item)


@bp.route("/inbox/<int:notification_id>/read", methods=["POST"])
@login_required
def notification_read(notification_id: int):
    """Mark one notification read without opening it."""
    item = _notification(notification_id)
    if ButtonForm().validate_on_submit():
        notifications.mark_read(current_user.id, item.id)
        db.session.commit()
    return redirect(url_for("jobs.inbox"))


@bp.route("/inbox/read-all", methods=["POST"])
@login_required
def inbox_read_all():
    """Mark every notification of the viewer read."""
    if ButtonForm().validate_on_submit():
        count = notifications.mark_read(current_user.id)
        db.session.commit()
        flash(_("%(n)d notifications marked as read.", n=count), "success")
    return redirect(url_for("jobs.inbox"))


@bp.route("/inbox/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """Which kinds of notification the viewer also wants by email."""
    kinds = notifications.kinds_for(gets_staff_notices(current_user))
    form = preferences_form(kinds, notifications.preferences(current_user.id))
    if form.validate_on_submit():
        choices = {kind: bool(getattr(form, f"email_{kind}").data) for kind in kinds}
        notifications.save_preferences(current_user.id, choices)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("jobs.preferences"))
    rows = [(kind, getattr(form, f"email_{kind}")) for kind in kinds]
    return render_template(
        "jobs/preferences.html",
        form=form,
        rows=rows,
        address=notifications.email_address(current_user),
    )
