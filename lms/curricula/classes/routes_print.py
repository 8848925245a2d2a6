"""Printouts of a class in the administrative layout of Decree 30/2020 (A4, embedded font): a
session's sign-in sheet and the class list."""

from flask import Response, render_template
from flask_babel import get_locale
from flask_login import login_required

from lms.common import clock
from lms.common.pdf import render_pdf
from lms.curricula.blueprint import bp
from lms.curricula.classes import services as classes
from lms.curricula.classes.routes_attendance import _staff_session
from lms.curricula.classes.routes_manage import _load
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.organisation.queries import current_unit_paths


def _rows(members) -> list[tuple]:
    """(member, the name of their current unit), in roster order."""
    paths = current_unit_paths([m.official_id for m in members])
    names = dict(
        db.session.execute(
            db.select(OrgUnit.path, OrgUnit.name).where(OrgUnit.path.in_(set(paths.values())))
        ).all()
    )
    return [(m, names.get(paths.get(m.official_id))) for m in members]


def _pdf(template: str, filename: str, **context) -> Response:
    html = render_template(
        template, today=clock.today(), language=str(get_locale() or "vi"), **context
    )
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/signin.pdf")
@login_required
def session_signin_pdf(class_id: int, session_id: int):
    """The session's sign-in sheet: one line per official holding a place, a signature box."""
    session = _staff_session(class_id, session_id)
    klass = session.training_class
    return _pdf(
        "curricula/classes_signin_pdf.html",
        f"ky-danh-sach-{klass.id}-{session.id}.pdf",
        klass=klass,
        session=session,
        rows=_rows(classes.roster(klass)),
    )


@bp.route("/classes/<int:class_id>/list.pdf")
@login_required
def class_list_pdf(class_id: int):
    """The list of officials holding a place, with their results once recorded."""
    klass = _load(class_id)
    return _pdf(
        "curricula/classes_list_pdf.html",
        f"danh-sach-lop-{klass.id}.pdf",
        klass=klass,
        rows=_rows(classes.roster(klass)),
    )
