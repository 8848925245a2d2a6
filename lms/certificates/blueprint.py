"""The certificates blueprint (`bp`) and its record_once hook installing the label filters.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)


def _install_filters(state) -> None:
    """Template filters for the certificate labels (registered with the blueprint)."""
    from lms.certificates.forms import REVOCATION_LABELS, STATUS_LABELS

    labels = {"revocation_reason": REVOCATION_LABELS, "certificate_status": STATUS_LABELS}
    for name, table in labels.items():
        state.app.jinja_env.filters[name] = lambda value, table=table: table.get(value, value)


bp.record_once(_install_filters)
