"""The jobs blueprint (`bp`), the template helper (unread count) and the log set-up; a run's
status in words is lms.jobs.models.RunStatus. The app factory imports the domain's route
modules (routes*.py, *_routes.py) and registers it."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)


@bp.app_template_global()
def unread_notifications() -> int:
    """The current user's unread notifications (0 when logged out), for the menu."""
    from flask_login import current_user

    from lms.jobs.notifications import unread_count

    if not getattr(current_user, "is_authenticated", False):
        return 0
    return unread_count(current_user.id)


def _install(state) -> None:
    from lms.jobs.logs import install_logging

    install_logging(state.app)


bp.record_once(_install)
