"""An official's certificates for "download all my data", with every public verification of
them (who looked a certificate up is not known; when, how and with what result is). Two
queries."""

from collections import defaultdict

from sqlalchemy import select

from lms.certificates.models import Certificate, VerificationLog
from lms.common.plain import fields, plain
from lms.extensions import db


def certificates(official_id: int) -> list[dict]:
    """The official's certificates, revoked and replaced ones included."""
    rows = db.session.scalars(
        select(Certificate)
        .where(Certificate.official_id == official_id)
        .order_by(Certificate.issued_on, Certificate.id)
    ).all()
    checks = defaultdict(list)
    lookups = db.session.execute(
        select(VerificationLog.certificate_id, VerificationLog.at, VerificationLog.channel)
        .add_columns(VerificationLog.result)
        .join(Certificate, Certificate.id == VerificationLog.certificate_id)
        .where(Certificate.official_id == official_id)
        .order_by(VerificationLog.at)
    )
    for certificate_id, at, channel, result in lookups:
        checks[certificate_id].append({"at": plain(at), "channel": channel, "result": result})
    names = ("serial", "verification_code", "kind", "course_code", "course_title", "credits")
    dates = ("completed_on", "issued_on", "expires_on", "score", "holder_name", "holder_unit")
    revocation = ("revoked_at", "revoked_reason", "revoked_note")
    return [{**fields(c, *names, *dates, *revocation), "verifications": checks[c.id]} for c in rows]
