"""The curricula blueprint and what its registration installs: the signals it answers or
listens to, the obligations engine's session hooks, and the template filters of its labels."""

from flask import Blueprint

bp = Blueprint("curricula", __name__)


def _required_courses(official_id: int, course_ids=None, **_extra) -> set[int]:
    from lms.curricula.obligations.queries import required_courses_of

    return required_courses_of(official_id, course_ids)


def _connect(_state) -> None:
    """Catalog asks, through its signal, which courses an official's obligations require;
    organisation tells, through its, which posts an import wrote in bulk."""
    from lms.catalog.queries import required_courses
    from lms.curricula.obligations.hooks import install_session_hooks, note_posts_written
    from lms.organisation.imports import posts_written

    required_courses.connect(_required_courses)
    posts_written.connect(note_posts_written)
    install_session_hooks()


def _install_filters(state) -> None:
    """`result|class_result` and `status|external_status`."""
    from lms.curricula.classes.forms import RESULT_LABELS
    from lms.curricula.external.forms import EXTERNAL_STATUS_LABELS

    filters = state.app.jinja_env.filters
    filters["class_result"] = lambda value: RESULT_LABELS.get(value, value)
    filters["external_status"] = lambda value: EXTERNAL_STATUS_LABELS.get(value, value)


bp.record_once(_connect)
bp.record_once(_install_filters)
