"""/api/v1/certificates/<serial>/credential: the certificate as a signed Open Badges 3.0
credential (lms.certificates.credentials), for the same callers as /certificates/<serial>: an
official's own, or an official's in the caller's reach; anything else does not exist."""

import json

from flask import Response, g

from lms.api import access, queries
from lms.api.blueprint import bp
from lms.api.responses import not_found
from lms.api.routes import _read
from lms.certificates import credentials, documents
from lms.signing.keys import credential_key


@bp.get("/certificates/<serial>/credential")
def certificate_credential(serial: str):
    """The signed credential (JSON-LD, `@context` VC 2.0 and OB 3.0)."""
    cert = queries.certificate(access.reach(g.api_token, access.TRAINING_RECORD), serial)
    if cert is None:
        raise not_found()
    document = credentials.credential(cert, documents.public_base_url(), credential_key())
    body = json.dumps(document, ensure_ascii=False)
    _read("certificate.viewed", cert.official, serial=cert.serial, format="vc")
    return Response(body, mimetype="application/json")
