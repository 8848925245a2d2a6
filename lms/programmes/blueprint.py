"""The programmes blueprint (`bp`) and what its registration installs: the programmes/ part of
the catalog's `courses import` (lms.catalog.cli.TREE_PARTS) and the answer to curricula's
`course_completed` signal (a completed programme issues its chứng chỉ), and the section of a
position's curriculum page listing the programmes it requires (curricula's EDIT_PANELS).
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)


def _connect(_state) -> None:
    from lms.catalog.cli import TREE_PARTS
    from lms.curricula.completions.services import course_completed
    from lms.curricula.cycles.routes_manage import EDIT_PANELS
    from lms.programmes.cli import import_part
    from lms.programmes.files import FOLDER
    from lms.programmes.routes_positions import panel
    from lms.programmes.services import on_course_completed

    TREE_PARTS[FOLDER] = import_part
    course_completed.connect(on_course_completed)
    if ("programmes/_position.html", panel) not in EDIT_PANELS:
        EDIT_PANELS.append(("programmes/_position.html", panel))


bp.record_once(_connect)
