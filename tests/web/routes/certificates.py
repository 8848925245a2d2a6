"""Certificate routes for the access matrix and the hostile-input test. The scene gives the
learner (T-LEARN, P-HAICHAU) one certificate of course CX01, completed in 2025: hr and manager
cover DN, so they see it; the reviewer covers SNV only."""

from tests.web.routes.expect import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, expect

STAFF = expect(FORBIDDEN, hr=OK, manager=OK, admin=OK)
STAFF_POST = expect(FORBIDDEN, hr=REDIRECT, manager=REDIRECT, admin=REDIRECT)
STAFF_404 = expect(FORBIDDEN, hr=NOT_FOUND, manager=NOT_FOUND, admin=NOT_FOUND)
HOLDER_OR_STAFF = expect(OK, reviewer=NOT_FOUND)
PUBLIC = expect(OK, anonymous=OK)

ACCESS = {
    ("certificates.verify", "GET"): ("/verify/{cert_code}", PUBLIC),
    ("certificates.api_verify", "GET"): ("/api/v1/verify/{cert_code}", PUBLIC),
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
}

URLS = {
    "certificates.api_verify": "/api/v1/verify/{cert_code}",
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
    from tests.catalog_factories import course_tree, import_tree

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
