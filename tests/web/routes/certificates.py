"""Certificate routes for the access matrix and the hostile-input test. The scene gives the
learner (T-LEARN, P-HAICHAU) one certificate of course CX01, completed in 2025: hr and manager
cover DN, so they see it; the reviewer covers SNV only."""

from tests.web.routes.expect import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Denial, expect

STAFF = expect(FORBIDDEN, hr=OK, manager=OK, admin=OK)
STAFF_POST = expect(FORBIDDEN, hr=REDIRECT, manager=REDIRECT, admin=REDIRECT)
STAFF_404 = expect(FORBIDDEN, hr=NOT_FOUND, manager=NOT_FOUND, admin=NOT_FOUND)
HOLDER_OR_STAFF = expect(OK, reviewer=NOT_FOUND, head=NOT_FOUND)
PUBLIC = expect(OK, anonymous=OK)
NO_FILE = expect(422, anonymous=422)  # the form sent without a file: shown again with the reason

ACCESS = {
    ("certificates.verify", "GET"): ("/verify/{cert_code}", PUBLIC),
    ("certificates.api_verify", "GET"): ("/api/v1/verify/{cert_code}", PUBLIC),
    ("certificates.verify_upload", "GET"): ("/verify", PUBLIC),
    ("certificates.verify_upload", "POST"): ("/verify", NO_FILE),
    ("certificates.mine", "GET"): ("/me/certificates", expect(OK, anonymous=LOGIN)),
    ("certificates.certificate_pdf", "GET"): ("/certificates/{cert_serial}.pdf", HOLDER_OR_STAFF),
    ("certificates.transcript_pdf", "GET"): (
        "/transcripts/T-LEARN/{cert_year}.pdf",
        HOLDER_OR_STAFF,
    ),
    ("certificates.manage", "GET"): ("/manage/certificates", STAFF),
    ("certificates.issue_pending", "POST"): ("/manage/certificates/issue", STAFF_POST),
    ("certificates.detail", "GET"): ("/manage/certificates/{cert_serial}", STAFF),
    ("certificates.revoke", "POST"): ("/manage/certificates/{cert_serial}/revoke", STAFF_POST),
    ("certificates.reissue", "POST"): ("/manage/certificates/{cert_serial}/reissue", STAFF_POST),
    ("certificates.bulk_new", "GET"): ("/manage/certificates/bulk", STAFF),
    ("certificates.bulk_new", "POST"): ("/manage/certificates/bulk", STAFF),
    ("certificates.bulk_job", "GET"): ("/manage/certificates/bulk/unknown-token", STAFF_404),
    ("certificates.bulk_zip", "GET"): ("/manage/certificates/bulk/unknown-token.zip", STAFF_404),
    # Open Badges credentials (issue 27): as the PDF; public by code; the issuer's keys.
    ("certificates.credential_download", "GET"): (
        "/certificates/{cert_serial}.credential.json",
        HOLDER_OR_STAFF,
    ),
    ("certificates.verify_credential", "GET"): ("/verify/{cert_code}/credential.json", PUBLIC),
    ("certificates.did_document", "GET"): ("/.well-known/did.json", PUBLIC),
    ("certificates.issuer_profile", "GET"): ("/.well-known/openbadges-issuer.json", PUBLIC),
    ("certificates.status_list", "GET"): ("/credentials/status/1", PUBLIC),
}

URLS = {
    "certificates.api_verify": "/api/v1/verify/{cert_code}",
    "certificates.verify_upload": "/verify",
    "certificates.issue_pending": "/manage/certificates/issue",
    "certificates.revoke": "/manage/certificates/{cert_serial}/revoke",
    "certificates.reissue": "/manage/certificates/{cert_serial}/reissue",
    "certificates.bulk_new": "/manage/certificates/bulk",
}
FORM_PAGES = {
    "certificates.issue_pending": "/manage/certificates",
    "certificates.revoke": "/manage/certificates/{cert_serial}",
    "certificates.reissue": "/manage/certificates/{cert_serial}",
}
QUERY_PAGES = {
    "certificates.manage": (
        "/manage/certificates",
        ("page", "q", "course", "unit", "status", "year", "kind"),
    ),
}
HINTS = {"note": "Sai tên trên giấy chứng nhận", "value": "CX01"}


def _certificate(scene):
    """CX01 (owned by DN, gives a giấy chứng nhận) completed by the learner on 02/06/2025,
    and its certificate; returns it."""
    from datetime import date

    from sqlalchemy import select

    from lms.catalog.models import Course
    from lms.certificates import services
    from lms.curricula.completions.services import CompletionData, record_completion
    from lms.extensions import db
    from lms.organisation.models import Official
    from tests.factories import course_tree, import_tree

    import_tree(course_tree("CX01", lessons=1))
    course = db.session.scalar(select(Course).where(Course.code == "CX01"))
    learner = db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))
    recorded = record_completion(
        CompletionData(learner.id, course.id, date(2025, 6, 2), "online", "scene:cx01")
    )
    certificate = services.issue_for(recorded.completion, issued_on=date(2025, 6, 3))
    db.session.commit()
    return certificate.serial, certificate.verification_code


PROVIDERS = {
    "_certificate": _certificate,
    "cert_serial": lambda s: s.value("_certificate")[0],
    "cert_code": lambda s: s.value("_certificate")[1],
    "cert_year": lambda s: s.value("_certificate") and 2025,
}


def _certificate_of(scene, code: str) -> str:
    """A certificate of CX01 for the official `code` (completed 02/06/2025); its serial."""
    from datetime import date

    from lms.catalog import queries
    from lms.certificates import services
    from lms.curricula.completions.services import CompletionData, record_completion
    from lms.extensions import db
    from tests.web.routes.scene import official_id

    scene.value("_certificate")
    course = queries.course_by_code("CX01", lessons=False)
    recorded = record_completion(
        CompletionData(official_id(code), course.id, date(2025, 6, 2), "online", f"scene:{code}")
    )
    certificate = services.issue_for(recorded.completion, issued_on=date(2025, 6, 3))
    db.session.commit()
    return certificate.serial


def _admin_bulk(scene) -> str:
    """A bulk download the administrator started (of the learner's certificate)."""
    from lms.certificates import bulk
    from lms.certificates.models import Certificate
    from lms.extensions import db

    scene.value("_certificate")
    ids = list(db.session.scalars(db.select(Certificate.id)))
    return bulk.create(scene.world["admin"].id, "course", "CX01", "CX01", ids)


PROVIDERS |= {
    "out_cert": lambda s: s.value("_outside") and _certificate_of(s, "T-OUT"),
    "man_cert": lambda s: _certificate_of(s, "T-MAN"),
    "admin_bulk": _admin_bulk,
}
# hr (DN) asks for T-OUT's certificate (unit XX); the learner for T-MAN's; hr for the
# administrator's bulk download.
DENIALS = {
    ("certificates.certificate_pdf", "GET"): (
        Denial("hr", "/certificates/{out_cert}.pdf"),
        Denial("learner", "/certificates/{man_cert}.pdf"),
    ),
    ("certificates.transcript_pdf", "GET"): (
        Denial("hr", "/transcripts/{out_code}/{cert_year}.pdf"),
        Denial("learner", "/transcripts/T-MAN/{cert_year}.pdf"),
    ),
    ("certificates.detail", "GET"): Denial("hr", "/manage/certificates/{out_cert}"),
    ("certificates.revoke", "POST"): Denial(
        "hr",
        "/manage/certificates/{out_cert}/revoke",
        data={"reason": "fraud", "note": "Gian lận"},
    ),
    ("certificates.reissue", "POST"): Denial(
        "hr", "/manage/certificates/{out_cert}/reissue", data={"note": "Sai tên"}
    ),
    ("certificates.bulk_job", "GET"): Denial("hr", "/manage/certificates/bulk/{admin_bulk}"),
    ("certificates.bulk_zip", "GET"): Denial("hr", "/manage/certificates/bulk/{admin_bulk}.zip"),
    ("certificates.credential_download", "GET"): (
        Denial("hr", "/certificates/{out_cert}.credential.json"),
        Denial("learner", "/certificates/{man_cert}.credential.json"),
    ),
}
PUBLIC_BY_CODE = (
    "public verification: the code printed on the certificate is the credential, and the answer "
    "shows only what the printed certificate shows"
)
ISSUER_PUBLIC = "the issuer's revocation lists: the same for everyone, no personal data"
DENIAL_EXEMPT = {
    "certificates.verify": PUBLIC_BY_CODE,
    "certificates.api_verify": PUBLIC_BY_CODE,
    "certificates.verify_credential": PUBLIC_BY_CODE,
    "certificates.status_list": ISSUER_PUBLIC,
}
