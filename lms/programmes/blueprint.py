"""The programmes blueprint (`bp`) and what its registration installs: the programmes/ part of
the catalog's `courses import` (lms.catalog.cli.TREE_PARTS).
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)


def _connect(_state) -> None:
    from lms.catalog.cli import TREE_PARTS
    from lms.programmes.cli import import_part
    from lms.programmes.files import FOLDER

    TREE_PARTS[FOLDER] = import_part


bp.record_once(_connect)
