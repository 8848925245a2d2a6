"""The clerk's pages of scanned written papers (the council's secretary: an HR officer over the
recruitment's unit, or an administrator), before marking opens: the candidates with their scan
uploaded or not, one candidate's scan, and a ZIP of scans named by candidate number — checked
first (a preview of every file; nothing written while one has an error), then confirmed. And
the marker's view of a scan, under the paper's code only."""

import json
import secrets
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.permissions import require
from lms.common import files
from lms.common.forms import ButtonForm, too_large_message, upload_page
from lms.common.uploads import valid_token
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.blueprint import bp
from lms.recruitment.marking import queries, scans
from lms.recruitment.marking.forms import ScanForm, ScanZipForm
from lms.recruitment.marking.models import MarkingState
from lms.recruitment.marking.permissions import has_marking_work
from lms.recruitment.marking.rounds import round_of
from lms.recruitment.marking.routes_manage import _recruitment
from lms.recruitment.models import Candidate

NO_STORE = {"Cache-Control": "private, no-store"}
PENDING = "pending"  # instance/recruitment_scans/pending/<token>.zip and .json: a checked ZIP


def _instance() -> Path:
    return Path(current_app.instance_path)


def _max_bytes() -> int:
    return int(current_app.config.get("LMS_RECRUITMENT_SCAN_MAX_BYTES", scans.DEFAULT_MAX_BYTES))


def _zip_max_bytes() -> int:
    return int(current_app.config.get("LMS_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def _page(recruitment, form=None, zip_form=None, rows=None, token=None, status=200):
    marking_round = round_of(recruitment)
    zip_form = zip_form or ScanZipForm()
    # The page's limit (upload_page) is one scan's; the ZIP field carries the ZIP's own.
    zip_form.archive.render_kw = {
        **(zip_form.archive.render_kw or {}),
        "data-max-bytes": str(_zip_max_bytes()),
        "data-too-large": too_large_message(_zip_max_bytes()),
    }
    candidates = db.session.scalars(
        select(Candidate)
        .where(Candidate.recruitment_id == recruitment.id)
        .order_by(Candidate.number)
    ).all()
    return (
        render_template(
            "recruitment/marking/scans.html",
            recruitment=recruitment,
            is_draft=marking_round is None or marking_round.state == MarkingState.DRAFT,
            candidates=candidates,
            scanned=scans.scanned(recruitment),
            form=form or ScanForm(),
            zip_form=zip_form,
            rows=rows,
            token=token,
            button=ButtonForm(),
            max_mb=_max_bytes() // (1024 * 1024),
            zip_max_mb=_zip_max_bytes() // (1024 * 1024),
        ),
        status,
    )


def _commit() -> None:
    db.session.commit()
    scans.remove_replaced()


@bp.route("/recruitment/<code>/marking/scans", methods=["GET", "POST"])
@login_required
@upload_page("LMS_RECRUITMENT_SCAN_MAX_BYTES")
def scans_page(code: str):
    """The candidates and their scans; a POST uploads one candidate's scan."""
    recruitment = _recruitment(code)
    form = ScanForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(_max_bytes() + 1)
        upload.close()
        candidate = scans.candidate_by_number(recruitment, form.number.data)
        problem = scans.problem_of(upload.filename or "", data, _max_bytes())
        if candidate is None:
            form.number.errors.append(_("No candidate of this recruitment has this number."))
        elif problem:
            form.file.errors.append(problem)
        else:
            try:
                scans.attach(recruitment, candidate, data, _instance(), current_user)
            except RuleViolation as error:
                db.session.rollback()
                scans.forget_replaced()
                flash(str(error), "error")
            else:
                _commit()
                flash(_("Scan uploaded for %(number)s.", number=candidate.number), "success")
                return redirect(url_for("recruitment.scans_page", code=code))
    return _page(recruitment, form=form)


def _pending_dir() -> Path:
    return files.private_dir(_instance() / scans.FOLDER / PENDING)


def _pending(token: str, recruitment) -> Path | None:
    """The checked ZIP `token` of this user and recruitment, or None."""
    if not valid_token(token):
        return None
    folder = _instance() / scans.FOLDER / PENDING
    meta, data = folder / f"{token}.json", folder / f"{token}.zip"
    if not meta.is_file() or not data.is_file():
        return None
    owner = json.loads(meta.read_text())
    if owner != {"user_id": current_user.id, "recruitment_id": recruitment.id}:
        return None
    return data


def _drop_own_pending() -> None:
    """The user's earlier checked ZIPs that were never confirmed (one waits per user)."""
    for meta in _pending_dir().glob("*.json"):
        try:
            owner = json.loads(meta.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(owner, dict) and owner.get("user_id") == current_user.id:
            _drop_pending(meta.stem)


def _drop_pending(token: str) -> None:
    folder = _instance() / scans.FOLDER / PENDING
    for suffix in (".zip", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


@bp.route("/recruitment/<code>/marking/scans/zip", methods=["POST"])
@login_required
@upload_page("LMS_IMPORT_MAX_BYTES")
def scans_zip_check(code: str):
    """Check a ZIP of scans and show every file's row; nothing is written."""
    recruitment = _recruitment(code)
    zip_form = ScanZipForm()
    if not zip_form.validate_on_submit():
        return _page(recruitment, zip_form=zip_form)
    upload = zip_form.archive.data
    data = upload.read(_zip_max_bytes() + 1)
    upload.close()
    try:
        if len(data) > _zip_max_bytes():
            message = _("The file is larger than %(mb)s MB.", mb=_zip_max_bytes() // 1048576)
            raise ValidationFailed([("archive", message)])
        rows = scans.check_zip(recruitment, data, _max_bytes())
    except ValidationFailed as error:
        error.attach_to(zip_form)
        return _page(recruitment, zip_form=zip_form)
    token = None
    if not any(row.problem for row in rows):
        _drop_own_pending()
        token = secrets.token_urlsafe(16)
        folder = _pending_dir()
        files.write_atomic(folder / f"{token}.zip", data)
        owner = {"user_id": current_user.id, "recruitment_id": recruitment.id}
        files.write_atomic(folder / f"{token}.json", json.dumps(owner))
    return _page(recruitment, rows=rows, token=token)


@bp.route("/recruitment/<code>/marking/scans/zip/<token>", methods=["POST"])
@login_required
def scans_zip_apply(code: str, token: str):
    """Upload every scan of a checked ZIP (checked again; nothing written on an error)."""
    recruitment = _recruitment(code)
    if not ButtonForm().validate_on_submit():
        abort(400)
    path = _pending(token, recruitment) or abort(404)
    try:
        count = scans.apply_zip(
            recruitment, path.read_bytes(), _max_bytes(), _instance(), current_user
        )
    except (RuleViolation, ValidationFailed) as error:
        db.session.rollback()
        scans.forget_replaced()
        flash(str(error), "error")
    else:
        _commit()
        flash(_("%(num)s scans uploaded.", num=count), "success")
    _drop_pending(token)
    return redirect(url_for("recruitment.scans_page", code=code))


@bp.route("/marking/<int:mark_id>/scan")
@login_required
def marker_scan(mark_id: int):
    """The scan of a paper given to the marker, named by the paper's code only."""
    require(has_marking_work(current_user))
    found = queries.marker_scan(current_user, mark_id) or abort(404)
    code, stored, kind = found
    path = _instance() / stored
    folder = (_instance() / scans.FOLDER).resolve()
    if path.resolve().parent != folder or not path.is_file():
        abort(404)
    suffix, mime = scans.KINDS[kind]
    response = send_file(path, mimetype=mime, as_attachment=False, download_name=f"{code}{suffix}")
    response.headers.update(NO_STORE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
