"""The organisation blueprint: `bp`, its record_once hook (auth's directory) and the modules
holding its views (`ROUTES`, imported by the app factory)."""

from flask import Blueprint

bp = Blueprint("organisation", __name__)


def _provide_directory(_state) -> None:
    """Auth's account screens list units and find officials by code through lms.auth.directory
    (auth comes before organisation and does not import it)."""
    from lms.auth import directory
    from lms.organisation.queries import official_id_by_code, unit_choices

    directory.provide(unit_choices, official_id_by_code)


bp.record_once(_provide_directory)

ROUTES = ("account_routes", "import_routes", "routes")
