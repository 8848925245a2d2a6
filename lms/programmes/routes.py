"""Programme pages: the public verification of a chứng chỉ, its PDF, an official's own
programmes (/me/programmes: sets done, next, due date, history), and the staff screens under
/manage/programmes (programmes, chứng chỉ in scope, one chứng chỉ with its revocation)."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.audit import reads
from lms.auth.permissions import require
from lms.certificates.forms import RevokeForm
from lms.certificates.permissions import (
    can_manage_certificates,
    has_own_record,
    manage_scope,
    transcript_reach,
)
from lms.common import clock
from lms.common.web import client_address, commit_or_attach
from lms.errors import RuleViolation
from lms.extensions import db, limiter
from lms.i18n import _
from lms.programmes import documents, queries, services
from lms.programmes.blueprint import bp
from lms.programmes.requirements import standings_for_me

NO_STORE = {"Cache-Control": "private, no-store"}


def _verify_limit() -> str:
    from lms.certificates.routes import _verify_limit as shared

    return shared()


@bp.route("/verify/programme/<code>")
@limiter.shared_limit(_verify_limit, scope="certificate-verify")
def verify(code: str):
    """Public check of a chứng chỉ by its code (its QR code's address): status, holder's name,
    programme and dates only. Every look-up is logged."""
    found = services.verify(code, client_address())
    db.session.commit()
    status = services.status_of(found) if found else None
    page = render_template("programmes/verify.html", c=found, status=status)
    return page, (200 if found else 404)


@bp.route("/programmes/certificates/<serial>.pdf")
@login_required
def certificate_pdf(serial: str):
    """A chứng chỉ's PDF: for its holder (until revoked), and for the staff and reviewers whose
    scope covers the holder (404 for anyone else)."""
    certificate = queries.by_serial(serial, transcript_reach(current_user))
    if certificate is None or certificate.verification_code is None:
        abort(404)
    if certificate.revoked_at is not None and not can_manage_certificates(current_user):
        abort(404)
    data = documents.certificate_pdf(certificate, documents.public_base_url())
    reads.record_view(
        current_user,
        "certificate.viewed",
        certificate.official,
        client_address(),
        via="web",
        serial=certificate.serial,
        format="pdf",
    )
    db.session.commit()
    headers = {"Content-Disposition": f'inline; filename="{certificate.serial}.pdf"', **NO_STORE}
    return Response(data, mimetype="application/pdf", headers=headers)


@bp.route("/me/programmes")
@login_required
def mine():
    """The viewer's programmes: where they stand, the sets done and next, the due date, and
    their certification history."""
    official = current_user.official if has_own_record(current_user) else None
    standings = standings_for_me(official, clock.today()) if official else []
    return render_template(
        "programmes/mine.html", official=official, standings=standings, today=clock.today()
    )


def _staff_scope():
    require(can_manage_certificates(current_user))
    return manage_scope(current_user)


@bp.route("/manage/programmes/")
@login_required
def manage():
    """The programmes with their sets, and the latest chứng chỉ of the officials in scope."""
    scope = _staff_scope()
    certificates = queries.in_scope(scope)
    return render_template(
        "programmes/manage.html",
        programmes=queries.all_programmes(),
        certificates=certificates,
        statuses={c.id: services.status_of(c) for c in certificates},
    )


def _load(serial: str):
    certificate = queries.by_serial(serial, _staff_scope())
    return certificate or abort(404)


@bp.route("/manage/programmes/certificates/<serial>")
@login_required
def detail(serial: str):
    """One chứng chỉ: its facts, status and revocation."""
    certificate = _load(serial)
    page = render_template(
        "programmes/detail.html",
        c=certificate,
        status=services.status_of(certificate),
        revoke_form=RevokeForm(formdata=None),
        verify_url=documents.verify_url(
            certificate.verification_code or "", documents.public_base_url()
        ),
    )
    return page


@bp.route("/manage/programmes/certificates/<serial>/revoke", methods=["POST"])
@login_required
def revoke(serial: str):
    """Revoke a chứng chỉ on a ground of Circular 03/2023 (audited)."""
    certificate = _load(serial)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            saved, _result = commit_or_attach(
                form,
                lambda: services.revoke(
                    certificate, form.reason.data, form.note.data, current_user
                ),
            )
        except RuleViolation as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            if saved:
                flash(_("The certificate was revoked."), "success")
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    return redirect(url_for(".detail", serial=serial))
