"""The certificate and transcript PDFs: HTML templates rendered in the document's own language
(whatever the viewer's), a QR code to the public verification page, xhtml2pdf through
lms.common.pdf (embedded DejaVu fonts, no outside resources), signed by the agency (PAdES,
lms.signing.pdf; a certificate's signature carries its verification address, which is how
`certificates verify-file` and the /verify upload find its record)."""

import re
from urllib.parse import quote

from flask import current_app, g, has_request_context, request
from flask_babel import force_locale

from lms.certificates import rules
from lms.certificates.models import Certificate
from lms.common.pdf import qr_data_uri, render_pdf
from lms.i18n import _
from lms.signing.pdf import sign_pdf

BASE_TEMPLATE = "certificates/certificate.html"
COURSE_TEMPLATE = "certificates/courses/{code}.html"  # per-course override, when present
SAFE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def public_base_url() -> str:
    """Where the public reaches this site: the setting LMS_PUBLIC_BASE_URL, else the host of
    the current request (no trailing slash)."""
    configured = current_app.config.get("LMS_PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost"


def verify_url(code: str, base_url: str) -> str:
    """The absolute address of a certificate's public verification page."""
    return f"{base_url.rstrip('/')}/verify/{quote(code, safe='')}"


def template_names(course_code: str) -> list[str]:
    """The templates to try for a course's certificate: its own override first."""
    names = [BASE_TEMPLATE]
    if SAFE_CODE.match(course_code or ""):
        names.insert(0, COURSE_TEMPLATE.format(code=course_code.upper()))
    return names


def _render(names: list[str], language: str, **context) -> bytes:
    """Render the first template found, in `language`, to PDF bytes. Goes straight to Jinja
    (no request-bound context processors), so a background thread can render too."""
    g.setdefault("_documents", True)  # flask-babel ignores force_locale while g is empty
    with force_locale(language):
        template = current_app.jinja_env.get_or_select_template(names)
        html = template.render(language=language, **context)
    return render_pdf(html)


def signing_place() -> str:
    """The place a document is signed at (LMS_CERTIFICATE_PLACE)."""
    return current_app.config.get("LMS_CERTIFICATE_PLACE") or ""


def certificate_pdf(certificate: Certificate, base_url: str) -> bytes:
    """The certificate as an A4 landscape PDF in the certificate's language, signed: the
    signature's reason names the serial and the course, its contact the verification address."""
    url = verify_url(certificate.verification_code, base_url)
    with force_locale(certificate.language):
        reason = _(
            "Certificate %(serial)s: %(course)s",
            serial=certificate.serial,
            course=certificate.course_title,
        )
    data = _render(
        template_names(certificate.course_code),
        certificate.language,
        certificate=certificate,
        verify_url=url,
        qr=qr_data_uri(url),
        date_line=rules.place_date_line(
            certificate.place, certificate.issued_on, certificate.language
        ),
    )
    return sign_pdf(data, reason=reason, location=certificate.place or signing_place(), contact=url)


def transcript_pdf(transcript, language: str, base_url: str) -> bytes:
    """An official's transcript of one cycle (queries.Transcript) as an A4 PDF, signed."""
    data = _render(
        ["certificates/transcript.html"],
        language,
        transcript=transcript,
        base_url=base_url,
    )
    with force_locale(language):
        reason = _(
            "Training transcript of %(code)s, %(year)s",
            code=transcript.official.employee_code,
            year=transcript.cycle.year,
        )
    return sign_pdf(data, reason=reason, location=signing_place())
