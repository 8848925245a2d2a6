"""Certificates as Open Badges 3.0 credentials: the holder's (and HR's) download, the public
download from the verification page, the issuer's DID document and Profile under
/.well-known/, and the signed revocation status lists (docs/signing.md "Credentials")."""

import json

from flask import Response, abort, current_app
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.certificates import credentials, documents, queries
from lms.certificates.blueprint import bp
from lms.certificates.models import Certificate
from lms.certificates.permissions import can_manage_certificates, transcript_reach
from lms.certificates.routes import _read, _verify_limit
from lms.certificates.services import CODE_CHARS
from lms.extensions import db, limiter
from lms.organisation.models import OrgUnit
from lms.signing.keys import credential_key, previous_credential_keys

PUBLIC_CACHE = {"Cache-Control": "public, max-age=3600"}
STATUS_CACHE = {"Cache-Control": "public, max-age=300"}  # a revocation shows within 5 minutes
NO_STORE = {"Cache-Control": "private, no-store"}


def _json(document: dict, mimetype: str, headers: dict, download: str | None = None) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    extra = {"Content-Disposition": f'attachment; filename="{download}"'} if download else {}
    return Response(body, mimetype=mimetype, headers={**headers, **extra})


def download_name(serial: str) -> str:
    return f"{serial}.credential.json"


@bp.route("/certificates/<serial>.credential.json")
@login_required
def credential_download(serial: str):
    """The certificate's signed credential, for whoever may open its PDF: the holder (until it
    is revoked), HR officers, training managers and reviewers covering the holder (404 for
    anyone else)."""
    certificate = queries.by_serial(serial, transcript_reach(current_user))
    if certificate is None:
        abort(404)
    if certificate.revoked_at is not None and not can_manage_certificates(current_user):
        abort(404)
    base = documents.public_base_url()
    document = credentials.credential(certificate, base, credential_key())
    _read("certificate.viewed", certificate.official, serial=certificate.serial, format="vc")
    db.session.commit()
    name = download_name(certificate.serial)
    return _json(document, credentials.MEDIA_TYPE, NO_STORE, name)


@bp.route("/verify/<code>/credential.json")
@limiter.shared_limit(_verify_limit, scope="certificate-verify")
def verify_credential(code: str):
    """The credential of the certificate with this verification code (public, like the
    verification page it is linked from: the code is the secret)."""
    certificate = None
    if code and len(code) <= 64 and set(code) <= CODE_CHARS:
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.verification_code == code)
        )
    if certificate is None:
        abort(404)
    base = documents.public_base_url()
    document = credentials.credential(certificate, base, credential_key())
    name = download_name(certificate.serial)
    return _json(document, credentials.MEDIA_TYPE, NO_STORE, name)


@bp.route("/.well-known/did.json")
def did_document():
    """The issuer's DID document (did:web): the public key credentials are signed with."""
    document = credentials.did_document(
        documents.public_base_url(), credential_key(), previous_credential_keys()
    )
    return _json(document, "application/did+json", PUBLIC_CACHE)


def _installation_name() -> str:
    root = db.session.scalar(
        select(OrgUnit.name).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(1)
    )
    return root or current_app.config.get("LMS_SITE_NAME") or "Tín chỉ"


@bp.route("/.well-known/openbadges-issuer.json")
def issuer_profile():
    """The Open Badges issuer Profile of this installation."""
    document = credentials.issuer_profile(documents.public_base_url(), _installation_name())
    return _json(document, "application/ld+json", PUBLIC_CACHE)


@bp.route("/credentials/status/<int:number>")
def status_list(number: int):
    """The signed BitstringStatusListCredential of list `number` (404 past the last list)."""
    if number < 1 or number > credentials.list_count():
        abort(404)
    document = credentials.status_list_credential(
        number, documents.public_base_url(), credential_key()
    )
    return _json(document, credentials.MEDIA_TYPE, STATUS_CACHE)
