"""Curriculum manager screens under /manage/curricula/ (training managers, administrators):
positions with their curricula, editing one with a preview of who it affects before saving,
rank-specific variants; and the training cycles under /manage/cycles/ (administrators)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import TRAINING_MANAGER
from lms.auth.permissions import require, scope_paths
from lms.common import clock
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach
from lms.curricula.blueprint import bp
from lms.curricula.cycles import queries
from lms.curricula.cycles import services as admin
from lms.curricula.cycles.forms import CurriculumForm, CycleForm
from lms.curricula.cycles.models import Cycle
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Position, Rank

# Sections later domains add to a position's curriculum page (the general one, not a rank's
# variant): (template, function of the position → the template's `panel`). lms.programmes adds
# the programmes the position requires.
EDIT_PANELS: list[tuple[str, Callable[[Position], dict]]] = []


def _position(code: str) -> Position:
    return db.session.scalar(select(Position).where(Position.code == code)) or abort(404)


def _rank(code: str) -> Rank:
    return db.session.scalar(select(Rank).where(Rank.code == code)) or abort(404)


@bp.route("/manage/curricula/")
@login_required
def curricula_list():
    """Every position with its target, mandatory courses and rank-specific variants."""
    require(admin.can_manage_curricula(current_user))
    return render_template(
        "curricula/curricula_list.html",
        rows=queries.positions_with_curricula(),
        can_cycles=admin.can_manage_cycles(current_user),
    )


@bp.route("/manage/curricula/<position_code>", methods=["GET", "POST"])
@login_required
def curriculum_edit(position_code: str):
    """Edit a position's general curriculum (preview, then save)."""
    require(admin.can_manage_curricula(current_user))
    return _edit(_position(position_code), None)


@bp.route("/manage/curricula/<position_code>/ranks/<rank_code>", methods=["GET", "POST"])
@login_required
def variant_edit(position_code: str, rank_code: str):
    """Edit (or create) the curriculum of a position for one rank (preview, then save)."""
    require(admin.can_manage_curricula(current_user))
    return _edit(_position(position_code), _rank(rank_code))


@bp.route("/manage/curricula/<position_code>/variant")
@login_required
def variant_open(position_code: str):
    """The rank picker of the edit page: go to the variant of the chosen rank."""
    require(admin.can_manage_curricula(current_user))
    position = _position(position_code)
    rank = _rank(request.args.get("rank", "", type=str)[:16])
    return redirect(url_for(".variant_edit", position_code=position.code, rank_code=rank.code))


def _edit(position: Position, rank: Rank | None):
    current = admin.find(position, rank)
    chosen = [c.course_id for c in current.courses] if current else []
    form = CurriculumForm(
        data={"target_credits": current.target_credits if current else Decimal(3)}
        if request.method == "GET"
        else None
    )
    courses = admin.course_choices(chosen)
    form.courses.choices = [(str(c.id), f"{c.code} — {c.title}") for c in courses]
    if request.method == "GET":
        form.courses.data = [str(i) for i in chosen]
    preview = None
    if form.validate_on_submit():
        data = admin.CurriculumData(
            form.target_credits.data, tuple(sorted({int(v) for v in form.courses.data}))
        )
        expected = admin.digest(position, rank, data, current)
        if form.save.data and form.digest.data == expected:
            saved, result = commit_or_attach(
                form, lambda: admin.save(position, rank, data, current_user)
            )
            if saved:
                flash(
                    _(
                        "Curriculum saved; %(count)d officials' obligations updated.",
                        count=result[1],
                    ),
                    "success",
                )
                return redirect(url_for(".curricula_list"))
        else:
            if form.save.data:
                form.form_errors.append(
                    _(
                        "The change differs from the preview (or someone else saved "
                        "meanwhile). Check the preview again, then save."
                    )
                )
            preview = admin.preview(
                position, rank, data, scope_paths(current_user, TRAINING_MANAGER)
            )
            form.digest.data = preview.digest
    return render_template(
        "curricula/curricula_edit.html",
        form=form,
        position=position,
        rank=rank,
        current=current,
        preview=preview,
        ranks=db.session.scalars(select(Rank).order_by(Rank.code)).all(),
        remove_form=ButtonForm(),
        panels=[(partial, func(position)) for partial, func in EDIT_PANELS] if not rank else [],
    )


@bp.route("/manage/curricula/<position_code>/ranks/<rank_code>/remove", methods=["POST"])
@login_required
def variant_remove(position_code: str, rank_code: str):
    """Remove a rank-specific variant; its officials fall back to the general curriculum."""
    require(admin.can_manage_curricula(current_user))
    position, rank = _position(position_code), _rank(rank_code)
    curriculum = admin.find(position, rank) or abort(404)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    count = admin.remove_variant(curriculum, current_user)
    db.session.commit()
    flash(_("Variant removed; %(count)d officials' obligations updated.", count=count), "success")
    return redirect(url_for(".curriculum_edit", position_code=position.code))


# --- cycles -------------------------------------------------------------------------------


@bp.route("/manage/cycles/")
@login_required
def cycles():
    """The training cycles with their rules."""
    require(admin.can_manage_cycles(current_user))
    rows = db.session.scalars(select(Cycle).order_by(Cycle.starts_on.desc())).all()
    return render_template("curricula/curricula_cycles.html", cycles=rows)


@bp.route("/manage/cycles/new", methods=["GET", "POST"])
@login_required
def cycle_new():
    """Create a cycle (default: the calendar year after the latest one)."""
    require(admin.can_manage_cycles(current_user))
    return _cycle_form(None)


@bp.route("/manage/cycles/<int:year>", methods=["GET", "POST"])
@login_required
def cycle_edit(year: int):
    """Change a cycle's dates or rules."""
    require(admin.can_manage_cycles(current_user))
    cycle = db.session.scalar(select(Cycle).where(Cycle.year == year)) or abort(404)
    return _cycle_form(cycle)


def _cycle_defaults() -> dict:
    latest = db.session.scalar(select(Cycle.year).order_by(Cycle.year.desc()).limit(1))
    year = (latest + 1) if latest else clock.today().year
    return {
        "year": year,
        "starts_on": date(year, 1, 1),
        "ends_on": date(year, 12, 31),
        "due_days": 180,
        "renewal_window_days": 60,
        "at_risk_days": 30,
        "pace_slack": Decimal(1),
        "notice_days": 30,
    }


def _cycle_form(cycle: Cycle | None):
    form = CycleForm(obj=cycle) if cycle else CycleForm(data=_cycle_defaults())
    if form.validate_on_submit():
        data = admin.CycleData(
            form.year.data,
            form.starts_on.data,
            form.ends_on.data,
            form.due_days.data,
            form.renewal_window_days.data,
            form.at_risk_days.data,
            form.pace_slack.data,
            form.notice_days.data,
        )
        saved, result = commit_or_attach(form, lambda: admin.save_cycle(cycle, data, current_user))
        if saved:
            flash(
                _(
                    "Cycle %(year)s saved. Officials' targets and obligations follow at the "
                    "nightly refresh.",
                    year=result.year,
                ),
                "success",
            )
            return redirect(url_for(".cycles"))
    return render_template("curricula/curricula_cycle_form.html", form=form, cycle=cycle)
