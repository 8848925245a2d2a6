"""Certificate pages: public verification (web and JSON), an official's own certificates and
transcripts, PDF downloads, and the staff screens under /manage/certificates (list, issue,
revoke, re-issue, bulk .zip)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.audit import reads
from lms.auth.permissions import require
from lms.certificates import bulk, documents, queries, rules, services
from lms.certificates.blueprint import bp
from lms.certificates.forms import BULK_LABELS, BulkForm, ReissueForm, RevokeForm
from lms.certificates.permissions import (
    can_manage_certificates,
    has_own_record,
    manage_scope,
    transcript_reach,
)
from lms.common.forms import ButtonForm
from lms.common.web import client_address, commit_or_attach, page_number
from lms.errors import RuleViolation
from lms.extensions import db, limiter
from lms.i18n import _, ngettext
from lms.jobs import enqueue
from lms.jobs.models import QUEUED, RUNNING, JobRun

PAGE_SIZE = 50
ISSUE_JOB = "certificates.issue_requested"
ISSUE_LIMIT = 5000  # certificates one press of "Issue them now" queues (the job's batches)
NO_STORE = {"Cache-Control": "private, no-store"}
# What later domains check before a holder gets their certificate's PDF: func(certificate,
# user) → a response that stands in for the PDF, or None (lms.surveys: the course evaluation,
# when LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE is on). The certificate still exists and verifies.
DOWNLOAD_GATES: list = []


def _verify_limit() -> str:
    """LMS_VERIFY_RATE_LIMIT: look-ups per address, the page and the API counted together
    (guessing codes is pointless anyway: 128 random bits); generous under the testing config."""
    default = "10000 per minute" if current_app.testing else "30 per minute"
    return current_app.config.get("LMS_VERIFY_RATE_LIMIT") or default


def _pdf(data: bytes, name: str) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{name}"', **NO_STORE}
    return Response(data, mimetype="application/pdf", headers=headers)


def _read(action: str, official, **details) -> None:
    """Audit a read of an official's certificate or transcript by someone else (flushed: the
    view commits once its answer is built)."""
    reads.record_view(current_user, action, official, client_address(), via="web", **details)


# --- public ------------------------------------------------------------------------------------


@bp.route("/verify/<code>")
@limiter.shared_limit(_verify_limit, scope="certificate-verify")
def verify(code: str):
    """Public check of a certificate by its code (the QR code's address): status, holder's
    name, course and dates only. Every look-up is logged."""
    answer = services.verify(code, "web", client_address())
    db.session.commit()
    return render_template("certificates/verify.html", answer=answer), (200 if answer else 404)


@bp.route("/api/v1/verify/<code>")
@limiter.shared_limit(_verify_limit, scope="certificate-verify")
def api_verify(code: str):
    """The same check as JSON (no login)."""
    answer = services.verify(code, "api", client_address())
    db.session.commit()
    if answer is None:
        message = _("No certificate has this verification code.")
        return jsonify(error={"code": "not_found", "message": message}), 404
    return jsonify(answer.as_json())


# --- an official's own -------------------------------------------------------------------------


@bp.route("/me/certificates")
@login_required
def mine():
    """The viewer's certificates (with their status) and transcripts by cycle."""
    official = current_user.official if has_own_record(current_user) else None
    certificates = queries.mine(official.id) if official else []
    return render_template(
        "certificates/mine.html",
        official=official,
        certificates=certificates,
        statuses={c.id: services.status_of(c) for c in certificates},
        years=queries.transcript_years(official.id) if official else [],
        base_url=documents.public_base_url(),
    )


@bp.route("/certificates/<serial>.pdf")
@login_required
def certificate_pdf(serial: str):
    """A certificate's PDF: for its holder (until it is revoked), and for HR officers, training
    managers and reviewers whose scope covers the holder's unit (404 for anyone else; the
    reviewer's statement links here); a revoked certificate prints with a REVOKED banner, for
    HR officers and training managers only."""
    certificate = queries.by_serial(serial, transcript_reach(current_user))
    if certificate is None:
        abort(404)
    if certificate.revoked_at is not None and not can_manage_certificates(current_user):
        abort(404)  # a revoked certificate is no longer the holder's to print
    for gate in DOWNLOAD_GATES:
        if (waiting := gate(certificate, current_user)) is not None:
            return waiting
    data = documents.certificate_pdf(certificate, documents.public_base_url())
    _read("certificate.viewed", certificate.official, serial=certificate.serial, format="pdf")
    db.session.commit()
    return _pdf(data, rules.download_name(certificate.serial))


@bp.route("/transcripts/<employee_code>/<int:year>.pdf")
@login_required
def transcript_pdf(employee_code: str, year: int):
    """An official's transcript of one cycle: every ledger entry and certificate. For the
    official, and for HR officers, training managers and reviewers who cover them."""
    found = queries.official_in_scope(employee_code, transcript_reach(current_user))
    cycle = queries.cycle_by_year(year) if 1900 < year < 3000 else None
    if found is None or cycle is None:
        abort(404)
    official, unit_name = found
    transcript = queries.transcript(official, unit_name, cycle)
    language = current_app.config["LMS_DEFAULT_LOCALE"]
    data = documents.transcript_pdf(transcript, language, documents.public_base_url())
    _read("transcript.viewed", official, cycle=cycle.year, format="pdf")
    db.session.commit()
    return _pdf(data, f"{official.employee_code}-{cycle.year}.pdf")


# --- staff -------------------------------------------------------------------------------------


def _staff_scope():
    require(can_manage_certificates(current_user))
    return manage_scope(current_user)


def _load(serial: str):
    """The certificate named in the URL if the staff viewer's scope covers it, or 404."""
    certificate = queries.by_serial(serial, _staff_scope())
    return certificate or abort(404)


@bp.route("/manage/certificates")
@login_required
def manage():
    """Certificates of the officials in scope, with filters and counts by status."""
    scope = _staff_scope()
    filters = queries.Filters.from_args(request.args)
    return render_template(
        "certificates/manage.html",
        page=queries.search(scope, filters, page_number(), PAGE_SIZE),
        filters=filters,
        counts=queries.counts_by_status(scope),
        pending=services.pending_count(scope),
        today_status=services.status_of,
    )


@bp.route("/manage/certificates/issue", methods=["POST"])
@login_required
def issue_pending():
    """Queue the issue of the requested certificates of the officials in scope (job
    `certificates.issue_requested`, in batches with progress) and show the run's page. A run of
    the viewer's for the same scope that has not finished yet is shown instead of a second."""
    scope = _staff_scope()
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".manage"))
    running = _issuing_run(scope)
    if running is not None:
        flash(_("The pending certificates are already being issued."), "info")
        return redirect(url_for("jobs.run_detail", run_id=running.id))
    count = min(services.pending_count(scope), ISSUE_LIMIT)
    if not count:
        flash(_("No certificate is waiting to be issued."), "info")
        return redirect(url_for(".manage"))
    run = enqueue(ISSUE_JOB, actor=current_user, scope=scope, limit=ISSUE_LIMIT)
    db.session.commit()  # the message goes to the queue now
    flash(
        ngettext(
            "%(num)d certificate is being issued; this page shows the progress.",
            "%(num)d certificates are being issued; this page shows the progress.",
            count,
        ),
        "success",
    )
    return redirect(url_for("jobs.run_detail", run_id=run.id))


def _issuing_run(scope):
    """The viewer's unfinished run of ISSUE_JOB over the same scope, or None."""
    runs = db.session.scalars(
        select(JobRun).where(
            JobRun.name == ISSUE_JOB,
            JobRun.user_id == current_user.id,
            JobRun.status.in_((QUEUED, RUNNING)),
        )
    )
    return next((run for run in runs if (run.params or {}).get("scope") == scope), None)


@bp.route("/manage/certificates/<serial>")
@login_required
def detail(serial: str):
    """One certificate: its facts, status, public look-ups, revoke and re-issue."""
    certificate = _load(serial)
    _read("certificate.viewed", certificate.official, serial=certificate.serial)
    page = render_template(
        "certificates/detail.html",
        certificate=certificate,
        status=services.status_of(certificate),
        replacement=services.replacement(certificate),
        look_ups=queries.look_ups(certificate.id),
        revoke_form=RevokeForm(formdata=None),
        reissue_form=ReissueForm(formdata=None),
        verify_url=documents.verify_url(certificate.verification_code, documents.public_base_url()),
    )
    db.session.commit()  # the read is logged; after rendering, as the commit expires the rows
    return page


def _act(serial: str, form, act, done: str):
    certificate = _load(serial)
    if form.validate_on_submit():
        try:
            saved, result = commit_or_attach(form, lambda: act(certificate, form))
        except RuleViolation as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            if saved:
                flash(done, "success")
                return redirect(url_for(".detail", serial=result.serial))
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    for message in form.form_errors:
        flash(message, "error")
    return redirect(url_for(".detail", serial=certificate.serial))


@bp.route("/manage/certificates/<serial>/revoke", methods=["POST"])
@login_required
def revoke(serial: str):
    """Revoke a certificate for one of the reasons of Circular 03/2023 (audited)."""
    return _act(
        serial,
        RevokeForm(),
        lambda c, f: services.revoke(c, f.reason.data, f.note.data, current_user),
        _("The certificate was revoked."),
    )


@bp.route("/manage/certificates/<serial>/reissue", methods=["POST"])
@login_required
def reissue(serial: str):
    """Re-issue a certificate with corrected data under a new serial (audited)."""
    return _act(
        serial,
        ReissueForm(),
        lambda c, f: services.reissue(c, f.note.data, current_user),
        _("A new certificate was issued."),
    )


@bp.route("/manage/certificates/bulk", methods=["GET", "POST"])
@login_required
def bulk_new():
    """Choose a course, a unit or a class; its certificates are zipped in the background."""
    scope = _staff_scope()
    form = BulkForm()
    if form.validate_on_submit():
        ids = queries.bulk_ids(scope, form.kind.data, form.value.data)
        limit = current_app.config.get("LMS_CERTIFICATE_BULK_MAX", 5000)
        if not ids:
            form.value.errors = [_("No certificate in your scope matches.")]
        elif len(ids) > limit:
            form.value.errors = [_("More than %(limit)d certificates; choose less.", limit=limit)]
        else:
            label = f"{BULK_LABELS[form.kind.data]}: {form.value.data.strip()}"
            token = bulk.create(
                current_user.id, form.kind.data, form.value.data, label, ids, scope=scope
            )
            inline = current_app.config.get("LMS_CERTIFICATE_BULK_INLINE", 10)
            bulk.run(
                bulk.job_dir(token),
                documents.public_base_url(),
                background=len(ids) > inline,
                actor=current_user,
            )
            return redirect(url_for(".bulk_job", token=token))
    return render_template("certificates/bulk.html", form=form)


def _job(token: str):
    _staff_scope()
    return bulk.WORK.owned(token, current_user.id) or abort(404)


@bp.route("/manage/certificates/bulk/<token>")
@login_required
def bulk_job(token: str):
    """Progress of a bulk download, then its link."""
    folder = _job(token)
    return render_template("certificates/bulk_job.html", meta=bulk.read_meta(folder), token=token)


@bp.route("/manage/certificates/bulk/<token>.zip")
@login_required
def bulk_zip(token: str):
    """The finished .zip of a bulk download (audited: who took whose certificates)."""
    folder = _job(token)
    path = bulk.zip_path(folder) or abort(404)
    meta = bulk.read_meta(folder)
    holders = queries.holders(meta["ids"])
    reads.record_list(
        current_user,
        "certificates.bulk_downloaded",
        "registry",
        "certificates",
        count=len(meta["ids"]),
        scope=manage_scope(current_user),
        official_ids=holders,
        address=client_address(),
        via="web",
        officials=len(holders),
        selection=meta.get("label"),
    )
    db.session.commit()
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"certificates-{token[:8]}.zip",
    )
