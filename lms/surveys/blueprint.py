"""The surveys blueprint (`bp`) and what its registration installs: the surveys/ part of the
catalog's `courses import` (lms.catalog.cli.TREE_PARTS).
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("surveys", __name__)


def _connect(_state) -> None:
    from lms.catalog.cli import TREE_PARTS
    from lms.surveys.cli import FOLDER, import_part

    TREE_PARTS[FOLDER] = import_part


bp.record_once(_connect)
