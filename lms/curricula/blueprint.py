"""The curricula blueprint and what its registration installs: the signals it answers or
listens to and the obligations engine's session hooks (its states' filters: lms.web)."""

from flask import Blueprint

bp = Blueprint("curricula", __name__)


def _required_courses(official_id: int, course_ids=None, **_extra) -> set[int]:
    from lms.curricula.obligations.queries import required_courses_of

    return required_courses_of(official_id, course_ids)


def _official_months(official_id: int, **_extra) -> dict | None:
    from lms.common import clock
    from lms.curricula.obligations.engine import cycle_on
    from lms.curricula.obligations.queries import months_summary

    cycle = cycle_on(clock.today())
    if cycle is None:
        return None
    return {"year": cycle.year, **months_summary(official_id, cycle)._asdict()}


def _connect(_state) -> None:
    """Catalog asks, through its signal, which courses an official's obligations require;
    organisation tells, through its, which posts an import wrote in bulk, and asks an
    official's months of the current cycle (the registry page); a class message carries its
    calendar invitation (lms.jobs.notifications.mail_attachments)."""
    from lms.catalog.queries import required_courses
    from lms.curricula.classes.calendar import attachment
    from lms.curricula.obligations.hooks import install_session_hooks, note_posts_written
    from lms.jobs.notifications import mail_attachments
    from lms.organisation.imports import posts_written
    from lms.organisation.leave import official_months

    mail_attachments(
        "class_enrolled",
        "class_promoted",
        "class_cancelled",
        "class_updated",
        "class_event_cancelled",
    )(attachment)
    required_courses.connect(_required_courses)
    posts_written.connect(note_posts_written)
    official_months.connect(_official_months)
    install_session_hooks()


bp.record_once(_connect)
