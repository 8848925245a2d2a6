"""The organisation blueprint (`bp`) and its record_once hook filling auth's directory.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("organisation", __name__)


def _provide_directory(_state) -> None:
    """Auth's account screens list units and find officials by code through lms.auth.directory
    (auth comes before organisation and does not import it)."""
    from lms.auth import directory
    from lms.organisation.queries import official_id_by_code, unit_choices

    directory.provide(unit_choices, official_id_by_code)


bp.record_once(_provide_directory)
