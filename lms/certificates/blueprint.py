"""The certificates blueprint: `bp`, its record_once hooks and the modules holding its views
(`ROUTES`, imported by the app factory)."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)


def _install_filters(state) -> None:
    """Template filters for the certificate labels (registered with the blueprint)."""
    from lms.certificates.forms import REVOCATION_LABELS, STATUS_LABELS

    labels = {"revocation_reason": REVOCATION_LABELS, "certificate_status": STATUS_LABELS}
    for name, table in labels.items():
        state.app.jinja_env.filters[name] = lambda value, table=table: table.get(value, value)


bp.record_once(_install_filters)

ROUTES = ("routes",)
