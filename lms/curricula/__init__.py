"""Curricula: training cycles, position curricula, obligations and targets, completions, the
credit ledger, in-person classes and external training."""

from flask import Blueprint

bp = Blueprint("curricula", __name__)


def _required_courses(official_id: int, course_ids=None, **_extra) -> set[int]:
    from lms.curricula.queries import required_courses_of

    return required_courses_of(official_id, course_ids)


def _connect(_state) -> None:
    """Catalog asks, through its signal, which courses an official's obligations require;
    organisation tells, through its, which posts an import wrote in bulk."""
    from lms.catalog.queries import required_courses
    from lms.curricula.obligations import note_posts_written
    from lms.organisation.imports import posts_written

    required_courses.connect(_required_courses)
    posts_written.connect(note_posts_written)


bp.record_once(_connect)

from lms.curricula import classes_routes, completions_routes, external_routes, ledger_routes  # noqa: E402,F401,I001

# isort: split
from lms.curricula import obligations, routes_manage, routes_me  # noqa: E402,F401  (engine, pages)
