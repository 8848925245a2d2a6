"""The programmes blueprint (`bp`) and what its registration installs: the programmes/ part of
the catalog's `courses import` (lms.catalog.cli.TREE_PARTS) and the answer to curricula's
`course_completed` signal (a completed programme issues its chứng chỉ), and the section of a
position's curriculum page listing the programmes it requires (curricula's EDIT_PANELS), and the
answer to certificates' `certificate_revoked` (a chứng chỉ that relied on a revoked course
certificate is judged again, lms.programmes.revocation) with its notification kind.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)


def _connect(_state) -> None:
    from lms.catalog.cli import TREE_PARTS
    from lms.certificates.services import certificate_revoked
    from lms.curricula.completions.services import course_completed
    from lms.curricula.cycles.routes_manage import EDIT_PANELS
    from lms.i18n import _l
    from lms.jobs.notifications import KINDS
    from lms.programmes.cli import import_part
    from lms.programmes.files import FOLDER
    from lms.programmes.forms import position_panel as panel
    from lms.programmes.revocation import NOTICE, on_certificate_revoked
    from lms.programmes.services import on_course_completed

    TREE_PARTS[FOLDER] = import_part
    course_completed.connect(on_course_completed)
    certificate_revoked.connect(on_certificate_revoked)
    KINDS.setdefault(NOTICE, _l("My programme certificate (chứng chỉ) is revoked"))
    if ("programmes/_position.html", panel) not in EDIT_PANELS:
        EDIT_PANELS.append(("programmes/_position.html", panel))


bp.record_once(_connect)
