"""The teams blueprint (`bp`) and what its registration installs: the session hooks that keep
the `head` grants in step with the registry, and its answer to organisation's signal.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("teams", __name__)


def _connect(_state) -> None:
    """Posts written in bulk by an import may make or unmake heads."""
    from lms.organisation.imports import posts_written
    from lms.teams.hooks import install_session_hooks, note_posts_written

    posts_written.connect(note_posts_written)
    install_session_hooks()


bp.record_once(_connect)
