"""External training screens of an official: their submissions under /me/external/, a new one
with its evidence file, and the evidence download."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.auth.permissions import require
from lms.common.forms import upload_page
from lms.common.web import commit_or_attach
from lms.curricula.blueprint import bp
from lms.curricula.external import evidence
from lms.curricula.external import services as external
from lms.curricula.external.forms import ExternalForm
from lms.curricula.external.models import ExternalRecord
from lms.curricula.external.stages import stages_of
from lms.extensions import db
from lms.i18n import _


def _official_id() -> int:
    require(current_user.official_id is not None)
    return current_user.official_id


@bp.route("/me/external/")
@login_required
def my_external():
    """The official's external training records and their decisions."""
    records = external.own_records(_official_id())
    stages = stages_of([record.id for record in records])
    return render_template("curricula/external_mine.html", records=records, stages=stages)


@bp.route("/me/external/new", methods=["GET", "POST"])
@login_required
@upload_page("LMS_EVIDENCE_MAX_BYTES")
def my_external_new():
    """Submit training taken elsewhere with its evidence."""
    official_id = _official_id()
    form = ExternalForm()
    if form.validate_on_submit():
        upload = form.evidence.data
        content = upload.read(evidence.max_bytes() + 1)
        upload.close()  # a large upload is spooled to a temporary file
        data = external.Submission(
            title=form.title.data,
            organiser=form.organiser.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            periods=form.periods.data,
        )
        saved, _record = commit_or_attach(
            form,
            lambda: external.submit(
                official_id,
                data,
                upload.filename or "",
                content,
                evidence.instance() / external.EVIDENCE_FOLDER,
                evidence.max_bytes(),
                current_user,
            ),
        )
        if saved:
            flash(_("Submitted. HR of your unit will review it."), "success")
            return redirect(url_for(".my_external"))
    return render_template(
        "curricula/external_form.html", form=form, max_mb=evidence.max_bytes() // (1024 * 1024)
    )


@bp.route("/me/external/<int:record_id>/evidence")
@login_required
def my_external_evidence(record_id: int):
    """Download one's own evidence file."""
    record = db.session.get(ExternalRecord, record_id)
    if record is None or record.official_id != _official_id():
        abort(404)
    return evidence.send(record)
