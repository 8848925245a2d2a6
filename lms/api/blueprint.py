"""The api blueprint (`bp`) and its record_once hook registering the token pages' blueprint.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("api", __name__)


def _register_token_pages(state) -> None:
    """The token page lives outside /api/v1 (a normal page: session, CSRF, HTML errors), so it
    is its own blueprint, registered with the application when the API is."""
    from lms.api.pages import pages

    state.app.register_blueprint(pages)


bp.record_once(_register_token_pages)
