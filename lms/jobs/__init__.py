"""Background jobs and notifications: the queue (embedded or Redis), reminders, the in-app
inbox and email, and the operations commands (worker, backup).

Public API for other domains:
- `enqueue(name, actor=None, key=None, **params)` → JobRun (lms.jobs.queue);
- `job(name, label)` decorator registering a job function (lms.jobs.registry);
- `notify(user_id, kind, key, context)` (lms.jobs.notifications);
- `LeaseLost`, raised in a job that another worker took over (lms.jobs.lease): a job that
  catches exceptions to record a failure lets this one through, untouched.
Templates get `unread_notifications()` (the current user's unread count).
"""

from flask import Blueprint

bp = Blueprint("jobs", __name__)


def enqueue(name: str, *, actor=None, key: str | None = None, **params):
    """Queue a registered job; see lms.jobs.queue.enqueue."""
    from lms.jobs.queue import enqueue as _enqueue

    return _enqueue(name, actor=actor, key=key, **params)


def notify(user_id: int, kind: str, key: str, context: dict | None = None):
    """Notify a user once per (kind, key); see lms.jobs.notifications.notify."""
    from lms.jobs.notifications import notify as _notify

    return _notify(user_id, kind, key, context)


def job(name: str, label=None):
    """Register a job function by name with its label; see lms.jobs.registry.job."""
    from lms.jobs.registry import job as _job

    return _job(name, label)


@bp.app_template_global()
def unread_notifications() -> int:
    """The current user's unread notifications (0 when logged out), for the menu."""
    from flask_login import current_user

    from lms.jobs.notifications import unread_count

    if not getattr(current_user, "is_authenticated", False):
        return 0
    return unread_count(current_user.id)


@bp.app_template_filter("job_status")
def job_status(value: str) -> str:
    """A run's status in words."""
    from lms.i18n import _

    labels = {
        "queued": _("Queued"),
        "running": _("Running"),
        "done": _("Done"),
        "failed": _("Failed"),
    }
    return labels.get(value, value)


def _install(state) -> None:
    from lms.jobs.logs import install_logging

    install_logging(state.app)


bp.record_once(_install)

from lms.jobs import routes  # noqa: E402,F401
from lms.jobs.lease import LeaseLost  # noqa: E402,F401
