"""The programme certificate (chứng chỉ) PDF: templates/programmes/certificate.html rendered in
Vietnamese through lms.common.pdf (embedded DejaVu fonts), with a QR code to the public
verification page /verify/programme/<code>, signed by the agency (PAdES, lms.signing.pdf; the
signature's contact is that address)."""

from urllib.parse import quote

from flask import current_app, g
from flask_babel import force_locale

from lms.certificates import rules as certificate_rules
from lms.certificates.documents import public_base_url
from lms.common.pdf import qr_data_uri, render_pdf
from lms.i18n import _
from lms.programmes.models import ProgrammeCertificate
from lms.signing.pdf import sign_pdf

__all__ = ["certificate_pdf", "public_base_url", "verify_url"]


def verify_url(code: str, base_url: str) -> str:
    """The absolute address of a chứng chỉ's public verification page."""
    return f"{base_url.rstrip('/')}/verify/programme/{quote(code, safe='')}"


def certificate_pdf(certificate: ProgrammeCertificate, base_url: str) -> bytes:
    """The chứng chỉ as an A4 PDF (Vietnamese, whatever the viewer's language), signed."""
    url = verify_url(certificate.verification_code or "", base_url)
    g.setdefault("_documents", True)  # flask-babel ignores force_locale while g is empty
    with force_locale("vi"):
        html = current_app.jinja_env.get_template("programmes/certificate.html").render(
            c=certificate,
            verify_url=url,
            qr=qr_data_uri(url),
            date_line=certificate_rules.place_date_line(
                certificate.place, certificate.issued_on, "vi"
            ),
        )
        reason = _("Programme certificate %(serial)s", serial=certificate.serial)
    place = certificate.place or current_app.config.get("LMS_CERTIFICATE_PLACE", "")
    return sign_pdf(render_pdf(html), reason=reason, location=place, contact=url)
