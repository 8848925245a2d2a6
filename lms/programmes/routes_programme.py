"""A programme's page (/manage/programmes/<code>): its course sets, the positions and the
civil-service ranks that require it; and, for training managers and administrators (as a
position's required programmes on its curriculum page), requiring it of a rank or no longer.
Programmes and ranks are organisation-wide: an unknown code is 404."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.permissions import require
from lms.certificates.permissions import can_manage_certificates
from lms.common.web import apply_or_flash_refusal, remove_or_404
from lms.curricula.cycles.services import can_manage_curricula
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Rank
from lms.programmes import requirers
from lms.programmes.blueprint import bp
from lms.programmes.forms import RankRequireForm, rank_panel
from lms.programmes.models import Programme


def _programme(code: str) -> Programme:
    found = db.session.scalar(select(Programme).where(Programme.code == code[:32]))
    return found or abort(404)


def _back(programme: Programme):
    return redirect(url_for("programmes.programme_detail", code=programme.code) + "#ranks")


@bp.route("/manage/programmes/<code>")
@login_required
def programme_detail(code: str):
    """The programme with its sets and who requires it (staff who see the programmes); the
    rank forms for those who manage curricula."""
    require(can_manage_certificates(current_user))
    programme = _programme(code)
    return render_template(
        "programmes/programme.html",
        programme=programme,
        positions=requirers.requiring(programme, requirers.POSITION),
        panel=rank_panel(programme),
        can_edit=can_manage_curricula(current_user),
    )


@bp.route("/manage/programmes/<code>/ranks", methods=["POST"])
@login_required
def rank_require(code: str):
    """Make a rank require the programme from today (audited); an unknown rank code is refused
    with a message, nothing written."""
    require(can_manage_curricula(current_user))
    programme = _programme(code)
    form = RankRequireForm()
    if form.validate_on_submit():
        wanted = form.rank.data.strip()[:16]
        rank = db.session.scalar(select(Rank).where(Rank.code == wanted))
        if rank is None:
            flash(_("There is no rank with the code %(code)s.", code=wanted), "error")
            return _back(programme)
        apply_or_flash_refusal(
            lambda: requirers.require_programme(programme, requirers.RANK, rank.code, current_user),
            _(
                "Programme %(code)s is now required of rank %(rank)s.",
                code=programme.code,
                rank=f"{rank.code} {rank.name}",
            ),
        )
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    return _back(programme)


@bp.route("/manage/programmes/<code>/ranks/<rank_code>/remove", methods=["POST"])
@login_required
def rank_unrequire(code: str, rank_code: str):
    """The rank no longer requires the programme (audited; the chứng chỉ held stay). 404 when
    it did not."""
    require(can_manage_curricula(current_user))
    programme = _programme(code)
    remove_or_404(
        lambda: requirers.unrequire_programme(
            programme, requirers.RANK, rank_code[:32], current_user
        ),
        _(
            "Programme %(code)s is no longer required of rank %(rank)s.",
            code=programme.code,
            rank=rank_code[:32],
        ),
    )
    return _back(programme)
