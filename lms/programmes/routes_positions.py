"""The programmes a job position requires, on its curriculum page (/manage/curricula/<code>,
training managers and administrators, like the mandatory courses): require one more, or no
longer. Positions and programmes are organisation-wide: an unknown code is 404."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.permissions import require
from lms.common.web import apply_or_flash_refusal, remove_or_404
from lms.curricula.cycles.services import can_manage_curricula
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Position
from lms.programmes import requirers
from lms.programmes.blueprint import bp
from lms.programmes.forms import RequireForm
from lms.programmes.models import Programme


def _load(position_code: str, programme_code: str | None = None):
    require(can_manage_curricula(current_user))
    position = db.session.scalar(select(Position).where(Position.code == position_code[:32]))
    if position is None:
        abort(404)
    if programme_code is None:
        return position, None
    programme = db.session.scalar(select(Programme).where(Programme.code == programme_code[:32]))
    return position, programme or abort(404)


def _back(position: Position):
    return redirect(url_for("curricula.curriculum_edit", position_code=position.code))


@bp.route("/manage/curricula/<position_code>/programmes", methods=["POST"])
@login_required
def position_require(position_code: str):
    """Make the position require a programme from today (audited)."""
    position, _programme = _load(position_code)
    form = RequireForm()
    form.programme.choices = [
        (p.code, p.code) for p in requirers.not_required_by(requirers.POSITION, position.code)
    ]
    if form.validate_on_submit():
        programme = db.session.scalar(
            select(Programme).where(Programme.code == form.programme.data)
        )
        apply_or_flash_refusal(
            lambda: requirers.require_programme(
                programme, requirers.POSITION, position.code, current_user
            ),
            _("Programme %(code)s is now required of this position.", code=programme.code),
        )
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    return _back(position)


@bp.route("/manage/curricula/<position_code>/programmes/<programme_code>/remove", methods=["POST"])
@login_required
def position_unrequire(position_code: str, programme_code: str):
    """The position no longer requires the programme (audited; the chứng chỉ held stay)."""
    position, programme = _load(position_code, programme_code)
    remove_or_404(
        lambda: requirers.unrequire_programme(
            programme, requirers.POSITION, position.code, current_user
        ),
        _("Programme %(code)s is no longer required of this position.", code=programme.code),
    )
    return _back(position)
