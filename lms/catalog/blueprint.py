"""The catalog blueprint (`bp`) and its record_once hook installing the label filters.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)


def _install_filters(state) -> None:
    """Template filters for the catalog's labels (registered with the blueprint)."""
    from lms.catalog.forms import (
        CERTIFICATE_LABELS,
        CONTENT_AREA_LABELS,
        COURSE_STATUS_LABELS,
        DELIVERY_LABELS,
        KIND_LABELS,
    )

    labels = {
        "content_area": CONTENT_AREA_LABELS,
        "course_kind": KIND_LABELS,
        "delivery": DELIVERY_LABELS,
        "certificate": CERTIFICATE_LABELS,
        "course_status": COURSE_STATUS_LABELS,
    }
    for name, table in labels.items():
        state.app.jinja_env.filters[name] = lambda value, table=table: table.get(value, value)


bp.record_once(_install_filters)
